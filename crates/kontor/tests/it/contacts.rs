use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(
    exactly_one_primary_contact_and_unique_emails,
    contacts_are_managed_in_the_tab,
    contacts_go_out_to_a_spreadsheet_and_come_back
);

async fn contacts_go_out_to_a_spreadsheet_and_come_back(app: TestApp) {
    let api = app.admin_api().await;
    let from = api.customer(json!({"company": "Quelle GmbH"})).await;
    let to = api.customer(json!({"company": "Ziel GmbH"})).await;
    let r = api
        .post(
            "/contacts",
            json!({"customer_id": from, "first_name": "Jörg", "last_name": "Übel",
            "email": "joerg@quelle.example", "position": "=1+1", "permissions": ["invoices", "projects"]}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
    let b = app.admin().await;
    let (_, tab) = b.text(&format!("/customers/{from}/contacts")).await;
    assert!(tab.contains(&format!(
        "/customers/{from}/contacts/export.csv?format=excel"
    )));

    let excel = b
        .get(&format!(
            "/customers/{from}/contacts/export.csv?format=excel"
        ))
        .await;
    assert_eq!(excel.headers()["content-type"], "text/csv; charset=utf-8");
    let excel = excel.bytes().await.expect("body");
    assert!(excel.starts_with("\u{feff}first_name;last_name;email;".as_bytes()));
    let text = String::from_utf8(excel.to_vec()).expect("utf-8");
    assert!(text.contains("Jörg;Übel;joerg@quelle.example"), "{text}");
    assert!(
        text.contains(";'=1+1;"),
        "a formula goes out as text: {text}"
    );

    // Into the other customer, as German Excel saves a file: `;` and
    // Windows-1252; one row with a taken email and one without an email.
    let saved = b"first_name;last_name;email;position;permissions\nKarl;M\xfcller;karl@ziel.example;'=1+1;\"invoices; projects\"\nDoppelt;Da;joerg@quelle.example;;\nOhne;Mail;;;\n".to_vec();
    let r = b
        .upload_file(&format!("/customers/{to}/contacts/import"), "k.csv", saved)
        .await;
    assert_eq!(r.status(), 200);
    let report = r.text().await.expect("page");
    assert!(report.contains("<strong>1</strong>"), "{report}");
    assert!(
        report.contains("<td>3</td>") && report.contains("<td>4</td>"),
        "{report}"
    );
    assert!(report.contains("E-Mail"), "the refusal says why: {report}");
    let listed = api.json(&format!("/contacts?customer_id={to}")).await;
    let karl = &listed["data"][0];
    assert_eq!(listed["total"], 1);
    assert_eq!(karl["last_name"], "Müller");
    assert_eq!(karl["position"], "=1+1");
    assert_eq!(karl["permissions"], json!(["invoices", "projects"]));
    assert_eq!(karl["is_primary"], true);

    let r = b
        .upload_file(
            &format!("/customers/{to}/contacts/import"),
            "x.csv",
            b"name\nx\n".to_vec(),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("page").contains("Spalte „email“"));

    // Staff who may only look at customers may export but not import.
    let (_, viewer) = app
        .staff_with(&api, "leser", json!({"customers": ["view"]}))
        .await;
    let v = app.browser();
    v.login(&viewer, "staff-password-1").await;
    assert_eq!(
        v.get(&format!("/customers/{to}/contacts/export.csv"))
            .await
            .status(),
        200
    );
    assert_eq!(
        v.get(&format!("/customers/{to}/contacts/import"))
            .await
            .status(),
        403
    );
}

async fn exactly_one_primary_contact_and_unique_emails(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Kontakt GmbH"})).await;
    let first: Value = api.post("/contacts", json!({"customer_id": c, "first_name": "Anna", "last_name": "A", "email": "anna@k.example",
        "permissions": ["invoices", "support"], "password": "portal-password-1"})).await.json().await.unwrap();
    assert_eq!(
        first["is_primary"], true,
        "the first contact becomes primary"
    );
    assert_eq!(first["permissions"], json!(["invoices", "support"]));
    assert!(first.get("password").is_none() && first.get("password_hash").is_none());
    let second = api.post("/contacts", json!({"customer_id": c, "first_name": "Bernd", "last_name": "B", "email": "bernd@k.example", "is_primary": true})).await;
    assert_eq!(second.status(), 422);
    let err: Value = second.json().await.unwrap();
    assert!(
        err["error"]["fields"]["is_primary"]
            .as_str()
            .unwrap()
            .contains("primary contact")
    );
    let dup = api.post("/contacts", json!({"customer_id": c, "first_name": "X", "last_name": "Y", "email": "ANNA@k.example"})).await;
    assert_eq!(dup.status(), 422);
    let err: Value = dup.json().await.unwrap();
    assert!(err["error"]["fields"]["email"].is_string());
    let bernd: Value = api.post("/contacts", json!({"customer_id": c, "first_name": "Bernd", "last_name": "B", "email": "bernd@k.example"})).await.json().await.unwrap();
    assert_eq!(bernd["is_primary"], false);
    let b_id = bernd["id"].as_i64().unwrap();
    let a_id = first["id"].as_i64().unwrap();
    assert_eq!(
        api.patch(&format!("/contacts/{a_id}"), json!({"is_primary": false}))
            .await
            .status(),
        422
    );
    assert_eq!(
        api.post(&format!("/contacts/{b_id}/make-primary"), json!({}))
            .await
            .status(),
        200
    );
    let list = api.json(&format!("/contacts?customer_id={c}")).await;
    let primaries: Vec<_> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["is_primary"] == true)
        .collect();
    assert_eq!(primaries.len(), 1);
    assert_eq!(primaries[0]["email"], "bernd@k.example");
    assert_eq!(api.delete(&format!("/contacts/{b_id}")).await.status(), 204);
    assert_eq!(
        api.json(&format!("/contacts/{a_id}")).await["is_primary"],
        true,
        "deleting the primary promotes another"
    );
    let xss = api.post("/contacts", json!({"customer_id": c, "first_name": "<b>x</b>", "last_name": "Z", "email": "z@k.example",
        "permissions": ["root"]})).await;
    assert_eq!(xss.status(), 422, "unknown portal permission");
}

async fn contacts_are_managed_in_the_tab(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Tab GmbH"})).await;
    let b = app.admin().await;
    let r = b
        .post(
            &format!("/customers/{c}/contacts"),
            &[
                ("first_name", "Clara"),
                ("last_name", "Christ"),
                ("email", "clara@tab.example"),
                ("active", "on"),
                ("permissions", "invoices"),
                ("notifications", "support"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, tab) = b.text(&format!("/customers/{c}/contacts")).await;
    assert!(
        tab.contains("Clara Christ")
            && tab.contains("clara@tab.example")
            && tab.contains("Hauptkontakt")
    );
    let (_, overview) = b.text(&format!("/customers/{c}")).await;
    assert!(overview.contains("Clara Christ"));
    let r = b
        .post(
            &format!("/customers/{c}/contacts"),
            &[("first_name", ""), ("last_name", "L"), ("email", "bad")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Das ist keine gültige E-Mail-Adresse.") && page.contains("value=\"L\""));
    let contact = api.json(&format!("/contacts?customer_id={c}")).await["data"][0]["id"]
        .as_i64()
        .unwrap();
    let r = b
        .post(
            &format!("/contacts/{contact}"),
            &[
                ("first_name", "Clara"),
                ("last_name", "Christ-Neu"),
                ("email", "clara@tab.example"),
                ("is_primary", "on"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, history) = b.text(&format!("/customers/{c}/activity")).await;
    assert!(history.contains("last_name") && history.contains("Christ-Neu"));
}
