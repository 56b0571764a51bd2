use serde_json::json;

use crate::{helpers::*, on_both};

on_both!(
    notes_render_markdown_and_never_run_script,
    notes_hang_on_invoices_and_credit_notes_for_who_may_see_them
);

async fn notes_render_markdown_and_never_run_script(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "MD GmbH"})).await;
    let b = app.admin().await;
    let body = "**Wichtig**: Rückruf\n\n<script>alert('x')</script><img src=x onerror=alert(1)> [link](javascript:alert(2))";
    assert_eq!(
        b.post(
            &format!("/customers/{c}/notes"),
            &[("body", body), ("contacted_at", "2026-11-01")]
        )
        .await
        .status(),
        303
    );
    let (_, page) = b.text(&format!("/customers/{c}/notes")).await;
    assert!(page.contains("<strong>Wichtig</strong>"));
    let notes = &page[page.find("id=\"notes\"").expect("notes list")..];
    assert!(
        !notes.contains("<script>alert")
            && !notes.contains("onerror")
            && !notes.contains("href=\"javascript"),
        "{notes}"
    );
    assert!(page.contains("01.11.2026"), "date in German format");
    let r = b
        .post(
            &format!("/customers/{c}/notes"),
            &[("body", "  "), ("contacted_at", "gestern")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Dieses Feld ist erforderlich.") && page.contains("JJJJ-MM-TT"));
    assert_eq!(
        api.json(&format!("/notes?customer_id={c}")).await["total"],
        1
    );
}

/// A note on an invoice or a credit note: on the document's page, in the
/// customer's activity, edited and deleted from there; for staff who may
/// not see invoices it exists nowhere.
async fn notes_hang_on_invoices_and_credit_notes_for_who_may_see_them(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Notiz GmbH"})).await;
    let line =
        json!([{"description": "Beratung", "quantity": "1", "rate": "100", "taxes": ["19"]}]);
    let r = api
        .post("/invoices", json!({"customer_id": c, "items": line}))
        .await;
    let invoice = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = api
        .post("/credit-notes", json!({"customer_id": c, "items": line}))
        .await;
    let credit = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let b = app.admin().await;

    let r = b
        .post(
            &format!("/invoices/{invoice}/notes"),
            &[("body", "Skonto **vereinbart**"), ("contacted_at", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = b.text(&format!("/invoices/{invoice}")).await;
    let notes = &page[page
        .find("id=\"invoice-notes\"")
        .expect("notes on the invoice")..];
    assert!(
        notes.contains("Skonto <strong>vereinbart</strong>"),
        "{notes}"
    );
    let edit_at = notes.find("/edit\"").expect("an edit link");
    let id: i64 = notes[..edit_at]
        .rsplit("/notes/")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // Refused input shows the invoice page again with the error.
    let r = b
        .post(&format!("/invoices/{invoice}/notes"), &[("body", " ")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"invoice-notes\""));
    // Not on the customer's own notes; in the activity, under the invoice.
    let (_, tab) = b.text(&format!("/customers/{c}/notes")).await;
    assert!(!tab.contains("vereinbart"));
    let (_, log) = b.text(&format!("/customers/{c}/activity")).await;
    assert!(log.contains("Notiz hinzugefügt"), "{log}");

    // Edited and deleted from the invoice, back to the invoice.
    let r = b
        .post(&format!("/notes/{id}"), &[("body", "Skonto 2 %")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/invoices/{invoice}")
    );
    let (_, page) = b.text(&format!("/invoices/{invoice}")).await;
    assert!(page.contains("Skonto 2 %"));

    let r = b
        .post(
            &format!("/credit-notes/{credit}/notes"),
            &[("body", "Gutschrift wegen Mangel")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = b.text(&format!("/credit-notes/{credit}")).await;
    assert!(page.contains("Gutschrift wegen Mangel"));

    // Customers yes, invoices no: the invoice note is nowhere to be had.
    let (_, email) = app
        .staff_with(&api, "kunden", json!({"customers": ["view", "edit"]}))
        .await;
    let clerk = app.browser();
    clerk.login(&email, "staff-password-1").await;
    assert_eq!(clerk.get(&format!("/notes/{id}/edit")).await.status(), 404);
    let r = clerk
        .post(&format!("/invoices/{invoice}/notes"), &[("body", "x")])
        .await;
    assert!(matches!(r.status().as_u16(), 403 | 404), "{}", r.status());
    assert_eq!(
        clerk
            .post(&format!("/notes/{id}/delete"), &[])
            .await
            .status(),
        404
    );
    let (_, log) = clerk.text(&format!("/customers/{c}/activity")).await;
    assert!(
        !log.contains("Notiz hinzugefügt") && !log.contains("Notiz geändert"),
        "{log}"
    );

    let r = b.post(&format!("/notes/{id}/delete"), &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/invoices/{invoice}")
    );
    let (_, page) = b.text(&format!("/invoices/{invoice}")).await;
    assert!(!page.contains("Skonto 2 %"));
}
