use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(
    custom_fields_are_defined_validated_and_shown,
    custom_fields_respect_admin_only_and_settings_permission
);

async fn custom_fields_are_defined_validated_and_shown(app: TestApp) {
    let b = app.admin().await;
    let r = b
        .post(
            "/settings/custom-fields",
            &[
                ("entity_kind", "customer"),
                ("label", "Branche"),
                ("field_type", "select"),
                ("options", "Handwerk\nHandel\nIT"),
                ("show_in_list", "on"),
                ("sort_order", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = b
        .post(
            "/settings/custom-fields",
            &[
                ("entity_kind", "customer"),
                ("label", "Kanäle"),
                ("field_type", "multiselect"),
                ("options", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "multi-select without choices");
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Auswahlfelder brauchen mindestens einen Wert.")
    );
    let api = app.admin_api().await;
    for body in [
        json!({"entity_kind": "customer", "label": "Kanäle", "field_type": "multiselect", "options": ["E-Mail", "Telefon", "Post"]}),
        json!({"entity_kind": "customer", "label": "Mitarbeiterzahl", "field_type": "number"}),
        json!({"entity_kind": "customer", "label": "Gründung", "field_type": "date"}),
        json!({"entity_kind": "customer", "label": "Newsletter", "field_type": "checkbox"}),
        json!({"entity_kind": "customer", "label": "Wiki", "field_type": "link"}),
        json!({"entity_kind": "contact", "label": "Geburtstag", "field_type": "date", "required": true}),
    ] {
        assert_eq!(api.post("/custom-fields", body).await.status(), 201);
    }
    let dup = api
        .post(
            "/custom-fields",
            json!({"entity_kind": "customer", "label": "Branche", "field_type": "text"}),
        )
        .await;
    assert_eq!(dup.status(), 422, "key taken");

    let bad = api
        .post("/customers", json!({"company": "Feld GmbH", "custom_fields": {"branche": "Landwirtschaft", "mitarbeiterzahl": "viele",
            "gruendung": "1.1.2000", "wiki": "javascript:alert(1)", "nope": "x"}}))
        .await;
    assert_eq!(bad.status(), 422);
    let err: Value = bad.json().await.unwrap();
    for key in ["branche", "mitarbeiterzahl", "gruendung", "wiki", "nope"] {
        assert!(
            err["error"]["fields"][format!("custom_fields.{key}")].is_string(),
            "{key}: {err}"
        );
    }
    assert_eq!(api.json("/customers").await["total"], 0);

    let id = api
        .customer(json!({"company": "Feld GmbH", "custom_fields": {"branche": "IT", "kanaele": ["Post", "E-Mail"], "mitarbeiterzahl": "12,5",
            "gruendung": "2001-02-03", "newsletter": true, "wiki": "https://wiki.example/feld"}}))
        .await;
    let c = api.json(&format!("/customers/{id}")).await;
    assert_eq!(c["custom_fields"]["branche"], "IT");
    assert_eq!(c["custom_fields"]["kanaele"], json!(["E-Mail", "Post"]));
    assert_eq!(c["custom_fields"]["mitarbeiterzahl"], "12.5");
    assert_eq!(c["custom_fields"]["newsletter"], true);

    let (_, list) = b.text("/customers").await;
    assert!(
        list.contains("<th>Branche</th>") && list.contains("<td>IT</td>"),
        "shown in the list"
    );
    let (_, profile) = b.text(&format!("/customers/{id}")).await;
    assert!(
        profile.contains("name=\"custom_fields.kanaele\"")
            && profile.contains("value=\"2001-02-03\"")
    );

    let r = b
        .post(
            &format!("/customers/{id}"),
            &[
                ("company", "Feld GmbH"),
                ("currency", "EUR"),
                ("language", "de"),
                ("active", "on"),
                ("shipping_same_as_billing", "on"),
                ("custom_fields.branche", "Handel"),
                ("custom_fields.kanaele", "Telefon"),
                ("custom_fields.mitarbeiterzahl", "zwölf"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Bitte geben Sie eine Zahl ein.") && page.contains("value=\"zwölf\""),
        "input kept"
    );
    let r = b
        .post(
            &format!("/customers/{id}"),
            &[
                ("company", "Feld GmbH"),
                ("currency", "EUR"),
                ("language", "de"),
                ("active", "on"),
                ("shipping_same_as_billing", "on"),
                ("custom_fields.branche", "Handel"),
                ("custom_fields.kanaele", "Telefon"),
                ("custom_fields.mitarbeiterzahl", "13"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let c = api.json(&format!("/customers/{id}")).await;
    assert_eq!(c["custom_fields"]["kanaele"], json!(["Telefon"]));
    assert_eq!(
        c["custom_fields"]["newsletter"], false,
        "an unticked box is saved as unticked"
    );
    assert_eq!(
        c["custom_fields"]["gruendung"],
        Value::Null,
        "an emptied field is cleared"
    );
    let trail = api.json(&format!("/customers/{id}/activity")).await;
    assert!(
        trail["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|ch| ch["field"] == "custom_fields.branche" && ch["new_value"] == "Handel")
    );

    let csv = b.get("/customers/export.csv").await.text().await.unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.contains("custom_fields.branche") && header.contains("custom_fields.kanaele"));
    assert!(csv.contains("Handel") && csv.contains("Telefon"));
    let import = "company,custom_fields.kanaele,custom_fields.branche\nImport KG,E-Mail; Post,IT\nFalsch KG,Fax,IT\n";
    let r = b
        .upload_file("/customers/import", "c.csv", import.as_bytes().to_vec())
        .await;
    let report = r.text().await.unwrap();
    assert!(
        report.contains("<strong>1</strong>") && report.contains("<td>3</td>"),
        "{report}"
    );
    let imported = api.json("/customers?q=import+kg").await["data"][0]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        api.json(&format!("/customers/{imported}")).await["custom_fields"]["kanaele"],
        json!(["E-Mail", "Post"])
    );

    let missing = api.post("/contacts", json!({"customer_id": id, "first_name": "A", "last_name": "B", "email": "a@feld.example"})).await;
    assert_eq!(missing.status(), 422, "required contact field");
    let ok: Value = api
        .post("/contacts", json!({"customer_id": id, "first_name": "A", "last_name": "B", "email": "a@feld.example",
            "custom_fields": {"geburtstag": "1990-05-17"}}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ok["custom_fields"]["geburtstag"], "1990-05-17");
}

async fn custom_fields_respect_admin_only_and_settings_permission(app: TestApp) {
    let api = app.admin_api().await;
    let r = api
        .post(
            "/custom-fields",
            json!({"entity_kind": "customer", "label": "Bonität", "field_type": "select",
        "options": ["gut", "schlecht"], "admin_only": true}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let id = api
        .customer(json!({"company": "Geheim AG", "custom_fields": {"bonitaet": "gut"}}))
        .await;
    let (_, email) = app
        .staff_with(&api, "editor", json!({"customers": ["view", "edit"]}))
        .await;
    let b = app.browser();
    b.login(&email, "staff-password-1").await;
    assert_eq!(b.get("/settings/custom-fields").await.status(), 403);
    let editor = app.api_as(&email).await;
    let r = editor
        .patch(
            &format!("/customers/{id}"),
            json!({"custom_fields": {"bonitaet": "schlecht"}}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        editor
            .post(
                "/custom-fields",
                json!({"entity_kind": "customer", "label": "x", "field_type": "text"})
            )
            .await
            .status(),
        403
    );
    let (_, profile) = b.text(&format!("/customers/{id}")).await;
    assert!(
        profile.contains("name=\"custom_fields.bonitaet\" disabled"),
        "shown but locked"
    );
    let r = b
        .post(
            &format!("/customers/{id}"),
            &[
                ("company", "Geheim AG"),
                ("currency", "EUR"),
                ("language", "de"),
                ("active", "on"),
                ("shipping_same_as_billing", "on"),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        303,
        "a locked field left out of the form keeps its value"
    );
    assert_eq!(
        api.json(&format!("/customers/{id}")).await["custom_fields"]["bonitaet"],
        "gut"
    );
}
