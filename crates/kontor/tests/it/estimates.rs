//! Estimates: the life cycle through the API and the pages (draft, send
//! by a real SMTP server with the PDF, numbered on sending), the answer on
//! the secret link with a drawn signature (stored, in the signed copy),
//! conversion to an invoice once, expiry and the reminder by the worker,
//! the portal and who sees what.

use std::{
    path::Path,
    sync::{Arc, Mutex},
};

use chrono::Days;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{
    documents::{pdf_text, read_with},
    helpers::*,
    on_both,
};

on_both!(with smtp => an_estimate_is_sent_accepted_with_a_signature_and_converted_once);
on_both!(
    estimates_expire_and_remind_once_by_the_worker,
    answers_are_taken_once_and_only_by_who_may
);

/// A real SMTP server, and the default body limit of 2 MiB, which takes a
/// signature of up to 1 MB (tests otherwise run with less).
fn smtp() -> std::collections::HashMap<String, String> {
    let (mut settings, received) = crate::email::smtp_server();
    INBOX.with(|i| *i.borrow_mut() = Some(received));
    settings.insert(
        "KONTOR_MAX_BODY_BYTES".into(),
        (2 * 1024 * 1024).to_string(),
    );
    settings
}

// The test body runs on the thread that started its app (`block_on`), so
// the inbox of its SMTP server is found there.
thread_local! {
    static INBOX: std::cell::RefCell<Option<Arc<Mutex<Vec<String>>>>> = const { std::cell::RefCell::new(None) };
}

fn inbox() -> Arc<Mutex<Vec<String>>> {
    INBOX
        .with(|i| i.borrow().clone())
        .expect("the SMTP server of this test")
}

/// A signature as signature_pad sends it: a PNG data URL with a stroke.
pub fn drawn_signature(blank: bool) -> String {
    use base64::Engine;
    let (w, h) = (120u32, 40u32);
    let mut pixels = vec![0u8; (w * h * 4) as usize];
    if !blank {
        for x in 10..110 {
            let y = 20 + (x % 7);
            let at = ((y * w + x) * 4) as usize;
            pixels[at..at + 4].copy_from_slice(&[0, 0, 0, 255]);
        }
    }
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, w, h);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("png header");
        writer.write_image_data(&pixels).expect("png data");
    }
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    )
}

pub async fn estimate(api: &Api, customer: i64, rate: &str) -> Value {
    let r = api
        .post(
            "/estimates",
            json!({"customer_id": customer, "date": "2026-11-27", "discount_percent": "10",
                "items": [{"description": "Beratung", "quantity": "3", "unit": "h", "rate": rate, "taxes": ["19"]},
                          {"description": "Material", "quantity": "1", "rate": "49.99", "taxes": ["7"]}]}),
        )
        .await;
    assert_eq!(r.status(), 201);
    r.json().await.expect("json")
}

/// The secret of a draft's link, which no page shows.
async fn draft_token(app: &TestApp, id: i64) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let db = &app.state.db;
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            kernel::db::sql(
                db.get_database_backend(),
                "SELECT public_token FROM estimates WHERE id = $1",
            ),
            [id.into()],
        ))
        .await
        .expect("query")
        .expect("the estimate");
    row.try_get("", "public_token").expect("token")
}

fn token_of(e: &Value) -> String {
    let url = e["public_url"].as_str().expect("a public url once sent");
    url.rsplit('/').next().expect("token").to_owned()
}

fn images(dir: &Path, pdf: &[u8]) -> usize {
    read_with(dir, "images.pdf", pdf, "pdfimages", &["-list", "{}"])
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .count()
}

