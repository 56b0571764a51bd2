use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(
    openapi_lists_what_the_server_serves,
    openapi_describes_every_operation_whole,
    a_whole_number_with_a_fraction_is_an_integer,
    two_admins_demoting_each_other_at_once_leave_one,
    query_values_are_read_as_the_document_says,
    staff_and_roles_are_managed_through_the_api,
    operations_endpoints_and_headers,
    api_errors_are_json_with_the_field_named
);
on_both!(with metrics_token => metrics_answer_only_their_token);

fn metrics_token() -> std::collections::HashMap<String, String> {
    std::collections::HashMap::from([(
        "KONTOR_METRICS_TOKEN".to_string(),
        "scrape-secret-42".to_string(),
    )])
}

async fn metrics_answer_only_their_token(app: TestApp) {
    let url = format!("{}/metrics", app.base);
    let client = reqwest::Client::new();
    assert_eq!(client.get(&url).send().await.unwrap().status(), 401);
    let wrong = client.get(&url).bearer_auth("guess").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    let ok = client
        .get(&url)
        .bearer_auth("scrape-secret-42")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert!(
        ok.text()
            .await
            .unwrap()
            .contains("kontor_http_requests_total{status=\"2xx\"}")
    );
}

/// The document as a client fetches it, without a token.
async fn openapi_document(app: &TestApp) -> Value {
    reqwest::get(format!("{}/api/v1/openapi.json", app.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn openapi_lists_what_the_server_serves(app: TestApp) {
    let api = app.admin_api().await;
    let doc = openapi_document(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(&doc, kontor::api::openapi::value());
    for (path, methods) in paths {
        for method in methods.as_object().unwrap().keys() {
            let url = format!("{}{}", api.base, path.replace("{id}", "999999"));
            let request = api
                .client
                .request(method.to_uppercase().parse().unwrap(), &url)
                .bearer_auth(&api.token);
            let multipart = methods[method]["requestBody"]["content"]
                .get("multipart/form-data")
                .is_some();
            let request = if multipart {
                request.multipart(reqwest::multipart::Form::new().text("customer_id", "999999"))
            } else {
                request.json(&json!({}))
            };
            let r = request.send().await.unwrap();
            assert_ne!(
                r.status(),
                405,
                "{method} {path} is documented but not served"
            );
            let body: Value = r.json().await.unwrap_or(json!({}));
            assert_ne!(body["error"]["code"], "bad_request", "{method} {path}");
        }
    }
}

/// What a client generating code from the document relies on: every
/// operation named once, its parameters declared, a schema for its body and
/// for every answer, errors in the one envelope.
async fn openapi_describes_every_operation_whole(app: TestApp) {
    let doc = openapi_document(&app).await;
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let text = doc.to_string();
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(
            schemas.contains_key(name),
            "{name} is referred to but missing"
        );
    }
    // Statuses as the server writes and reads them.
    for (name, keys) in [
        (
            "InvoiceStatus",
            json!(["draft", "unpaid", "partially_paid", "paid", "cancelled"]),
        ),
        (
            "CreditNoteStatus",
            json!(["draft", "open", "closed", "void"]),
        ),
    ] {
        assert_eq!(schemas[name]["enum"], keys, "{name}");
    }
    let mut ids = std::collections::HashSet::new();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let what = format!("{method} {path}");
            assert!(
                ids.insert(op["operationId"].as_str().expect("operationId").to_string()),
                "{what}: operationId twice"
            );
            assert_eq!(op["security"][0]["bearer"], json!([]), "{what}");
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            for name in path
                .split('{')
                .skip(1)
                .map(|p| p.split('}').next().unwrap())
            {
                assert!(
                    params
                        .iter()
                        .any(|p| p["name"] == name && p["in"] == "path"),
                    "{what}: path parameter {name} undeclared"
                );
            }
            for p in &params {
                assert!(
                    p["schema"].is_object(),
                    "{what}: {} has no schema",
                    p["name"]
                );
            }
            if let Some(body) = op.get("requestBody") {
                for (media, content) in body["content"].as_object().unwrap() {
                    let schema = &content["schema"];
                    assert!(
                        schema.get("$ref").is_some() || schema.get("allOf").is_some(),
                        "{what}: {media} body without a named schema"
                    );
                }
            }
            let responses = op["responses"].as_object().unwrap();
            for status in ["400", "401", "403"] {
                if status != "400" || !params.is_empty() || op.get("requestBody").is_some() {
                    assert!(responses.contains_key(status), "{what}: no {status}");
                }
            }
            for (status, response) in responses {
                let content = response["content"].as_object();
                if status == "204" {
                    assert!(content.is_none(), "{what}: 204 with a body");
                    continue;
                }
                let content = content.unwrap_or_else(|| panic!("{what}: {status} without content"));
                let schema = &content.values().next().unwrap()["schema"];
                assert!(schema.is_object(), "{what}: {status} without a schema");
                if status.starts_with('4') {
                    assert_eq!(
                        schema["$ref"], "#/components/schemas/ErrorEnvelope",
                        "{what}: {status} not the error envelope"
                    );
                }
            }
        }
    }
    assert!(operations >= 87, "{operations} operations");
    // Money is a decimal string, never a number; a draft's body says which
    // fields it needs; lists declare their filters.
    let invoice = &schemas["InvoiceJson"];
    assert_eq!(invoice["allOf"][0]["$ref"], "#/components/schemas/BodyJson");
    assert_eq!(schemas["BodyJson"]["properties"]["total"]["type"], "string");
    let quantity = &schemas["ItemInput"]["properties"]["quantity"];
    assert!(quantity["pattern"].is_string(), "{quantity}");
    assert_eq!(schemas["NewCustomerInput"]["required"], json!(["company"]));
    let list = doc["paths"]["/invoices"]["get"]["parameters"]
        .as_array()
        .unwrap();
    for name in ["customer_id", "status", "from", "to", "page", "per_page"] {
        assert!(
            list.iter().any(|p| p["name"] == name),
            "invoices list: {name}"
        );
    }
    assert_eq!(
        doc["paths"]["/payments"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/NewPaymentInput"
    );
    let payment_mode = &schemas["PaymentInput"]["properties"]["payment_mode"];
    assert!(
        payment_mode.to_string().contains("ModeRef"),
        "{payment_mode}"
    );
}

/// JSON has one kind of number: `3.0` is the integer 3 to a client.
async fn a_whole_number_with_a_fraction_is_an_integer(app: TestApp) {
    let api = app.admin_api().await;
    let customer = api.customer(json!({"company": "Ganzzahl GmbH"})).await;
    let r = api
        .post(
            "/notes",
            json!({"customer_id": customer as f64, "body": "Angerufen"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let note: Value = r.json().await.unwrap();
    assert_eq!(note["customer_id"], customer);
    let r = api
        .post(
            "/notes",
            json!({"customer_id": customer as f64 + 0.5, "body": "Angerufen"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["customer_id"].is_string(), "{body}");
}

/// Found by schemathesis: two changes that each leave "the other" admin
/// ran side by side and left none, locking everyone out.
async fn two_admins_demoting_each_other_at_once_leave_one(app: TestApp) {
    let api = app.admin_api().await;
    let me = api.json("/me").await["id"].as_i64().unwrap();
    let other: Value = api
        .post(
            "/staff",
            json!({"email": "zweite@example.com", "first_name": "Zweite", "password": "staff-password-1", "is_admin": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let other = other["id"].as_i64().unwrap();
    let (mine, theirs) = (format!("/staff/{me}"), format!("/staff/{other}"));
    for round in 0..40 {
        let (a, b) = tokio::join!(
            api.patch(&mine, json!({"is_admin": false})),
            api.patch(&theirs, json!({"is_admin": false})),
        );
        // One goes through; the other is refused as the last admin, or
        // (when the first has already taken this token's admin rights) as
        // no longer allowed.
        let statuses = [a.status().as_u16(), b.status().as_u16()];
        assert!(
            matches!(statuses, [200, 409 | 403] | [409, 200]),
            "round {round}: {statuses:?}"
        );
        // Whoever was refused is still an admin, and the only one.
        let (kept, demoted) = if statuses[0] != 200 {
            (ADMIN_EMAIL, other)
        } else {
            ("zweite@example.com", me)
        };
        let kept = app.api_as(kept).await;
        let admins = kept.json("/staff").await["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["is_admin"] == true && s["active"] == true)
            .count();
        assert_eq!(admins, 1, "round {round}: {statuses:?}");
        let r = kept
            .patch(&format!("/staff/{demoted}"), json!({"is_admin": true}))
            .await;
        assert_eq!(r.status(), 200, "round {round}");
    }
}

/// Found by schemathesis: what a query holds is either what the document
/// allows or refused, never a server error.
async fn query_values_are_read_as_the_document_says(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Abfrage GmbH"})).await;
    // A NUL ended SQLite's full-text query early and PostgreSQL refuses
    // one (500); a search reads past control characters now.
    for path in ["/search?q=Abf%00rage", "/customers?q=Abf%00rage%07"] {
        let r = api.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        assert!(r.text().await.unwrap().contains("Abfrage GmbH"), "{path}");
    }
    for (path, field) in [
        ("/invoices?per_page=AAA".to_string(), None),
        ("/invoices?page=9223372036854775808".to_string(), None),
        ("/customers?status=null".to_string(), Some("status")),
        ("/invoices?status=%20draft".to_string(), Some("status")),
        (
            format!("/customers/{c}/statement?period=this_year&to=kein-datum"),
            Some("to"),
        ),
        (
            "/payments?invoice_id=1&from=gestern".to_string(),
            Some("from"),
        ),
    ] {
        let r = api.get(&path).await;
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap();
        match field {
            Some(field) => {
                assert_eq!(status, 422, "{path}: {body}");
                assert!(body["error"]["fields"][field].is_string(), "{path}: {body}");
            }
            None => assert_eq!(status, 400, "{path}: {body}"),
        }
    }
    // An id that does not read as one names no record.
    for path in [
        format!("/customers/{c}.0"),
        "/roles/0.0".to_string(),
        "/invoices/abc".to_string(),
    ] {
        assert_eq!(api.get(&path).await.status(), 404, "{path}");
    }
    // A whole number written with a fraction is that number, as in a body.
    for path in [
        format!("/contacts?customer_id={c}.0"),
        format!("/credit-notes?customer_id={c}.0&page="),
    ] {
        assert_eq!(api.get(&path).await.status(), 200, "{path}");
    }
    assert_eq!(api.get("/contacts?customer_id=1.5").await.status(), 400);
    // The list form's "all" is an empty status.
    assert_eq!(api.get("/invoices?status=").await.status(), 200);
    let r = api.get("/invoices?per_page=0&page=0").await;
    assert_eq!(r.status(), 200);
    let page: Value = r.json().await.unwrap();
    assert_eq!(
        (page["page"].clone(), page["per_page"].clone()),
        (json!(1), json!(1))
    );
}

async fn staff_and_roles_are_managed_through_the_api(app: TestApp) {
    let api = app.admin_api().await;
    let roles = api.json("/roles").await;
    assert!(roles["total"].as_u64().unwrap() >= 1);
    let bad = api
        .post(
            "/roles",
            json!({"name": "x", "permissions": {"customers": ["fly"]}}),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let (id, _) = app
        .staff_with(&api, "emil", json!({"customers": ["view"]}))
        .await;
    let dup = api
        .post(
            "/staff",
            json!({"email": "emil@example.com", "first_name": "E", "password": "long-password-1"}),
        )
        .await;
    assert_eq!(dup.status(), 422);
    let list = api.json("/staff").await;
    assert_eq!(list["total"], 2);
    let patched: Value = api
        .patch(&format!("/staff/{id}"), json!({"active": false}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(patched["active"], false);
    // An empty password sets none and keeps the current one; the length is
    // counted in characters, at most 512 (as the document says).
    let staff = format!("/staff/{id}");
    let kept = api
        .patch(&staff, json!({"active": true, "password": ""}))
        .await;
    assert_eq!(kept.status(), 200);
    app.browser()
        .login("emil@example.com", "staff-password-1")
        .await;
    let long = api
        .patch(
            &staff,
            json!({"password": format!("Wanderweg-{}", "x".repeat(503))}),
        )
        .await;
    assert_eq!(long.status(), 422, "513 characters");
    let umlauts = format!("Wanderweg-{}", "äöü".repeat(167));
    let r = api.patch(&staff, json!({"password": umlauts})).await;
    assert_eq!(r.status(), 200, "511 characters of 1,012 bytes");
    app.browser().login("emil@example.com", &umlauts).await;
    let admin_id = api.json("/me").await["id"].as_i64().unwrap();
    let r = api
        .patch(&format!("/staff/{admin_id}"), json!({"is_admin": false}))
        .await;
    assert_eq!(r.status(), 409, "the last admin stays");
    let role = list["data"][1]["role_id"].as_i64().unwrap();
    assert_eq!(
        api.delete(&format!("/roles/{role}")).await.status(),
        409,
        "role in use"
    );
}

async fn operations_endpoints_and_headers(app: TestApp) {
    let r = reqwest::get(format!("{}/healthz", app.base)).await.unwrap();
    assert_eq!(r.status(), 200);
    let b = app.admin().await;
    let r = b.get("/customers").await;
    let h = r.headers();
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("img-src 'self' data: https://tile.openstreetmap.org;"),
        "images from us and the map's tiles only: {csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h.get("strict-transport-security").is_none(),
        "plain http here"
    );
    let metrics = reqwest::get(format!("{}/metrics", app.base)).await.unwrap();
    assert_eq!(metrics.status(), 404, "no metrics token configured");
    let (status, page) = b.text("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(page.contains("Diese Seite gibt es nicht"));
    let css = reqwest::get(format!(
        "{}/static/vendor/bootstrap/bootstrap.min.css",
        app.base
    ))
    .await
    .unwrap();
    assert_eq!(css.status(), 200);
}

async fn api_errors_are_json_with_the_field_named(app: TestApp) {
    let api = app.admin_api().await;
    let url = format!("{}/payments", api.base);
    let envelope = |r: reqwest::Response| async move {
        let status = r.status().as_u16();
        let body: Value = r.json().await.expect("a JSON error body");
        (status, body)
    };
    // Declared too large: refused before it is read.
    let big = "x".repeat(300 * 1024);
    // A fresh connection each: a refused body closes the connection it came on.
    let r = reqwest::Client::new()
        .post(&url)
        .bearer_auth(&api.token)
        .header("content-type", "application/json")
        .body(big.clone())
        .send()
        .await
        .unwrap();
    let (status, body) = envelope(r).await;
    assert_eq!(status, 413);
    assert_eq!(body["error"]["code"], "too_large");
    // Chunked, so no length is declared: still a 413, not "invalid JSON".
    let chunks = futures::stream::iter((0..300).map(|_| Ok::<_, std::io::Error>(vec![b' '; 1024])));
    // A fresh connection each: a refused body closes the connection it came on.
    let r = reqwest::Client::new()
        .post(&url)
        .bearer_auth(&api.token)
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    let (status, body) = envelope(r).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["message"], "The request is too large.");
    // An overlong URI: the envelope too, in the client's language.
    let r = api
        .client
        .get(format!("{}/customers?q={}", api.base, "x".repeat(20_000)))
        .bearer_auth(&api.token)
        .header("accept-language", "de")
        .send()
        .await
        .unwrap();
    let (status, body) = envelope(r).await;
    assert_eq!(status, 414);
    assert_eq!(body["error"]["code"], "uri_too_long");
    assert_eq!(
        body["error"]["message"],
        "Die Adresse der Anfrage ist zu lang."
    );
    // A value of the wrong type names its field (a payment mode is an id
    // or a key, never a list).
    let r = api
        .post(
            "/payments",
            json!({"invoice_id": 1, "amount": "10", "payment_mode": ["bank"]}),
        )
        .await;
    let (status, body) = envelope(r).await;
    assert_eq!(status, 422);
    assert!(
        body["error"]["fields"]["payment_mode"]
            .as_str()
            .unwrap()
            .contains("expected"),
        "{body}"
    );
    let r = api
        .post(
            "/invoices",
            json!({"customer_id": 1, "items": [{"description": "x", "quantity": 3}]}),
        )
        .await;
    let (status, body) = envelope(r).await;
    assert_eq!(status, 422);
    assert!(
        body["error"]["fields"]["items[0].quantity"].is_string(),
        "{body}"
    );
    // Not JSON at all.
    let r = api
        .client
        .post(&url)
        .bearer_auth(&api.token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (status, body) = envelope(r).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "bad_request");
}
