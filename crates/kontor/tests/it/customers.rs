use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(
    customer_is_created_edited_and_shown_with_its_history,
    list_searches_filters_sorts_and_pages,
    bulk_deactivation_and_csv_round_trip,
    bad_customer_input_is_refused_with_field_errors,
    map_tab_shows_coordinates_or_says_why_not,
    a_broad_search_lists_the_newest_and_counts_to_a_thousand,
    customers_are_deleted_while_others_are_written,
);

/// Found by schemathesis: a deletion read the customer's files and notes
/// before its first write, and on SQLite failed with "database is locked"
/// (500) when another request wrote in between.
async fn customers_are_deleted_while_others_are_written(app: TestApp) {
    let api = app.admin_api().await;
    let keep = api
        .customer(serde_json::json!({"company": "Bleibt GmbH"}))
        .await;
    let mut gone = Vec::new();
    for n in 0..12 {
        let c = api
            .customer(serde_json::json!({"company": format!("Geht {n} GmbH")}))
            .await;
        let r = api
            .post(
                "/notes",
                serde_json::json!({"customer_id": c, "body": "Notiz"}),
            )
            .await;
        assert_eq!(r.status(), 201);
        gone.push(c);
    }
    let paths: Vec<String> = gone.iter().map(|c| format!("/customers/{c}")).collect();
    let deletions = futures::future::join_all(paths.iter().map(|p| api.delete(p)));
    let writes = futures::future::join_all((0..12).map(|n| {
        api.post(
            "/notes",
            serde_json::json!({"customer_id": keep, "body": format!("Notiz {n}")}),
        )
    }));
    let (deleted, written) = tokio::join!(deletions, writes);
    for r in deleted {
        assert_eq!(r.status(), 204);
    }
    for r in written {
        assert_eq!(r.status(), 201);
    }
}