async fn an_estimate_is_sent_accepted_with_a_signature_and_converted_once(app: TestApp) {
    let dir = tempfile::tempdir().expect("tempdir");
    app.set_up_company().await;
    let api = app.admin_api().await;
    let c = api
        .customer(json!({"company": "Angebot GmbH", "language": "de"}))
        .await;
    api.post(
        "/contacts",
        json!({"customer_id": c, "first_name": "Erika", "last_name": "Muster",
            "email": "erika@angebot.example", "permissions": ["invoices", "estimates"]}),
    )
    .await;

    let r = api
        .post(
            "/estimates",
            json!({"customer_id": c, "date": "2026-11-27", "expiry_date": "2026-11-20",
                "items": [{"description": "x", "quantity": "1", "rate": "1", "taxes": ["19"]}]}),
        )
        .await;
    assert_eq!(r.status(), 422, "expiry before the date");
    let e = estimate(&api, c, "100").await;
    let id = e["id"].as_i64().expect("id");
    assert_eq!(e["status"], "draft");
    assert_eq!(e["number"], Value::Null);
    assert_eq!(e["expiry_date"], "2026-12-27", "30 days by default");
    assert_eq!(e["public_url"], Value::Null, "no link for a draft");
    let total = e["total"].as_str().expect("total").to_owned();

    let (status, _) = app
        .browser()
        .text(&format!("/p/estimate/{}", draft_token(&app, id).await))
        .await;
    assert_eq!(status, 404, "the public page of a draft");
    let r = api.post(&format!("/estimates/{id}/send"), json!({})).await;
    assert_eq!(r.status(), 200, "sending a draft numbers it");
    let e = api.json(&format!("/estimates/{id}")).await;
    assert_eq!(e["status"], "sent");
    assert_eq!(e["number"], "AN-2026-00001");
    assert!(e["sent_at"].is_string());
    let token = token_of(&e);
    assert!(token.len() >= 43, "at least 256 bits");
    let found = api.json("/search?q=AN-2026-00001").await;
    assert_eq!(
        found["estimates"][0]["url"],
        format!("/estimates/{id}"),
        "{found}"
    );
    let (_, overview) = app.admin().await.text(&format!("/customers/{c}")).await;
    let open = format!("id=\"figure-estimates\">{} EUR", total.replace('.', ","));
    assert!(overview.contains(&open), "the open estimates in the header");
    let r = api
        .patch(&format!("/estimates/{id}"), json!({"client_note": "x"}))
        .await;
    assert_eq!(r.status(), 409, "a sent estimate is not edited");

    assert!(app.run_pending_jobs().await >= 1);
    let mails = inbox().lock().expect("inbox").clone();
    let mail = mails
        .iter()
        .find(|m| m.contains("erika@angebot.example"))
        .expect("the estimate's mail");
    let parsed = mail_parser::MessageParser::default()
        .parse(mail.as_bytes())
        .expect("MIME");
    assert_eq!(
        parsed.subject(),
        Some("Angebot AN-2026-00001 von Kontor Test GmbH"),
        "the number filled in once it was taken"
    );
    assert!(mail.contains("AN-2026-00001.pdf") && mail.contains("application/pdf"));
    assert!(
        parsed
            .body_text(0)
            .is_some_and(|t| t.contains(&format!("/p/estimate/{token}"))),
        "the link to answer"
    );

    // The public page, no login: the document, then the form.
    let visitor = app.browser();
    let (status, page) = visitor.text(&format!("/p/estimate/{token}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("AN-2026-00001") && page.contains("id=\"legal-text\""));
    let (status, _) = visitor
        .text(&format!("/p/estimate/{}x", &token[..token.len() - 1]))
        .await;
    assert_eq!(status, 404, "a tampered token");
    let accept = format!("/p/estimate/{token}/accept");
    let blank = drawn_signature(true);
    let r = visitor
        .post(
            &accept,
            &[
                ("name", "Erika Muster"),
                ("email", "erika@angebot.example"),
                ("signature", &blank),
                ("agree", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("page")
            .contains("Bitte unterschreiben Sie")
    );
    let signature = drawn_signature(false);
    for (fields, why) in [
        (
            vec![
                ("name", "Erika"),
                ("email", "erika@angebot.example"),
                ("signature", "data:image/gif;base64,R0lG"),
                ("agree", "1"),
            ],
            "not a PNG",
        ),
        (
            vec![
                ("name", ""),
                ("email", "erika@angebot.example"),
                ("signature", signature.as_str()),
                ("agree", "1"),
            ],
            "no name",
        ),
        (
            vec![
                ("name", "Erika"),
                ("email", "nope"),
                ("signature", signature.as_str()),
                ("agree", "1"),
            ],
            "bad email",
        ),
        (
            vec![
                ("name", "Erika"),
                ("email", "erika@angebot.example"),
                ("signature", signature.as_str()),
            ],
            "legal text not confirmed",
        ),
    ] {
        let r = visitor.post(&accept, &fields).await;
        assert_eq!(r.status(), 422, "{why}");
    }
    let big = format!("data:image/png;base64,{}", "A".repeat(1_500_000));
    let r = visitor
        .post(
            &accept,
            &[
                ("name", "E"),
                ("email", "e@x.example"),
                ("signature", &big),
                ("agree", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "over 1 MB");
    assert_eq!(
        api.json(&format!("/estimates/{id}")).await["status"],
        "sent",
        "nothing changed"
    );

    let r = visitor
        .post(
            &accept,
            &[
                ("name", "Erika Muster"),
                ("email", "erika@angebot.example"),
                ("signature", &signature),
                ("agree", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = visitor.text(&format!("/p/estimate/{token}")).await;
    assert!(page.contains("Angenommen") && !page.contains("id=\"accept-form\""));
    let r = visitor
        .post(
            &accept,
            &[
                ("name", "Erika Muster"),
                ("email", "erika@angebot.example"),
                ("signature", &signature),
                ("agree", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 409, "accepted twice");
    assert!(r.text().await.expect("page").contains("bereits angenommen"));
    let r = visitor
        .post(
            &format!("/p/estimate/{token}/decline"),
            &[("reason", "zu teuer")],
        )
        .await;
    assert_eq!(r.status(), 409, "no decline after acceptance");

    let e = api.json(&format!("/estimates/{id}")).await;
    assert_eq!(e["status"], "accepted");
    assert_eq!(e["accepted_by"]["name"], "Erika Muster");
    assert_eq!(e["accepted_by"]["ip"], "127.0.0.1");
    let admin = app.admin().await;
    let png = admin.get(&format!("/estimates/{id}/signature.png")).await;
    assert_eq!(png.status(), 200);
    let stored = png.bytes().await.expect("png").to_vec();
    assert!(
        signature.ends_with(&{
            use base64::Engine;
            base64::engine::general_purpose::STANDARD.encode(&stored)
        }),
        "the drawn signature as it was sent"
    );
    let original = api.bytes(&format!("/estimates/{id}/pdf")).await;
    let signed = admin.get(&format!("/estimates/{id}/signed.pdf")).await;
    assert_eq!(signed.status(), 200);
    let signed = signed.bytes().await.expect("pdf").to_vec();
    assert!(
        images(dir.path(), &signed) > images(dir.path(), &original),
        "the signature is in it"
    );
    let text = pdf_text(dir.path(), &signed);
    assert!(
        text.contains("AN-2026-00001"),
        "the original pages come first"
    );
    assert!(
        text.contains("Annahmebestätigung")
            && text.contains("Erika Muster")
            && text.contains("127.0.0.1")
    );
    assert!(
        text.contains(&hex::encode(Sha256::digest(&original))),
        "the hash of the archived PDF"
    );
    let (_, page) = admin.text(&format!("/estimates/{id}")).await;
    assert!(page.contains("id=\"estimate-acceptance\"") && page.contains("Erika Muster"));
    let (_, activity) = admin.text(&format!("/customers/{c}/activity")).await;
    assert!(
        activity.contains("AN-2026-00001 · Erika Muster"),
        "in the activity log"
    );
    let (_, bell) = admin.text("/notifications").await;
    assert!(
        bell.contains("AN-2026-00001"),
        "staff are notified in the app"
    );
    app.run_pending_jobs().await;
    let mails = inbox().lock().expect("inbox").clone();
    let told = mails.iter().any(|m| {
        let parsed = mail_parser::MessageParser::default().parse(m.as_bytes());
        m.contains(&format!("To: {ADMIN_EMAIL}"))
            && parsed.is_some_and(|p| p.subject().is_some_and(|s| s.contains("AN-2026-00001")))
    });
    assert!(told, "and by email");

    let r = api
        .post(&format!("/estimates/{id}/convert"), json!({}))
        .await;
    assert_eq!(r.status(), 200);
    let invoice = r.json::<Value>().await.expect("json")["invoice_id"]
        .as_i64()
        .expect("invoice id");
    let r = api
        .post(&format!("/estimates/{id}/convert"), json!({}))
        .await;
    assert_eq!(r.status(), 409, "converted once");
    let i = api.json(&format!("/invoices/{invoice}")).await;
    assert_eq!(i["total"], total.as_str(), "to the cent");
    assert_eq!(i["subtotal"], e["subtotal"]);
    assert_eq!(i["tax_total"], e["tax_total"]);
    assert_eq!(i["items"], e["items"]);
    assert_eq!(i["status"], "draft");
    let e = api.json(&format!("/estimates/{id}")).await;
    assert_eq!(e["invoice_id"], invoice);
    let (_, page) = admin.text(&format!("/estimates/{id}")).await;
    assert!(page.contains(&format!("href=\"/invoices/{invoice}\"")));
    let (_, page) = admin.text(&format!("/invoices/{invoice}")).await;
    assert!(
        page.contains("id=\"document-origin\"")
            && page.contains(&format!("href=\"/estimates/{id}\"")),
        "the invoice links back"
    );
    let r = api
        .post(&format!("/estimates/{id}/undo-answer"), json!({}))
        .await;
    assert_eq!(r.status(), 409, "a converted estimate keeps its answer");

    let zip = admin
        .get(&format!("/customers/{c}/estimates/zip?status=accepted"))
        .await;
    assert_eq!(zip.status(), 200);
    let zip = zip.bytes().await.expect("zip");
    let archive = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).expect("a zip");
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.expect("a name").into_owned())
        .collect();
    assert_eq!(names, ["AN-2026-00001.pdf"]);
}

async fn estimates_expire_and_remind_once_by_the_worker(app: TestApp) {
    app.set_up_company().await;
    let api = app.admin_api().await;
    let c = api
        .customer(json!({"company": "Frist KG", "language": "de"}))
        .await;
    api.post(
        "/contacts",
        json!({"customer_id": c, "first_name": "Fritz", "last_name": "Frist",
            "email": "fritz@frist.example", "permissions": ["invoices"]}),
    )
    .await;
    let today = app.state.clock.today();
    let r = api
        .post(
            "/estimates",
            json!({"customer_id": c, "expiry_date": (today + Days::new(6)).to_string(),
                "items": [{"description": "Leistung", "quantity": "1", "rate": "10", "taxes": ["19"]}]}),
        )
        .await;
    let id = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    api.post(&format!("/estimates/{id}/mark-sent"), json!({}))
        .await;
    let e = api.json(&format!("/estimates/{id}")).await;
    assert_eq!(e["status"], "sent");
    let token = token_of(&e);
    let reminded = |app: &TestApp| {
        let dir = app.data_dir.path().join("mail");
        std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                    .filter(|m| m.contains("Erinnerung: Angebot"))
                    .count()
            })
            .unwrap_or(0)
    };
    app.run_pending_jobs().await;
    assert_eq!(reminded(&app), 0, "six days before: not yet (3 by default)");
    app.state.clock.advance(chrono::Duration::days(3));
    app.run_pending_jobs().await;
    assert_eq!(reminded(&app), 1);
    app.run_pending_jobs().await;
    app.state.clock.advance(chrono::Duration::days(1));
    app.run_pending_jobs().await;
    assert_eq!(reminded(&app), 1, "once per estimate");
    assert_eq!(
        api.json(&format!("/estimates/{id}")).await["status"],
        "sent"
    );

    app.state.clock.advance(chrono::Duration::days(3));
    app.run_pending_jobs().await;
    assert_eq!(
        api.json(&format!("/estimates/{id}")).await["status"],
        "expired"
    );
    let visitor = app.browser();
    let r = visitor
        .post(
            &format!("/p/estimate/{token}/accept"),
            &[
                ("name", "Fritz"),
                ("email", "fritz@frist.example"),
                ("signature", &drawn_signature(false)),
                ("agree", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.expect("page").contains("abgelaufen"));
    assert_eq!(
        api.json(&format!("/estimates/{id}")).await["status"],
        "expired",
        "nothing changed"
    );
}

async fn answers_are_taken_once_and_only_by_who_may(app: TestApp) {
    app.set_up_company().await;
    let api = app.admin_api().await;
    let a = api.customer(json!({"company": "Alpha Angebot GmbH"})).await;
    let b = api.customer(json!({"company": "Beta Angebot AG"})).await;
    api.post(
        "/contacts",
        json!({"customer_id": a, "first_name": "Paula", "last_name": "Alpha",
            "email": "paula@alpha-angebot.example", "permissions": ["estimates"],
            "password": "paula-password-1"}),
    )
    .await;
    let mine = estimate(&api, a, "10").await["id"].as_i64().expect("id");
    let theirs = estimate(&api, b, "20").await["id"].as_i64().expect("id");
    for id in [mine, theirs] {
        api.post(&format!("/estimates/{id}/mark-sent"), json!({}))
            .await;
    }

    let p = app.browser();
    p.post(
        "/portal/login",
        &[
            ("email", "paula@alpha-angebot.example"),
            ("password", "paula-password-1"),
        ],
    )
    .await;
    let (status, page) = p.text("/portal/estimates").await;
    assert_eq!(status, 200);
    assert!(page.contains("AN-2026-00001") && !page.contains("AN-2026-00002"));
    assert_eq!(
        p.get(&format!("/portal/estimates/{theirs}")).await.status(),
        404
    );
    let r = p
        .post(
            &format!("/portal/estimates/{theirs}/decline"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(r.status(), 404, "another customer's estimate");
    let r = p
        .post(
            &format!("/portal/estimates/{mine}/decline"),
            &[("reason", "Budget gestrichen")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let e = api.json(&format!("/estimates/{mine}")).await;
    assert_eq!(e["status"], "declined");
    assert_eq!(e["decline_reason"], "Budget gestrichen");

    // Staff take the answer back and record one given by phone.
    let admin = app.admin().await;
    let r = admin
        .post(&format!("/estimates/{mine}/undo-answer"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        api.json(&format!("/estimates/{mine}")).await["status"],
        "sent"
    );
    let r = admin
        .post(
            &format!("/estimates/{mine}/accept"),
            &[("name", ""), ("email", "x")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = admin
        .post(
            "/settings/estimates",
            &[("expiry_days", "-1"), ("reminder_days", "3")],
        )
        .await;
    assert_eq!(r.status(), 422, "days are whole and not negative");
    let r = admin
        .post(
            "/settings/estimates",
            &[
                ("expiry_days", "30"),
                ("reminder_days", "3"),
                ("auto_convert", "on"),
                ("legal_text_de", "Mit der Unterschrift beauftragen Sie uns."),
                ("legal_text_en", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let link = token_of(&api.json(&format!("/estimates/{theirs}")).await);
    let (_, page) = app.browser().text(&format!("/p/estimate/{link}")).await;
    assert!(
        page.contains("Mit der Unterschrift beauftragen Sie uns."),
        "the legal text as set"
    );
    let r = admin
        .post(
            &format!("/estimates/{mine}/accept"),
            &[
                ("name", "Paula Alpha"),
                ("email", "paula@alpha-angebot.example"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let e = api.json(&format!("/estimates/{mine}")).await;
    assert_eq!(e["status"], "accepted");
    assert!(
        e["accepted_by"]["recorded_by"].is_number(),
        "recorded by staff"
    );
    assert!(
        e["invoice_id"].is_number(),
        "converted on acceptance, as set"
    );

    // Staff who see only their own estimates.
    let (_, own) = app
        .staff_with(
            &api,
            "olga",
            json!({"estimates": ["view_own", "create", "edit"], "customers": ["view"]}),
        )
        .await;
    let olga = app.api_as(&own).await;
    assert_eq!(
        olga.get(&format!("/estimates/{theirs}")).await.status(),
        404
    );
    let list = olga.json(&format!("/estimates?customer_id={a}")).await;
    assert_eq!(list["total"], 0, "none of hers");
    let hers = estimate(&olga, a, "5").await["id"].as_i64().expect("id");
    let list = olga.json(&format!("/estimates?customer_id={a}")).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["data"][0]["id"], hers);
}
