//! Proposals: a subject and markdown content (sanitised, in the PDF with
//! its headings, lists and tables) with optional lines; read on the secret
//! link (then open), commented on by both sides with each told, accepted
//! in the portal with a drawn signature (the certificate page with name,
//! IP and the hash of the archived PDF), converted once each to an
//! estimate and an invoice; who sees what.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{documents::pdf_text, estimates::drawn_signature, helpers::*, on_both};

on_both!(with smtp => a_proposal_is_read_commented_accepted_and_converted);
on_both!(
    proposals_refuse_bad_input_and_keep_to_their_customer,
    an_open_proposal_is_reminded_once_and_expires
);

fn smtp() -> std::collections::HashMap<String, String> {
    let (mut settings, received) = crate::email::smtp_server();
    INBOX.with(|i| *i.borrow_mut() = Some(received));
    settings.insert(
        "KONTOR_MAX_BODY_BYTES".into(),
        (2 * 1024 * 1024).to_string(),
    );
    settings
}

thread_local! {
    static INBOX: std::cell::RefCell<Option<std::sync::Arc<std::sync::Mutex<Vec<String>>>>> = const { std::cell::RefCell::new(None) };
}

fn mails() -> Vec<String> {
    INBOX
        .with(|i| i.borrow().clone())
        .expect("the SMTP server of this test")
        .lock()
        .expect("inbox")
        .clone()
}

const CONTENT: &str = "# Ausgangslage\n\nIhr Shop braucht **mehr Tempo**.\n\n## Leistungen\n\n1. Analyse\n2. Umsetzung\n   - Caching\n\n| Phase | Wochen |\n|---|---|\n| Analyse | 2 |\n\n<script>alert(1)</script>";

pub async fn proposal(api: &Api, customer: i64, items: bool) -> Value {
    let lines = if items {
        json!([{"description": "Analyse", "quantity": "2", "unit": "Tag", "rate": "800", "taxes": ["19"]}])
    } else {
        json!([])
    };
    let r = api
        .post(
            "/proposals",
            json!({"customer_id": customer, "date": "2026-11-27", "subject": "Schneller Shop",
                "content": CONTENT, "items": lines}),
        )
        .await;
    assert_eq!(r.status(), 201);
    r.json().await.expect("json")
}

fn token_of(p: &Value) -> String {
    let url = p["public_url"].as_str().expect("a public url once sent");
    url.rsplit('/').next().expect("token").to_owned()
}

