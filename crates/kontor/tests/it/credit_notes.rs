//! Credit notes: drafts, issuing in their own series, applying credit to
//! invoices (never more than is left or owed, also under concurrency),
//! refunds, voiding, cancelling an invoice with a Stornorechnung, the PDF
//! and the permissions.

use serde_json::{Value, json};

use crate::{documents::pdf_text, helpers::*, on_both};

on_both!(
    credit_is_applied_refunded_and_never_used_twice,
    an_invoice_is_cancelled_by_a_stornorechnung,
    a_customer_with_documents_is_kept
);

async fn invoice(api: &Api, customer: i64, rate: &str) -> i64 {
    let draft: Value = api
        .post(
            "/invoices",
            json!({"customer_id": customer, "date": "2026-11-27", "due_date": "2026-12-11",
                "items": [{"description": "Leistung", "quantity": "1", "rate": rate, "taxes": ["19"]}]}),
        )
        .await
        .json()
        .await
        .expect("json");
    let id = draft["id"].as_i64().expect("id");
    let r = api.post(&format!("/invoices/{id}/issue"), json!({})).await;
    assert_eq!(r.status(), 200);
    id
}

async fn credit_note(api: &Api, customer: i64, rate: &str) -> Value {
    let r = api
        .post(
            "/credit-notes",
            json!({"customer_id": customer, "date": "2026-11-28",
                "items": [{"description": "Gutschrift Leistung", "quantity": "1", "rate": rate, "taxes": ["19"]}]}),
        )
        .await;
    assert_eq!(r.status(), 201);
    r.json().await.expect("json")
}

