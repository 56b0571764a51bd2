use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(
    exactly_one_primary_contact_and_unique_emails,
    contacts_are_managed_in_the_tab
);

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