async fn customer_is_created_edited_and_shown_with_its_history(app: TestApp) {
    let b = app.admin().await;
    let r = b
        .post(
            "/customers",
            &[
                ("company", "Müller & Söhne GmbH"),
                ("vat_id", "DE123456789"),
                ("currency", "EUR"),
                ("language", "de"),
                ("active", "on"),
                ("billing_city", "Köln"),
                ("shipping_same_as_billing", "on"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let (status, page) = b.text(&location).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Müller &#38; Söhne GmbH"),
        "escaped by the template"
    );
    for tab in ["Profil", "Kontakte", "Notizen", "Karte", "Aktivität"] {
        assert!(page.contains(tab), "tab {tab} missing");
    }
    let r = b
        .post(
            &location,
            &[
                ("company", "Müller AG"),
                ("vat_id", "DE123456789"),
                ("currency", "EUR"),
                ("language", "de"),
                ("active", "on"),
                ("billing_city", "Bonn"),
                ("shipping_same_as_billing", "on"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, history) = b.text(&format!("{location}/activity")).await;
    // Fields by the names the form gives them, not the stored ones.
    assert!(history.contains("Kunde · Firma<") && history.contains("Müller AG"));
    assert!(
        history.contains("Rechnungsadresse: Ort<")
            && history.contains("Köln")
            && history.contains("Bonn"),
        "{history}"
    );
    assert!(!history.contains("· billing_city<"));
    let id = location.rsplit('/').next().unwrap();
    let api = app.admin_api().await;
    let c = api.json(&format!("/customers/{id}")).await;
    assert_eq!(c["company"], "Müller AG");
    assert_eq!(c["shipping_city"], "Bonn", "shipping follows billing");
    assert_eq!(c["number"], format!("{:05}", id.parse::<i64>().unwrap()));
    let trail = api.json(&format!("/customers/{id}/activity")).await;
    let company = trail["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|ch| ch["field"] == "company")
        .expect("company change");
    assert_eq!(company["old_value"], "Müller & Söhne GmbH");
    assert_eq!(company["new_value"], "Müller AG");
    assert_eq!(company["actor_name"], "Admin");
}

async fn list_searches_filters_sorts_and_pages(app: TestApp) {
    let api = app.admin_api().await;
    for i in 0..30 {
        api.customer(json!({"company": format!("Firma {i:02}"), "city": if i % 2 == 0 { "Berlin" } else { "Hamburg" },
            "active": i < 25})).await;
    }
    let special = api
        .customer(json!({"company": "Zebra KG", "vat_id": "ATU12345678"}))
        .await;
    let r = api.post("/contacts", json!({"customer_id": special, "first_name": "Erika", "last_name": "Mustermann", "email": "erika@zebra.example"})).await;
    assert_eq!(r.status(), 201);
    let page = api.json("/customers?per_page=10&page=2").await;
    assert_eq!(page["total"], 31);
    assert_eq!(page["page"], 2);
    assert_eq!(page["data"].as_array().unwrap().len(), 10);
    assert_eq!(page["data"][0]["company"], "Firma 10");
    for q in ["zebra", "ATU123", "mustermann", "erika@zebra"] {
        let found = api.json(&format!("/customers?q={q}")).await;
        assert_eq!(found["total"], 1, "search {q}");
        assert_eq!(found["data"][0]["id"], special);
    }
    assert_eq!(api.json("/customers?q=hamburg").await["total"], 15);
    assert_eq!(
        api.json("/customers?q=100%25").await["total"],
        0,
        "wildcards are literal"
    );
    assert_eq!(api.json("/customers?status=inactive").await["total"], 5);
    let desc = api
        .json("/customers?sort=company&dir=desc&per_page=1")
        .await;
    assert_eq!(desc["data"][0]["company"], "Zebra KG");
    let b = app.admin().await;
    let (_, html) = b.text("/customers?q=zebra").await;
    assert!(
        html.contains("Zebra KG")
            && html.contains("Erika Mustermann")
            && !html.contains("Firma 01")
    );
    let partial = b
        .client
        .get(format!("{}/customers?q=firma+0", app.base))
        .header("hx-request", "true")
        .header("hx-target", "customer-rows")
        .send()
        .await
        .unwrap();
    let partial = partial.text().await.unwrap();
    assert!(
        partial.contains("Firma 05") && !partial.contains("<html"),
        "htmx gets only the rows"
    );
}

async fn bulk_deactivation_and_csv_round_trip(app: TestApp) {
    let api = app.admin_api().await;
    let a = api
        .customer(json!({"company": "Alpha", "city": "Ulm"}))
        .await;
    let z = api
        .customer(json!({"company": "Omega", "city": "Ulm"}))
        .await;
    let b = app.admin().await;
    // From a searched list, back to it, saying what was done.
    let r = b
        .post_from(
            "/customers?q=Ulm&status=active",
            "/customers/bulk",
            &[
                ("action", "deactivate"),
                ("ids", &a.to_string()),
                ("ids", &z.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/customers?q=Ulm&status=active");
    assert_eq!(api.json(&format!("/customers/{a}")).await["active"], false);
    let (_, list) = b.text("/customers?q=Ulm&status=active").await;
    assert!(list.contains("Die gewählten Kunden sind jetzt inaktiv."));
    let r = b
        .post_from(
            "/settings",
            "/customers/bulk",
            &[("action", "deactivate"), ("ids", &z.to_string())],
        )
        .await;
    assert_eq!(r.headers()["location"], "/customers");
    b.post(
        "/customers/bulk",
        &[("action", "deactivate"), ("ids", &a.to_string())],
    )
    .await;
    let trail = api.json(&format!("/customers/{a}/activity")).await;
    let rows = trail["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|ch| ch["field"] == "active")
        .count();
    assert_eq!(rows, 1, "deactivating twice changes the status once");
    let csv = b.get("/customers/export.csv?status=inactive").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("number,company,"));
    assert!(csv.contains("Alpha") && csv.contains("Omega"));

    // A formula planted in an address reaches the spreadsheet as text.
    let api = app.admin_api().await;
    api.customer(
        json!({"company": "Formel KG", "city": "=HYPERLINK(\"http://evil.example\",\"x\")",
        "street": "@SUM(1+1)", "latitude": "-33.86", "longitude": "151.2"}),
    )
    .await;
    let csv = b
        .get("/customers/export.csv?q=Formel")
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().expect("one row").unwrap();
    let col = |name: &str| &row[headers.iter().position(|h| h == name).unwrap()];
    assert_eq!(col("city"), "'=HYPERLINK(\"http://evil.example\",\"x\")");
    assert_eq!(col("street"), "'@SUM(1+1)");
    assert_eq!(col("latitude"), "-33.86", "numbers stay numbers");
    let import = "company,city,vat_id,latitude,longitude\nNeu GmbH,Köln,,,\n,Missing,,,\nKaputt AG,Bonn,XX,,\nGut KG,Bonn,,50.7,7.1\n";
    let r = b
        .upload_file("/customers/import", "c.csv", import.as_bytes().to_vec())
        .await;
    assert_eq!(r.status(), 200);
    let report = r.text().await.unwrap();
    assert!(
        report.contains("<strong>2</strong>"),
        "two rows imported: {report}"
    );
    assert!(
        report.contains("<td>3</td>") && report.contains("<td>4</td>"),
        "lines 3 and 4 reported"
    );
    assert_eq!(
        api.json("/customers?q=kaputt").await["total"],
        0,
        "a bad row is not imported"
    );
    assert_eq!(
        api.json("/customers?q=gut+kg").await["data"][0]["city"],
        "Bonn"
    );
    let gut: Value = api.json("/customers?q=gut").await;
    let id = gut["data"][0]["id"].as_i64().unwrap();
    assert_eq!(
        api.json(&format!("/customers/{id}")).await["latitude"],
        50.7
    );

    // For Excel: a byte order mark and `;`. Back in as German Excel saves
    // it: `;` and Windows-1252.
    let excel = b
        .get("/customers/export.csv?q=Formel&format=excel")
        .await
        .bytes()
        .await
        .unwrap();
    assert!(excel.starts_with("\u{feff}number;company;".as_bytes()));
    let saved = b"company;city\nM\xfcller & S\xf6hne;K\xf6ln\n".to_vec();
    let r = b.upload_file("/customers/import", "excel.csv", saved).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("<strong>1</strong>"));
    let found = api.json("/customers?q=S%C3%B6hne").await;
    assert_eq!(found["data"][0]["company"], "Müller & Söhne");
    assert_eq!(found["data"][0]["city"], "Köln");
}

async fn bad_customer_input_is_refused_with_field_errors(app: TestApp) {
    let api = app.admin_api().await;
    let r = api.post("/customers", json!({"company": "", "website": "nope", "currency": "XYZ", "latitude": 100, "longitude": 5})).await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "validation");
    for field in ["company", "website", "currency", "latitude"] {
        assert!(
            body["error"]["fields"][field].is_string(),
            "{field} error missing"
        );
    }
    let r = app
        .admin_api()
        .await
        .client
        .post(format!("{}/api/v1/customers", app.base))
        .bearer_auth(&api.token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let big = "x".repeat(300 * 1024);
    // A client of its own: the server answers before reading the whole
    // body, so this connection is not reused.
    let r = app
        .api(&api.token)
        .post("/customers", json!({"company": big}))
        .await;
    assert_eq!(r.status(), 413);
    assert_eq!(api.get("/customers/999999").await.status(), 404);
    let b = app.admin().await;
    let r = b
        .post(
            "/customers",
            &[
                ("company", "<script>alert(1)</script>"),
                ("vat_id", "12"),
                ("currency", "EUR"),
                ("language", "de"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "input kept, escaped"
    );
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("Eine USt-IdNr. beginnt"));
    assert_eq!(
        api.json("/customers").await["total"],
        0,
        "nothing was saved"
    );
}

async fn map_tab_shows_coordinates_or_says_why_not(app: TestApp) {
    let api = app.admin_api().await;
    let id = api.customer(json!({"company": "Ohne Ort"})).await;
    let b = app.admin().await;
    let (_, page) = b.text(&format!("/customers/{id}/map")).await;
    assert!(page.contains("id=\"no-coordinates\""));
    assert!(page.contains("/static/vendor/leaflet/leaflet.js"));
    assert!(
        !page.contains("id=\"geocode\""),
        "no lookup button without a geocoder"
    );
    let r = b
        .post(
            &format!("/customers/{id}/coordinates"),
            &[("latitude", "52,5163"), ("longitude", "13.3777")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = b.text(&format!("/customers/{id}/map")).await;
    assert!(page.contains("data-lat=\"52.5163\"") && page.contains("data-lng=\"13.3777\""));
    assert!(page.contains("openstreetmap.org/?mlat=52.5163&#38;mlon=13.3777"));
    let r = b
        .post(
            &format!("/customers/{id}/coordinates"),
            &[("latitude", "95"), ("longitude", "13")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        api.json(&format!("/customers/{id}")).await["latitude"],
        52.5163
    );
}

/// A stand-in for a Nominatim-compatible geocoding service.
async fn geocoder() -> String {
    use axum::{Json, Router, extract::Query, routing::get};
    async fn search(
        Query(q): Query<std::collections::HashMap<String, String>>,
    ) -> axum::response::Response {
        use axum::response::IntoResponse;
        let text = q.get("q").cloned().unwrap_or_default();
        if text.contains("Absturz") {
            return axum::http::StatusCode::BAD_GATEWAY.into_response();
        }
        if text.contains("Köln") && q.get("format").map(String::as_str) == Some("json") {
            return Json(json!([{"lat": "50.9375", "lon": "6.9603", "display_name": "Köln"}]))
                .into_response();
        }
        Json(json!([])).into_response()
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, Router::new().route("/search", get(search))).await
    });
    format!("http://{addr}/search")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinates_are_looked_up_from_the_address() {
    let url = geocoder().await;
    let app = spawn_app_with(
        Backend::Sqlite,
        std::collections::HashMap::from([("KONTOR_GEOCODER_URL".to_string(), url)]),
    )
    .await;
    let api = app.admin_api().await;
    let found = api.customer(json!({"company": "Dom GmbH", "billing_street": "Domkloster 4", "billing_zip": "50667", "billing_city": "Köln"})).await;
    let unknown = api
        .customer(json!({"company": "Nirgends AG", "city": "Atlantis"}))
        .await;
    let broken = api
        .customer(json!({"company": "Fehler KG", "city": "Absturz"}))
        .await;
    let empty = api.customer(json!({"company": "Leer KG"})).await;
    let b = app.admin().await;
    let (_, page) = b.text(&format!("/customers/{found}/map")).await;
    assert!(page.contains("id=\"geocode\""));
    assert_eq!(
        b.post(&format!("/customers/{found}/geocode"), &[])
            .await
            .status(),
        303
    );
    let c = api.json(&format!("/customers/{found}")).await;
    assert_eq!(
        (c["latitude"].as_f64(), c["longitude"].as_f64()),
        (Some(50.9375), Some(6.9603))
    );
    let (_, page) = b.text(&format!("/customers/{found}/map")).await;
    assert!(page.contains("Die Position wurde aus der Adresse ermittelt."));
    for (id, message) in [
        (unknown, "Die Adresse wurde nicht gefunden."),
        (broken, "Der Adressdienst hat nicht geantwortet."),
        (empty, "keine Adresse"),
    ] {
        assert_eq!(
            b.post(&format!("/customers/{id}/geocode"), &[])
                .await
                .status(),
            303
        );
        let (_, page) = b.text(&format!("/customers/{id}/map")).await;
        assert!(page.contains(message), "{message}");
        assert_eq!(
            api.json(&format!("/customers/{id}")).await["latitude"],
            serde_json::Value::Null
        );
    }
}

async fn a_broad_search_lists_the_newest_and_counts_to_a_thousand(app: TestApp) {
    kontor::demo::generate(&app.state, 1100)
        .await
        .expect("demo customers");
    let b = app.admin().await;
    // Every demo customer's VAT id starts DE1000.
    let (status, html) = b.text("/customers?q=de1000").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"customer-total\">Kunden: 1000+ · neueste zuerst"),
        "counted to a thousand, newest first:\n{}",
        &html[html.find("customer-total").unwrap_or(0)..][..200]
    );
    let newest = html.find("DE100001100").expect("the newest customer");
    let older = html.find("DE100001099").expect("the one before");
    assert!(newest < older, "newest first");
    assert!(
        html.contains("sort=newest"),
        "paging keeps the order: {}",
        &html[html.find("next-page").map_or(0, |i| i.saturating_sub(300))..][..300]
    );
    let (_, last) = b.text("/customers?q=de1000&sort=newest&page=44").await;
    assert!(
        last.contains("id=\"customer-total\">Kunden: 1100")
            && last.contains("Seite 44 / 44 · 1100<"),
        "past the first thousand the count goes on"
    );
    let (_, active) = b.text("/customers?q=de1000&status=active").await;
    assert!(
        active.contains("id=\"customer-total\">Kunden: 1000+ · neueste zuerst"),
        "with a filter as well"
    );
    let newest_active = active.find("DE100001100").expect("the newest customer");
    assert!(newest_active < active.find("DE100001099").expect("the one before"));
    let (_, by_name) = b.text("/customers?q=de1000&sort=company&dir=asc").await;
    assert!(
        by_name.contains("Seite 1 / 41+ · 1000+"),
        "{}",
        &by_name[by_name.find("customer-pages-count").unwrap_or(0)..][..100]
    );
    assert!(!by_name.contains("neueste zuerst"), "a chosen column sorts");

    let api = app.admin_api().await;
    let found = api.json("/customers?q=de1000&per_page=5").await;
    assert_eq!(found["total"], 1100, "the API counts exactly");
    let names: Vec<String> = found["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|c| c["company"].as_str().unwrap_or_default().to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "and sorts by company");
}