async fn credit_is_applied_refunded_and_never_used_twice(app: TestApp) {
    let api = app.admin_api().await;
    let c = api
        .customer(json!({"company": "Kredit GmbH", "language": "de"}))
        .await;
    let other = api.customer(json!({"company": "Fremd AG"})).await;
    let foreign_invoice = invoice(&api, other, "10").await;

    let r = api
        .post(
            "/credit-notes",
            json!({"customer_id": c, "items": [{"description": "x", "quantity": "-1", "rate": "10", "taxes": ["19"]}]}),
        )
        .await;
    assert_eq!(r.status(), 422, "no negative quantities");
    let r = api
        .post(
            "/credit-notes",
            json!({"customer_id": c, "invoice_id": foreign_invoice,
                "items": [{"description": "x", "quantity": "1", "rate": "10", "taxes": ["19"]}]}),
        )
        .await;
    assert_eq!(r.status(), 422, "another customer's invoice");

    let note = credit_note(&api, c, "100").await;
    let id = note["id"].as_i64().expect("id");
    assert_eq!(note["status"], "draft");
    assert_eq!(note["total"], "119.00");
    let r = api
        .post(
            &format!("/credit-notes/{id}/apply"),
            json!({"invoice_id": foreign_invoice, "amount": "1"}),
        )
        .await;
    assert_eq!(r.status(), 422, "a draft has no credit to apply");
    let issued: Value = api
        .post(&format!("/credit-notes/{id}/issue"), json!({}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(issued["number"], "GS-2026-00001");
    assert_eq!(issued["status"], "open");
    assert_eq!(issued["remaining"], "119.00");
    let r = api
        .patch(&format!("/credit-notes/{id}"), json!({"adjustment": "1"}))
        .await;
    assert_eq!(r.status(), 409, "an issued credit note is not edited");

    let a = invoice(&api, c, "500").await;
    let r = api
        .post(
            &format!("/credit-notes/{id}/apply"),
            json!({"invoice_id": foreign_invoice, "amount": "1"}),
        )
        .await;
    assert_eq!(r.status(), 422, "only this customer's invoices");
    let r = api
        .post(
            &format!("/credit-notes/{id}/apply"),
            json!({"invoice_id": a, "amount": "100"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let applied: Value = r.json().await.expect("json");
    assert_eq!(applied["remaining"], "19.00");
    assert_eq!(applied["applications"][0]["amount"], "100.00");
    let inv = api.json(&format!("/invoices/{a}")).await;
    assert_eq!(inv["amount_credited"], "100.00");
    assert_eq!(inv["amount_due"], "495.00");
    assert_eq!(inv["status"], "partially_paid");

    let r = api
        .post(
            &format!("/credit-notes/{id}/apply"),
            json!({"invoice_id": a, "amount": "19,01"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.expect("json");
    assert!(
        body["error"]["fields"]["amount"].is_string(),
        "more than is left: {body}"
    );

    let browser = app.admin().await;
    let (_, tab) = browser.text(&format!("/customers/{c}/credit-notes")).await;
    assert!(
        tab.contains("GS-2026-00001") && tab.contains("19,00 EUR"),
        "credits available on the tab"
    );
    let (_, overview) = browser.text(&format!("/customers/{c}")).await;
    assert!(overview.contains("id=\"figure-credits\">19,00 EUR"));

    let r = browser
        .post(
            &format!("/credit-notes/{id}/refund"),
            &[
                ("amount", "19"),
                ("date", "2026-11-28"),
                ("note", "Überwiesen"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let closed = api.json(&format!("/credit-notes/{id}")).await;
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["amount_refunded"], "19.00");
    let r = browser
        .post(&format!("/credit-notes/{id}/refund"), &[("amount", "1")])
        .await;
    assert_eq!(r.status(), 422, "nothing left to refund");

    // Two invoices ask for more than the note holds at the same moment:
    // exactly one gets its credit.
    let second = credit_note(&api, c, "50").await;
    let sid = second["id"].as_i64().expect("id");
    api.issue("credit-notes", sid).await;
    let b = invoice(&api, c, "100").await;
    let d = invoice(&api, c, "100").await;
    let apply = format!("/credit-notes/{sid}/apply");
    let (x, y) = tokio::join!(
        api.post(&apply, json!({"invoice_id": b, "amount": "40"})),
        api.post(&apply, json!({"invoice_id": d, "amount": "40"})),
    );
    let mut codes = [x.status().as_u16(), y.status().as_u16()];
    codes.sort_unstable();
    assert_eq!(codes, [200, 422]);
    assert_eq!(
        api.json(&format!("/credit-notes/{sid}")).await["remaining"],
        "19.50"
    );

    let third = credit_note(&api, c, "10").await;
    let tid = third["id"].as_i64().expect("id");
    api.issue("credit-notes", tid).await;
    let r = api
        .post(&format!("/credit-notes/{tid}/void"), json!({}))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.expect("json")["status"], "void");
    let r = api
        .post(&format!("/credit-notes/{tid}/void"), json!({}))
        .await;
    assert_eq!(r.status(), 409);
    let list = api.json(&format!("/credit-notes?customer_id={c}")).await;
    let numbers: Vec<&str> = list["data"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|n| n["number"].as_str())
        .collect();
    assert_eq!(numbers.len(), 3, "a void note keeps its number");

    let (status, form) = browser
        .text(&format!("/customers/{c}/credit-notes/new"))
        .await;
    assert_eq!(status, 200);
    assert!(form.contains("item_description") && !form.contains("name=\"due_date\""));
    let r = browser
        .post(
            &format!("/customers/{c}/credit-notes"),
            &[
                ("date", "2026-11-28"),
                ("item_description", "Treuerabatt"),
                ("item_quantity", "1"),
                ("item_rate", "20"),
                ("item_tax1", "19"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = r.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        browser.post(&format!("{page}/issue"), &[]).await.status(),
        303
    );
    let b_id = b.to_string();
    let r = browser
        .post(
            &format!("{page}/apply"),
            &[
                ("invoice_id", b_id.as_str()),
                ("amount", "1000"),
                ("date", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap_or_default()
            .contains("Das ist mehr als das verbleibende Guthaben")
    );
    let r = browser
        .post(
            &format!("{page}/apply"),
            &[
                ("invoice_id", b_id.as_str()),
                ("amount", "23,80"),
                ("date", "2026-11-28"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, shown) = browser.text(&page).await;
    assert!(
        shown.contains("Abgeschlossen") && shown.contains("RE-2026-00003"),
        "closed, applied to the invoice"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = api
        .get(&format!("/credit-notes/{id}/pdf"))
        .await
        .bytes()
        .await
        .expect("pdf");
    let text = pdf_text(dir.path(), &pdf);
    assert!(
        text.contains("Rechnungskorrektur GS-2026-00001")
            && text.contains("Gutschrift Leistung")
            && text.contains("119,00 EUR"),
        "{text}"
    );

    let (_, clerk) = app
        .staff_with(
            &api,
            "clerk",
            json!({"customers": ["view"], "invoices": ["view"]}),
        )
        .await;
    let clerk_api = app.api_as(&clerk).await;
    assert_eq!(
        clerk_api.get(&format!("/credit-notes/{id}")).await.status(),
        404
    );
    assert_eq!(
        clerk_api
            .get(&format!("/credit-notes?customer_id={c}"))
            .await
            .status(),
        403
    );
    let v = app.browser();
    v.login(&clerk, "staff-password-1").await;
    let (_, overview) = v.text(&format!("/customers/{c}")).await;
    assert!(
        !overview.contains(&format!("/customers/{c}/credit-notes")),
        "no tab without the permission"
    );
}

async fn an_invoice_is_cancelled_by_a_stornorechnung(app: TestApp) {
    let api = app.admin_api().await;
    let c = api
        .customer(json!({"company": "Storno KG", "language": "de"}))
        .await;
    let paid = invoice(&api, c, "10").await;
    let r = api
        .post(
            "/payments",
            json!({"invoice_id": paid, "amount": "5", "date": "2026-11-28"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let r = api
        .post(&format!("/invoices/{paid}/cancel"), json!({}))
        .await;
    assert_eq!(r.status(), 409, "payments first");
    let browser = app.admin().await;
    let (_, page) = browser.text(&format!("/invoices/{paid}")).await;
    assert!(
        page.contains("id=\"cancel-blocked\"")
            && page.contains("Bitte zuerst die Zahlungen löschen")
            && !page.contains("id=\"cancel-invoice\""),
        "the button is off and says why"
    );

    let b = invoice(&api, c, "200").await;
    let (_, page) = browser.text(&format!("/invoices/{b}")).await;
    assert!(page.contains("id=\"cancel-invoice\""));
    let r = browser.post(&format!("/invoices/{b}/cancel"), &[]).await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(location.starts_with("/credit-notes/"));
    let storno_id: i64 = location
        .trim_start_matches("/credit-notes/")
        .parse()
        .expect("id");
    let storno = api.json(&format!("/credit-notes/{storno_id}")).await;
    assert_eq!(storno["cancellation"], true);
    assert_eq!(storno["status"], "closed");
    assert_eq!(storno["number"], "GS-2026-00001");
    assert_eq!(storno["invoice_id"], b);
    assert_eq!(storno["total"], "238.00");
    let cancelled = api.json(&format!("/invoices/{b}")).await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["amount_due"], "0.00");
    let r = api.post(&format!("/invoices/{b}/cancel"), json!({})).await;
    assert_eq!(r.status(), 409, "once");
    let r = api
        .post(
            "/payments",
            json!({"invoice_id": b, "amount": "1", "date": "2026-11-28"}),
        )
        .await;
    assert_eq!(r.status(), 422, "a cancelled invoice takes no payment");
    let r = api.post(&format!("/invoices/{b}/pdf"), json!({})).await;
    assert_eq!(r.status(), 405);

    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = api
        .get(&format!("/credit-notes/{storno_id}/pdf"))
        .await
        .bytes()
        .await
        .expect("pdf");
    let text = pdf_text(dir.path(), &pdf);
    assert!(
        text.contains("Stornorechnung GS-2026-00001")
            && text.contains("storniert die Rechnung RE-2026-00002")
            && text.contains("238,00 EUR"),
        "{text}"
    );
    let (_, page) = browser.text(&format!("/invoices/{b}")).await;
    assert!(page.contains("Storniert") && !page.contains("id=\"cancel-invoice\""));
    let (_, overview) = browser.text(&format!("/customers/{c}")).await;
    assert!(
        overview.contains("id=\"figure-outstanding\">6,90 EUR"),
        "only the paid invoice's rest is open"
    );
    // The cancelled invoice stays listed; its total counts in no sum.
    let (_, tab) = browser.text(&format!("/customers/{c}/invoices")).await;
    assert!(tab.contains("Storniert"), "still listed");
    assert!(tab.contains("id=\"invoices-sum\">11,90 EUR"), "{tab}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credit_notes_are_filtered_zipped_and_sent_sqlite() {
    credit_notes_are_filtered_zipped_and_sent(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credit_notes_are_filtered_zipped_and_sent_postgres() {
    if let Some(url) = pg_url() {
        credit_notes_are_filtered_zipped_and_sent(Backend::Postgres(url)).await;
    }
}

async fn credit_notes_are_filtered_zipped_and_sent(backend: Backend) {
    use mail_parser::{MessageParser, MimeHeaders};

    let dir = tempfile::tempdir().expect("tempdir");
    let (settings, received) = crate::email::smtp_server();
    let app = spawn_app_with(backend, settings).await;
    let api = app.admin_api().await;
    let c = api
        .customer(json!({"company": "Gutschrift KG", "language": "de"}))
        .await;
    let anna: Value = api
        .post(
            "/contacts",
            json!({"customer_id": c, "first_name": "Anna", "last_name": "Buch",
            "email": "anna@gutschrift.example", "permissions": ["invoices"]}),
        )
        .await
        .json()
        .await
        .expect("json");
    let mut ids = Vec::new();
    for (day, rate, issue) in [
        ("2026-10-05", "10", true),
        ("2026-11-10", "20", true),
        ("2026-11-12", "30", false),
    ] {
        let r = api
            .post(
                "/credit-notes",
                json!({"customer_id": c, "date": day,
                    "items": [{"description": format!("Gutschrift {day}"), "quantity": "1", "rate": rate, "taxes": ["19"]}]}),
            )
            .await;
        let id = r.json::<Value>().await.expect("json")["id"]
            .as_i64()
            .expect("id");
        if issue {
            let r = api
                .post(&format!("/credit-notes/{id}/issue"), json!({}))
                .await;
            assert_eq!(r.status(), 200);
        }
        ids.push(id);
    }

    let browser = app.admin().await;
    let (status, page) = browser
        .text(&format!(
            "/customers/{c}/credit-notes?status=open&from=2026-11-01&to=2026-11-30"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("GS-2026-00002") && !page.contains("GS-2026-00001"));
    assert!(
        page.contains("id=\"credit-notes-sum\">23,80 EUR"),
        "the sum of the listed notes"
    );
    assert!(
        page.contains("35,70 EUR"),
        "credits available counts every open note, whatever the filter"
    );
    let (status, page) = browser
        .text(&format!("/customers/{c}/credit-notes?from=2026-13-01"))
        .await;
    assert_eq!(status, 422, "a bad date is refused:\n{page}");
    let listed = api
        .json(&format!("/credit-notes?customer_id={c}&from=2026-11-01"))
        .await;
    assert_eq!(listed["total"], 2, "the API filters by period too");

    let r = browser
        .get(&format!("/customers/{c}/credit-notes/zip"))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let all = r.bytes().await.expect("zip");
    assert_eq!(
        crate::documents::zip_names(dir.path(), &all),
        vec![
            "GS-2026-00001.pdf".to_string(),
            "GS-2026-00002.pdf".into(),
            format!("draft-{}.pdf", ids[2]),
        ]
    );
    let r = browser
        .get(&format!(
            "/customers/{c}/credit-notes/zip?status=open&id={}",
            ids[0]
        ))
        .await;
    let chosen = r.bytes().await.expect("zip");
    assert_eq!(
        crate::documents::zip_names(dir.path(), &chosen),
        vec!["GS-2026-00001.pdf"]
    );
    let archived = api
        .get(&format!("/credit-notes/{}/pdf", ids[0]))
        .await
        .bytes()
        .await
        .expect("pdf");
    let out = dir.path().join("out");
    let target = out.display().to_string();
    crate::documents::read_with(
        dir.path(),
        "chosen.zip",
        &chosen,
        "unzip",
        &["-o", "{}", "-d", &target],
    );
    assert_eq!(
        std::fs::read(out.join("GS-2026-00001.pdf")).expect("unzipped"),
        archived.as_ref(),
        "the zip holds the archived PDF"
    );

    let r = api
        .post(&format!("/credit-notes/{}/send", ids[2]), json!({}))
        .await;
    assert_eq!(r.status(), 409, "a draft is not sent");
    let (_, page) = browser.text(&format!("/credit-notes/{}", ids[1])).await;
    assert!(
        page.contains(&format!("id=\"recipient-{}\" checked", anna["id"])),
        "contacts with the invoices permission come chosen"
    );
    assert!(page.contains("anbei erhalten Sie unsere Gutschrift GS-2026-00002 über 23,80 EUR"));
    let path = format!("/credit-notes/{}/send", ids[1]);
    let r = browser
        .post(&path, &[("subject", "x"), ("body", "y")])
        .await;
    assert_eq!(r.status(), 422, "nobody chosen");
    assert!(
        r.text()
            .await
            .unwrap_or_default()
            .contains("Bitte mindestens einen Empfänger wählen.")
    );
    assert_eq!(app.run_pending_jobs().await, 0, "nothing queued");
    let anna_id = anna["id"].to_string();
    let r = browser
        .post(
            &path,
            &[
                ("contact_ids", anna_id.as_str()),
                ("cc", "buchhaltung@gutschrift.example"),
                ("subject", "Ihre Gutschrift GS-2026-00002"),
                ("body", "Anbei die Gutschrift."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.run_pending_jobs().await, 1);
    let raw = received.lock().expect("inbox").clone();
    let mail = MessageParser::default()
        .parse(raw[0].as_bytes())
        .expect("a MIME message");
    assert_eq!(mail.subject(), Some("Ihre Gutschrift GS-2026-00002"));
    assert_eq!(
        mail.cc().and_then(|a| a.first()).and_then(|a| a.address()),
        Some("buchhaltung@gutschrift.example")
    );
    let attachments: Vec<_> = mail.attachments().collect();
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0].attachment_name(), Some("GS-2026-00002.pdf"));
    let archived = api
        .get(&format!("/credit-notes/{}/pdf", ids[1]))
        .await
        .bytes()
        .await
        .expect("pdf");
    assert_eq!(attachments[0].contents(), archived.as_ref());
    assert!(pdf_text(dir.path(), attachments[0].contents()).contains("Rechnungskorrektur"));

    let r = api
        .post(&format!("/credit-notes/{}/send", ids[0]), json!({}))
        .await;
    assert_eq!(r.status(), 200, "the API sends to the default contacts");
    assert_eq!(app.run_pending_jobs().await, 1);

    let (_, viewer) = app
        .staff_with(
            &api,
            "viewer",
            json!({"customers": ["view"], "credit_notes": ["view"]}),
        )
        .await;
    let clerk = app.api_as(&viewer).await;
    let r = clerk
        .post(&format!("/credit-notes/{}/send", ids[0]), json!({}))
        .await;
    assert_eq!(r.status(), 403, "viewing is not sending");
    assert_eq!(app.run_pending_jobs().await, 0);
}

async fn a_customer_with_documents_is_kept(app: TestApp) {
    let api = app.admin_api().await;
    let with_note = api.customer(json!({"company": "Nur Gutschrift KG"})).await;
    let with_invoice = api.customer(json!({"company": "Rechnung AG"})).await;
    let plain = api.customer(json!({"company": "Leer GmbH"})).await;
    credit_note(&api, with_note, "10").await;
    let draft: Value = api
        .post(
            "/invoices",
            json!({"customer_id": with_invoice, "items": [{"description": "x", "quantity": "1", "rate": "1", "taxes": ["19"]}]}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(draft["id"].is_i64());
    for id in [with_note, with_invoice] {
        let r = api.delete(&format!("/customers/{id}")).await;
        assert_eq!(r.status(), 409, "documents keep their customer");
        let r = api
            .patch(&format!("/customers/{id}"), json!({"currency": "USD"}))
            .await;
        assert_eq!(r.status(), 422, "and its currency");
        assert_eq!(
            api.json(&format!("/customers/{id}")).await["currency"],
            "EUR"
        );
    }
    let b = app.admin().await;
    let r = b.post(&format!("/customers/{with_note}/delete"), &[]).await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text()
            .await
            .unwrap_or_default()
            .contains("Rechnungen oder Gutschriften"),
        "the reason is shown"
    );
    assert_eq!(
        api.delete(&format!("/customers/{plain}")).await.status(),
        204
    );
}
