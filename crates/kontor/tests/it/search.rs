//! The global search: customers, contacts, invoices and credit notes from
//! the modules' providers, each hit only for who may see it, in the header
//! box's page and `GET /api/v1/search`.

use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(
    documents_are_found_by_number_and_by_customer,
    each_hit_only_for_who_may_see_it
);

/// Issues an invoice for the customer and returns (id, number).
async fn issued_invoice(api: &Api, customer: i64) -> (i64, String) {
    let r = api
        .post(
            "/invoices",
            json!({"customer_id": customer, "items": [{"description": "Beratung", "quantity": "1", "rate": "100", "taxes": ["19"]}]}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let issued = api.issue("invoices", id).await;
    (id, issued["number"].as_str().unwrap().to_string())
}

fn titles(found: &Value, kind: &str) -> Vec<String> {
    found[kind]
        .as_array()
        .unwrap_or_else(|| panic!("a list of {kind}: {found}"))
        .iter()
        .map(|h| h["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn documents_are_found_by_number_and_by_customer(app: TestApp) {
    let api = app.admin_api().await;
    let alpha = api.customer(json!({"company": "Alphaworks GmbH"})).await;
    let beta = api.customer(json!({"company": "Betamax AG"})).await;
    let r = api
        .post("/contacts", json!({"customer_id": beta, "first_name": "Erika", "last_name": "Muster", "email": "erika@betamax.example"}))
        .await;
    assert_eq!(r.status(), 201);
    let (a1, n1) = issued_invoice(&api, alpha).await;
    let (_, n2) = issued_invoice(&api, alpha).await;
    let (b1, n3) = issued_invoice(&api, beta).await;
    let note = api
        .post(
            "/credit-notes",
            json!({"customer_id": beta, "invoice_id": b1, "items": [{"description": "Gutschrift", "quantity": "1", "rate": "10", "taxes": ["19"]}]}),
        )
        .await;
    assert_eq!(note.status(), 201);
    let note_id = note.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let note_number = api.issue("credit-notes", note_id).await["number"]
        .as_str()
        .unwrap()
        .to_string();

    // The whole number finds that invoice and nothing else.
    let found = api.json(&format!("/search?q={n1}")).await;
    assert_eq!(titles(&found, "invoices"), vec![n1.clone()], "{found}");
    assert_eq!(found["invoices"][0]["url"], format!("/invoices/{a1}"));
    assert!(
        found["invoices"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("Alphaworks GmbH"),
        "{found}"
    );
    assert!(titles(&found, "credit_notes").is_empty());
    // The start of the numbers finds all of that series, newest first.
    let prefix: String = n1.chars().take(3).collect();
    let found = api.json(&format!("/search?q={prefix}")).await;
    let mut all = titles(&found, "invoices");
    all.sort();
    let mut expected = vec![n1.clone(), n2.clone(), n3.clone()];
    expected.sort();
    assert_eq!(all, expected, "{found}");
    // A credit note by its number.
    let found = api.json(&format!("/search?q={note_number}")).await;
    assert_eq!(titles(&found, "credit_notes"), vec![note_number.clone()]);
    // The customer's name finds the customer and its documents.
    let found = api.json("/search?q=betamax").await;
    assert_eq!(titles(&found, "customers"), vec!["Betamax AG"]);
    assert_eq!(titles(&found, "invoices"), vec![n3.clone()], "{found}");
    assert_eq!(titles(&found, "credit_notes"), vec![note_number.clone()]);
    // A contact by name, with its customer.
    let found = api.json("/search?q=erika").await;
    assert_eq!(titles(&found, "contacts"), vec!["Erika Muster"]);
    assert!(
        found["contacts"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("Betamax AG")
    );
    // The page behind the header's search box groups the same hits.
    let browser = app.admin().await;
    let (status, page) = browser.text(&format!("/search?q={n3}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"search-invoices\""), "{page}");
    assert!(page.contains(&format!("href=\"/invoices/{b1}\"")));
    assert!(!page.contains(&n1));
    let (_, page) = browser.text("/search?q=zzzz-nothing").await;
    assert!(page.contains("id=\"search-empty\""));
}

async fn each_hit_only_for_who_may_see_it(app: TestApp) {
    let admin = app.admin_api().await;
    let (scoped_id, scoped) = app
        .staff_with(
            &admin,
            "scoped",
            json!({"customers": ["view_own"], "invoices": ["view"]}),
        )
        .await;
    let (_, no_invoices) = app
        .staff_with(&admin, "clerk", json!({"customers": ["view"]}))
        .await;
    let mine = admin
        .customer(json!({"company": "Ownco GmbH", "admin_ids": [scoped_id]}))
        .await;
    let theirs = admin.customer(json!({"company": "Otherco GmbH"})).await;
    let (_, own_number) = issued_invoice(&admin, mine).await;
    let (_, their_number) = issued_invoice(&admin, theirs).await;
    let prefix: String = own_number.chars().take(3).collect();

    let found = admin.json(&format!("/search?q={prefix}")).await;
    assert_eq!(titles(&found, "invoices").len(), 2);

    // "View own" customers: only the invoices of the customers they administer.
    let api = app.api_as(&scoped).await;
    let found = api.json(&format!("/search?q={prefix}")).await;
    assert_eq!(
        titles(&found, "invoices"),
        vec![own_number.clone()],
        "{found}"
    );
    let found = api.json(&format!("/search?q={their_number}")).await;
    assert!(titles(&found, "invoices").is_empty(), "{found}");
    let found = api.json("/search?q=otherco").await;
    assert!(titles(&found, "customers").is_empty(), "{found}");

    // No invoices permission: customers, but no invoices at all.
    let api = app.api_as(&no_invoices).await;
    let found = api.json("/search?q=ownco").await;
    assert_eq!(titles(&found, "customers"), vec!["Ownco GmbH"]);
    assert!(titles(&found, "invoices").is_empty(), "{found}");
    let found = api.json(&format!("/search?q={own_number}")).await;
    assert!(titles(&found, "invoices").is_empty(), "{found}");
    let b = app.browser();
    b.login(&no_invoices, "staff-password-1").await;
    let (_, page) = b.text(&format!("/search?q={own_number}")).await;
    assert!(!page.contains("href=\"/invoices/"), "{page}");
}