async fn a_proposal_is_read_commented_accepted_and_converted(app: TestApp) {
    let dir = tempfile::tempdir().expect("tempdir");
    app.set_up_company().await;
    let api = app.admin_api().await;
    let c = api
        .customer(json!({"company": "Vorschlag GmbH", "language": "de"}))
        .await;
    api.post(
        "/contacts",
        json!({"customer_id": c, "first_name": "Erika", "last_name": "Muster",
            "email": "erika@vorschlag.example", "permissions": ["proposals"],
            "password": "erika-password-1"}),
    )
    .await;
    let p = proposal(&api, c, true).await;
    let id = p["id"].as_i64().expect("id");
    assert_eq!(p["status"], "draft");
    assert_eq!(p["open_till"], "2026-12-27", "30 days by default");
    let total = p["total"].as_str().expect("total").to_owned();

    let admin = app.admin().await;
    let (status, page) = admin.text(&format!("/proposals/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("<strong>mehr Tempo</strong>") && page.contains("<table>"));
    assert!(
        !page.contains("<script>alert"),
        "HTML in the content is removed"
    );
    let preview = admin
        .post(
            "/proposals/preview",
            &[("content", "## Hallo\n\n<img src=x onerror=alert(1)>")],
        )
        .await;
    assert_eq!(preview.status(), 200);
    let preview = preview.text().await.expect("preview");
    assert!(preview.contains("<h2>Hallo</h2>") && !preview.contains("onerror"));
    let r = api
        .post(
            &format!("/proposals/{id}/comments"),
            json!({"body": "Entwurf"}),
        )
        .await;
    assert_eq!(r.status(), 409, "a draft takes no comments");

    let r = api.post(&format!("/proposals/{id}/send"), json!({})).await;
    assert_eq!(
        r.status(),
        200,
        "sending a draft numbers it: {:?}",
        r.text().await
    );
    let p = api.json(&format!("/proposals/{id}")).await;
    assert_eq!(p["number"], "VS-2026-00001");
    assert_eq!(p["status"], "sent");
    let token = token_of(&p);
    let found = api.json("/search?q=VS-2026-00001").await;
    assert_eq!(
        found["proposals"][0]["url"],
        format!("/proposals/{id}"),
        "{found}"
    );
    let pdf = api.bytes(&format!("/proposals/{id}/pdf")).await;
    let text = pdf_text(dir.path(), &pdf);
    for shown in [
        "Vorschlag",
        "Schneller Shop",
        "Ausgangslage",
        "mehr Tempo",
        "Caching",
        "Wochen",
        "Analyse",
    ] {
        assert!(text.contains(shown), "{shown} in the PDF: {text}");
    }
    assert!(!text.contains("<script>"), "raw HTML is not printed");
    app.run_pending_jobs().await;
    assert!(
        mails()
            .iter()
            .any(|m| m.contains("erika@vorschlag.example") && m.contains("VS-2026-00001.pdf")),
        "sent with its PDF"
    );

    // The customer reads it on the link: it is open now, and comments.
    let visitor = app.browser();
    let (status, page) = visitor.text(&format!("/p/proposal/{token}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("<strong>mehr Tempo</strong>") && !page.contains("<script>alert"));
    assert_eq!(
        api.json(&format!("/proposals/{id}")).await["status"],
        "open"
    );
    let r = visitor
        .post(
            &format!("/p/proposal/{token}/comments"),
            &[
                ("author_name", "Erika"),
                ("comment", "x".repeat(5001).as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "a comment over the limit");
    let r = visitor
        .post(
            &format!("/p/proposal/{token}/comments"),
            &[
                ("author_name", "Erika"),
                ("comment", "Geht es auch in 3 Wochen?"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, bell) = admin.text("/notifications").await;
    assert!(
        bell.contains("VS-2026-00001"),
        "staff are told of the comment"
    );

    // Staff answer; the customer is told by email.
    let r = api
        .post(
            &format!("/proposals/{id}/comments"),
            json!({"body": "Ja, mit zwei Leuten."}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let comments: Value = r.json().await.expect("json");
    assert_eq!(comments.as_array().map(Vec::len), Some(2));
    assert_eq!(comments[0]["author_kind"], "public");
    assert_eq!(comments[1]["author_kind"], "staff");
    app.run_pending_jobs().await;
    assert!(
        mails()
            .iter()
            .any(|m| m.contains("erika@vorschlag.example") && m.contains("Neuer Kommentar")),
        "the customer is told of staff's comment"
    );
    assert!(
        mails()
            .iter()
            .any(|m| m.contains(&format!("To: {ADMIN_EMAIL}")) && m.contains("Kommentar")),
        "staff are told by email too"
    );

    // Accepted in the portal as the contact.
    let portal = app.browser();
    portal
        .post(
            "/portal/login",
            &[
                ("email", "erika@vorschlag.example"),
                ("password", "erika-password-1"),
            ],
        )
        .await;
    let (status, list) = portal.text("/portal/proposals").await;
    assert_eq!(status, 200);
    assert!(list.contains("VS-2026-00001") && list.contains("Schneller Shop"));
    let (_, page) = portal.text(&format!("/portal/proposals/{id}")).await;
    assert!(page.contains("Ja, mit zwei Leuten.") && page.contains("id=\"accept-form\""));
    let signature = drawn_signature(false);
    let r = portal
        .post(
            &format!("/portal/proposals/{id}/accept"),
            &[
                ("name", "Erika Muster"),
                ("email", "erika@vorschlag.example"),
                ("signature", &signature),
                ("agree", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let p = api.json(&format!("/proposals/{id}")).await;
    assert_eq!(p["status"], "accepted");
    assert_eq!(p["accepted_by"]["ip"], "127.0.0.1");
    let archived = api.bytes(&format!("/proposals/{id}/pdf")).await;
    let signed = portal
        .get(&format!("/portal/proposals/{id}/signed.pdf"))
        .await;
    assert_eq!(signed.status(), 200);
    let text = pdf_text(dir.path(), &signed.bytes().await.expect("pdf"));
    assert!(text.contains("VS-2026-00001") && text.contains("Annahmebestätigung"));
    assert!(text.contains("Erika Muster") && text.contains("127.0.0.1"));
    assert!(
        text.contains(&hex::encode(Sha256::digest(&archived))),
        "the hash of the PDF as it was accepted"
    );

    // Converted once each, linked both ways.
    let r = api
        .post(
            &format!("/proposals/{id}/convert"),
            json!({"to": "estimate"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let estimate = r.json::<Value>().await.expect("json")["estimate_id"]
        .as_i64()
        .expect("estimate id");
    let r = api
        .post(
            &format!("/proposals/{id}/convert"),
            json!({"to": "estimate"}),
        )
        .await;
    assert_eq!(r.status(), 409, "one estimate");
    let r = api
        .post(
            &format!("/proposals/{id}/convert"),
            json!({"to": "invoice"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let invoice = r.json::<Value>().await.expect("json")["invoice_id"]
        .as_i64()
        .expect("invoice id");
    let r = api
        .post(
            &format!("/proposals/{id}/convert"),
            json!({"to": "invoice"}),
        )
        .await;
    assert_eq!(r.status(), 409, "one invoice");
    let e = api.json(&format!("/estimates/{estimate}")).await;
    assert_eq!(e["total"], total.as_str(), "to the cent");
    let i = api.json(&format!("/invoices/{invoice}")).await;
    assert_eq!(i["total"], total.as_str());
    assert_eq!(i["items"], p["items"]);
    let (_, page) = admin.text(&format!("/proposals/{id}")).await;
    assert!(
        page.contains(&format!("href=\"/estimates/{estimate}\""))
            && page.contains(&format!("href=\"/invoices/{invoice}\""))
    );
    for back in [
        format!("/estimates/{estimate}"),
        format!("/invoices/{invoice}"),
    ] {
        let (_, page) = admin.text(&back).await;
        assert!(
            page.contains(&format!("href=\"/proposals/{id}\"")),
            "{back} links back"
        );
    }
    let r = api
        .post(&format!("/proposals/{id}/undo-answer"), json!({}))
        .await;
    assert_eq!(r.status(), 409, "a converted proposal keeps its answer");
}

async fn proposals_refuse_bad_input_and_keep_to_their_customer(app: TestApp) {
    app.set_up_company().await;
    let api = app.admin_api().await;
    let a = api
        .customer(json!({"company": "Alpha Vorschlag GmbH"}))
        .await;
    let b = api.customer(json!({"company": "Beta Vorschlag AG"})).await;
    api.post(
        "/contacts",
        json!({"customer_id": a, "first_name": "Paula", "last_name": "Alpha",
            "email": "paula@alpha-vorschlag.example", "permissions": ["proposals"],
            "password": "paula-password-1"}),
    )
    .await;
    for (body, why) in [
        (json!({"customer_id": a, "content": "x"}), "no subject"),
        (
            json!({"customer_id": a, "subject": "x", "date": "2026-11-27", "open_till": "2026-11-20"}),
            "open till before the date",
        ),
        (
            json!({"customer_id": a, "subject": "x", "currency": "USD"}),
            "not the customer's currency",
        ),
    ] {
        let r = api.post("/proposals", body).await;
        assert_eq!(r.status(), 422, "{why}");
    }
    assert_eq!(
        api.json("/proposals").await["total"],
        0,
        "nothing half-saved"
    );
    let late = api
        .post(
            "/proposals",
            json!({"customer_id": a, "subject": "Spät", "date": "2026-01-05", "open_till": "2026-01-10"}),
        )
        .await;
    assert_eq!(late.status(), 201);
    let late = late.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let r = api
        .post(&format!("/proposals/{late}/mark-sent"), json!({}))
        .await;
    assert_eq!(r.status(), 409, "open till in the past when sending");
    let found = api.json(&format!("/proposals/{late}")).await;
    assert_eq!(
        (found["status"].as_str(), found["number"].as_str()),
        (Some("draft"), None),
        "nothing taken"
    );
    let r = api.delete(&format!("/proposals/{late}")).await;
    assert_eq!(r.status(), 204);

    let mine = proposal(&api, a, false).await["id"].as_i64().expect("id");
    let theirs = proposal(&api, b, false).await["id"].as_i64().expect("id");
    for id in [mine, theirs] {
        let r = api
            .post(&format!("/proposals/{id}/mark-sent"), json!({}))
            .await;
        assert_eq!(r.status(), 200, "a proposal without lines is sent");
    }
    let p = app.browser();
    p.post(
        "/portal/login",
        &[
            ("email", "paula@alpha-vorschlag.example"),
            ("password", "paula-password-1"),
        ],
    )
    .await;
    let (_, list) = p.text("/portal/proposals").await;
    assert!(list.contains("VS-2026-00001") && !list.contains("VS-2026-00002"));
    assert_eq!(
        p.get(&format!("/portal/proposals/{theirs}")).await.status(),
        404
    );
    let r = p
        .post(
            &format!("/portal/proposals/{theirs}/comments"),
            &[("comment", "hallo")],
        )
        .await;
    assert_eq!(r.status(), 404, "another customer's proposal");
    let r = p
        .post(
            &format!("/portal/proposals/{theirs}/decline"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(r.status(), 404);
    let r = app
        .browser()
        .post("/p/proposal/not-a-token/decline", &[("reason", "")])
        .await;
    assert_eq!(r.status(), 404, "a guessed token");

    let r = p
        .post(
            &format!("/portal/proposals/{mine}/decline"),
            &[("reason", "Zu früh")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = api
        .post(
            &format!("/proposals/{mine}/convert"),
            json!({"to": "invoice"}),
        )
        .await;
    assert_eq!(r.status(), 409, "only an accepted proposal is converted");
    let r = app
        .admin()
        .await
        .post(&format!("/proposals/{mine}/revise"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let found = api.json(&format!("/proposals/{mine}")).await;
    assert_eq!(found["status"], "revised");
    let all = api.json(&format!("/proposals?customer_id={a}")).await;
    assert_eq!(all["total"], 2, "the revision is a new draft");

    // A staff member who sees only their own proposals.
    let (_, own) = app
        .staff_with(
            &api,
            "olaf",
            json!({"proposals": ["view_own", "create", "edit"], "customers": ["view"]}),
        )
        .await;
    let olaf = app.api_as(&own).await;
    assert_eq!(olaf.get(&format!("/proposals/{mine}")).await.status(), 404);
    let list = olaf.json(&format!("/proposals?customer_id={a}")).await;
    assert_eq!(list["total"], 0, "none of his");
    let r = olaf
        .post(
            &format!("/proposals/{mine}/comments"),
            json!({"body": "hallo"}),
        )
        .await;
    assert_eq!(r.status(), 404, "no comment on what he does not see");
}

async fn an_open_proposal_is_reminded_once_and_expires(app: TestApp) {
    app.set_up_company().await;
    let api = app.admin_api().await;
    let c = api
        .customer(json!({"company": "Frist Vorschlag KG", "language": "de"}))
        .await;
    api.post(
        "/contacts",
        json!({"customer_id": c, "first_name": "Fritz", "last_name": "Frist",
            "email": "fritz@frist-vorschlag.example", "permissions": ["invoices"]}),
    )
    .await;
    let today = app.state.clock.today();
    let r = api
        .post(
            "/proposals",
            json!({"customer_id": c, "subject": "Wartung", "open_till": (today + chrono::Days::new(5)).to_string()}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    api.post(&format!("/proposals/{id}/mark-sent"), json!({}))
        .await;
    let token = token_of(&api.json(&format!("/proposals/{id}")).await);
    let reminded = |app: &TestApp| {
        let dir = app.data_dir.path().join("mail");
        std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                    .filter(|m| m.contains("Erinnerung: Vorschlag"))
                    .count()
            })
            .unwrap_or(0)
    };
    app.run_pending_jobs().await;
    assert_eq!(
        reminded(&app),
        0,
        "five days before: not yet (3 by default)"
    );
    app.state.clock.advance(chrono::Duration::days(3));
    app.run_pending_jobs().await;
    app.run_pending_jobs().await;
    assert_eq!(reminded(&app), 1, "once");
    app.state.clock.advance(chrono::Duration::days(3));
    app.run_pending_jobs().await;
    assert_eq!(
        api.json(&format!("/proposals/{id}")).await["status"],
        "expired"
    );
    let (status, page) = app.browser().text(&format!("/p/proposal/{token}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("id=\"proposal-closed\"") && !page.contains("id=\"accept-form\""),
        "shown as expired, no longer answered"
    );
    let (_, tab) = app
        .admin()
        .await
        .text(&format!("/customers/{c}/proposals"))
        .await;
    assert!(tab.contains("Abgelaufen"), "expired in the list");
}
