//! Document PDFs read by real readers: `pdftotext` for what a reader sees,
//! `qpdf --check` for the structure, `pdftoppm` + `zbarimg` for the
//! GiroCode. An issued invoice's PDF is the archived one.

use std::{path::Path, process::Command};

use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(
    an_invoice_pdf_shows_everything_and_stays_as_issued,
    an_invoices_zip_holds_exactly_the_listed_or_chosen_pdfs,
    a_logo_goes_on_documents_issued_after_it
);

/// Runs a reader on `bytes` written to a file in `dir`; its standard output.
pub fn read_with(dir: &Path, name: &str, bytes: &[u8], program: &str, args: &[&str]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write document");
    let out = Command::new(program)
        .args(
            args.iter()
                .map(|a| a.replace("{}", &path.display().to_string())),
        )
        .output()
        .unwrap_or_else(|e| panic!("run {program} (installed by .ci/run): {e}"));
    assert!(
        out.status.success(),
        "{program} failed on {name}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn pdf_text(dir: &Path, bytes: &[u8]) -> String {
    read_with(dir, "doc.pdf", bytes, "pdftotext", &["-layout", "{}", "-"])
}

pub fn qpdf_check(dir: &Path, bytes: &[u8]) {
    read_with(dir, "check.pdf", bytes, "qpdf", &["--check", "{}"]);
}

/// The QR code on the first page, decoded; empty without one.
pub fn qr_code(dir: &Path, bytes: &[u8]) -> String {
    let prefix = dir.join("page");
    read_with(
        dir,
        "qr.pdf",
        bytes,
        "pdftoppm",
        &[
            "-r",
            "200",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            "{}",
            &prefix.display().to_string(),
        ],
    );
    let out = Command::new("zbarimg")
        .args(["--raw", "-q", "-Sbinary"])
        .arg(dir.join("page.png"))
        .output()
        .expect("run zbarimg (installed by .ci/run)");
    let text = String::from_utf8_lossy(&out.stdout);
    text.strip_suffix('\n').unwrap_or(&text).to_owned()
}

async fn set_company(app: &TestApp, name: &str) {
    let admin = app.admin().await;
    let r = admin
        .post(
            "/settings/billing/company",
            &[
                ("name", name),
                ("street", "Hauptstraße 1"),
                ("zip", "10115"),
                ("city", "Berlin"),
                ("vat_id", "DE123456789"),
                ("bank_name", "Commerzbank"),
                ("iban", "DE89 3704 0044 0532 0130 00"),
                ("bic", "COBADEFFXXX"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "company saved");
}

async fn an_invoice_pdf_shows_everything_and_stays_as_issued(app: TestApp) {
    let dir = tempfile::tempdir().expect("tempdir");
    set_company(&app, "Muster GmbH").await;
    let api = app.admin_api().await;
    let c = api
        .customer(json!({"company": "Kunde Ärger KG", "language": "de",
            "billing_street": "Lindenweg 5", "billing_zip": "50667", "billing_city": "Köln"}))
        .await;
    let draft: Value = api
        .post(
            "/invoices",
            json!({
                "customer_id": c, "date": "2026-11-27", "due_date": "2026-12-11",
                "items": [
                    {"description": "Beratung", "quantity": "2", "unit": "Std.", "rate": "100.00", "taxes": ["19"]},
                    {"description": "Fachbuch", "quantity": "3,5", "rate": "12.80", "taxes": ["7"]}
                ],
                "discount_percent": "10"
            }),
        )
        .await
        .json()
        .await
        .expect("json");
    let id = draft["id"].as_i64().expect("id");

    let r = api.get(&format!("/invoices/{id}/pdf")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let text = pdf_text(dir.path(), &r.bytes().await.expect("pdf"));
    assert!(text.contains("ENTWURF"), "a draft says so: {text}");

    let r = api.post(&format!("/invoices/{id}/issue"), json!({})).await;
    assert_eq!(r.status(), 200);
    let issued = api.get(&format!("/invoices/{id}/pdf")).await;
    assert_eq!(issued.status(), 200);
    let issued = issued.bytes().await.expect("pdf").to_vec();
    qpdf_check(dir.path(), &issued);
    let text = pdf_text(dir.path(), &issued);
    for expected in [
        "Rechnung RE-2026-00001",
        "Muster GmbH",
        "Kunde Ärger KG",
        "Lindenweg 5",
        "50667 Köln",
        "Beratung",
        "2 Std.",
        "200,00 EUR",
        "Fachbuch",
        "3,5",
        "44,80 EUR",
        "Zwischensumme",
        "244,80 EUR",
        "Rabatt",
        "-24,48 EUR",
        "USt. 19 % auf 180,00 EUR",
        "34,20 EUR",
        "USt. 7 % auf 40,32 EUR",
        "2,82 EUR",
        "Gesamtbetrag",
        "257,34 EUR",
        "DE89 3704 0044 0532 0130 00",
        "DE123456789",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in:\n{text}");
    }
    assert!(!text.contains("ENTWURF"));
    assert_eq!(
        qr_code(dir.path(), &issued),
        "BCD\n002\n1\nSCT\nCOBADEFFXXX\nMuster GmbH\nDE89370400440532013000\nEUR257.34\n\n\nRE-2026-00001",
        "the GiroCode carries the amount due"
    );

    // What was sent is what is kept: new company details change new
    // documents, not the archived one.
    set_company(&app, "Umbenannt AG").await;
    let again = api.get(&format!("/invoices/{id}/pdf")).await;
    assert_eq!(again.bytes().await.expect("pdf").to_vec(), issued);

    let browser = app.admin().await;
    let r = browser.get(&format!("/invoices/{id}/pdf")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.expect("pdf").to_vec(), issued);
    let (_, page) = browser.text(&format!("/invoices/{id}")).await;
    assert!(page.contains(&format!("/invoices/{id}/pdf")));

    let r = browser.post(&format!("/invoices/{id}/copy"), &[]).await;
    assert_eq!(r.status(), 303);
    let r = api.post(&format!("/invoices/{id}/copy"), json!({})).await;
    assert_eq!(r.status(), 201);
    let copy: Value = r.json().await.expect("json");
    assert_eq!(copy["status"], "draft");
    assert!(copy["number"].is_null());
    assert_eq!(copy["total"], "257.34", "the same lines");
    assert_ne!(copy["id"], id);

    let en = api
        .customer(json!({"company": "English Ltd", "language": "en"}))
        .await;
    let draft: Value = api
        .post(
            "/invoices",
            json!({"customer_id": en, "date": "2026-11-27",
                "items": [{"description": "Consulting", "quantity": "1", "rate": "1234.5", "taxes": ["19"]}]}),
        )
        .await
        .json()
        .await
        .expect("json");
    let text = pdf_text(
        dir.path(),
        &api.get(&format!("/invoices/{}/pdf", draft["id"]))
            .await
            .bytes()
            .await
            .expect("pdf"),
    );
    assert!(
        text.contains("DRAFT") && text.contains("Invoice") && text.contains("EUR 1,469.06"),
        "{text}"
    );

    let (_, clerk) = app
        .staff_with(&api, "clerk", json!({"customers": ["view"]}))
        .await;
    let clerk = app.api_as(&clerk).await;
    let r = clerk.get(&format!("/invoices/{id}/pdf")).await;
    assert!(
        matches!(r.status().as_u16(), 403 | 404),
        "no invoices permission, no PDF"
    );
}

/// The names in a zip after `unzip -t` found it sound.
pub fn zip_names(dir: &Path, bytes: &[u8]) -> Vec<String> {
    let test = read_with(dir, "a.zip", bytes, "unzip", &["-t", "{}"]);
    assert!(test.contains("No errors detected"), "{test}");
    let mut names: Vec<String> = read_with(dir, "a.zip", bytes, "unzip", &["-Z1", "{}"])
        .lines()
        .map(str::to_owned)
        .collect();
    names.sort();
    names
}

async fn an_invoices_zip_holds_exactly_the_listed_or_chosen_pdfs(app: TestApp) {
    let dir = tempfile::tempdir().expect("tempdir");
    set_company(&app, "Zip GmbH").await;
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Archiv KG"})).await;
    let mut ids = Vec::new();
    for (day, issue) in [
        ("2026-10-01", true),
        ("2026-11-02", true),
        ("2026-11-03", false),
    ] {
        let draft: Value = api
            .post(
                "/invoices",
                json!({"customer_id": c, "date": day,
                    "items": [{"description": format!("Leistung {day}"), "quantity": "1", "rate": "10", "taxes": ["19"]}]}),
            )
            .await
            .json()
            .await
            .expect("json");
        let id = draft["id"].as_i64().expect("id");
        if issue {
            api.issue("invoices", id).await;
        }
        ids.push(id);
    }
    let browser = app.admin().await;
    let r = browser.get(&format!("/customers/{c}/invoices/zip")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap_or_default()
            .starts_with("attachment")
    );
    let all = r.bytes().await.expect("zip");
    assert_eq!(
        zip_names(dir.path(), &all),
        vec![
            format!("RE-2026-00001.pdf"),
            "RE-2026-00002.pdf".into(),
            format!("draft-{}.pdf", ids[2])
        ]
    );

    let r = browser
        .get(&format!(
            "/customers/{c}/invoices/zip?status=unpaid&from=2026-11-01&to=2026-11-30"
        ))
        .await;
    assert_eq!(
        zip_names(dir.path(), &r.bytes().await.expect("zip")),
        vec!["RE-2026-00002.pdf"]
    );

    let r = browser
        .get(&format!(
            "/customers/{c}/invoices/zip?status=&from=&to=&id={}&id={}",
            ids[0], ids[2]
        ))
        .await;
    let chosen = r.bytes().await.expect("zip");
    assert_eq!(
        zip_names(dir.path(), &chosen),
        vec![
            "RE-2026-00001.pdf".to_owned(),
            format!("draft-{}.pdf", ids[2])
        ]
    );
    let archived = api
        .get(&format!("/invoices/{}/pdf", ids[0]))
        .await
        .bytes()
        .await
        .expect("pdf");
    let unpacked = read_with(
        dir.path(),
        "b.zip",
        &chosen,
        "unzip",
        &["-p", "{}", "RE-2026-00001.pdf"],
    );
    assert_eq!(
        unpacked,
        String::from_utf8_lossy(&archived),
        "the archived PDF, as it is"
    );

    let (_, page) = browser.text(&format!("/customers/{c}/invoices")).await;
    assert!(
        page.contains(&format!("/customers/{c}/invoices/zip"))
            && page.contains("form=\"invoices-zip\"")
    );

    let r = browser
        .get(&format!("/customers/{c}/invoices/zip?from=gestern"))
        .await;
    assert_eq!(r.status(), 422);

    let (_, seller) = app
        .staff_with(
            &api,
            "seller",
            json!({"customers": ["view_own"], "invoices": ["view"]}),
        )
        .await;
    let other = app.browser();
    other.login(&seller, "staff-password-1").await;
    let r = other.get(&format!("/customers/{c}/invoices/zip")).await;
    assert_eq!(r.status(), 404, "not one of the seller's customers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invoice_goes_by_email_with_its_pdf_sqlite() {
    an_invoice_goes_by_email_with_its_pdf(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invoice_goes_by_email_with_its_pdf_postgres() {
    if let Some(url) = pg_url() {
        an_invoice_goes_by_email_with_its_pdf(Backend::Postgres(url)).await;
    }
}

fn addresses(a: Option<&mail_parser::Address>) -> Vec<String> {
    a.map(|a| {
        a.iter()
            .filter_map(|x| x.address())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

async fn an_invoice_goes_by_email_with_its_pdf(backend: Backend) {
    use mail_parser::{MessageParser, MimeHeaders};

    let dir = tempfile::tempdir().expect("tempdir");
    let (settings, received) = crate::email::smtp_server();
    let app = spawn_app_with(backend, settings).await;
    set_company(&app, "Muster GmbH").await;
    let api = app.admin_api().await;
    let c = api
        .customer(json!({"company": "Post KG", "language": "de"}))
        .await;
    let contact = |first: &str, permissions: Value| {
        let api = &api;
        let body = json!({"customer_id": c, "first_name": first, "last_name": "Post",
            "email": format!("{}@post.example", first.to_lowercase()), "permissions": permissions});
        async move {
            api.post("/contacts", body)
                .await
                .json::<Value>()
                .await
                .expect("json")["id"]
                .as_i64()
                .expect("id")
        }
    };
    let anna = contact("Anna", json!(["invoices"])).await;
    let bob = contact("Bob", json!([])).await;
    let draft: Value = api
        .post(
            "/invoices",
            json!({"customer_id": c, "date": "2026-11-27", "due_date": "2026-12-11",
                "items": [{"description": "Wartung", "quantity": "1", "rate": "500", "taxes": ["19"]}]}),
        )
        .await
        .json()
        .await
        .expect("json");
    let id = draft["id"].as_i64().expect("id");
    let r = api.post(&format!("/invoices/{id}/send"), json!({})).await;
    assert_eq!(r.status(), 409, "a draft is not sent");
    api.issue("invoices", id).await;
    // The limits the API document states: copies, subject, text.
    let send = format!("/invoices/{id}/send");
    for (field, body) in [
        ("cc", json!({"cc": ",".repeat(2001)})),
        ("subject", json!({"subject": "s".repeat(201)})),
        ("body", json!({"body": "b".repeat(10_001)})),
    ] {
        let r = api.post(&send, body).await;
        assert_eq!(r.status(), 422, "{field} too long");
        let errors: Value = r.json().await.expect("json");
        assert!(errors["error"]["fields"][field].is_string(), "{errors}");
    }

    let browser = app.admin().await;
    let (_, page) = browser.text(&format!("/invoices/{id}")).await;
    assert!(
        page.contains(&format!("id=\"recipient-{anna}\" checked")),
        "contacts with the invoices permission come chosen"
    );
    assert!(
        page.contains(&format!("id=\"recipient-{bob}\""))
            && !page.contains(&format!("id=\"recipient-{bob}\" checked"))
    );
    assert!(
        page.contains("Rechnung RE-2026-00001 von Muster GmbH"),
        "the German template, filled in"
    );
    assert!(page.contains("über 595,00 EUR, fällig am 11.12.2026"));
    let r = browser
        .post(
            "/settings/billing/mail-templates/invoice/de",
            &[("subject", " "), ("body", "x")],
        )
        .await;
    assert_eq!(r.status(), 422, "a template needs a subject");
    let r = browser
        .post(
            "/settings/billing/mail-templates/invoice/de",
            &[
                ("subject", "Beleg {number} für {customer}"),
                ("body", "Offen: {amount_due}\n\nDanke"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = browser.text(&format!("/invoices/{id}")).await;
    assert!(
        page.contains("Beleg RE-2026-00001 für Post KG") && page.contains("Offen: 595,00 EUR"),
        "the saved template"
    );

    let path = format!("/invoices/{id}/send");
    let r = browser
        .post(&path, &[("subject", "x"), ("body", "y")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap_or_default()
            .contains("Bitte mindestens einen Empfänger wählen.")
    );
    let anna_id = anna.to_string();
    let r = browser
        .post(
            &path,
            &[
                ("contact_ids", anna_id.as_str()),
                ("cc", "kaputt"),
                ("subject", "x"),
                ("body", "y"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "a bad copy address");
    assert_eq!(
        app.run_pending_jobs().await,
        0,
        "nothing queued by refused sends"
    );

    let r = browser
        .post(
            &path,
            &[
                ("contact_ids", anna_id.as_str()),
                ("cc", "buchhaltung@post.example"),
                ("subject", "Ihre Rechnung RE-2026-00001"),
                ("body", "Guten Tag,\n\nanbei die Rechnung.\n\nGrüße"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.run_pending_jobs().await, 1);
    let raw = received.lock().expect("inbox").clone();
    assert_eq!(raw.len(), 1);
    let mail = MessageParser::default()
        .parse(raw[0].as_bytes())
        .expect("a MIME message");
    assert_eq!(addresses(mail.to()), vec!["anna@post.example"]);
    assert_eq!(addresses(mail.cc()), vec!["buchhaltung@post.example"]);
    assert_eq!(mail.subject(), Some("Ihre Rechnung RE-2026-00001"));
    assert!(
        mail.body_text(0)
            .unwrap_or_default()
            .contains("anbei die Rechnung.")
    );
    let attachments: Vec<_> = mail.attachments().collect();
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0].attachment_name(), Some("RE-2026-00001.pdf"));
    let archived = api
        .get(&format!("/invoices/{id}/pdf"))
        .await
        .bytes()
        .await
        .expect("pdf");
    assert_eq!(
        attachments[0].contents(),
        archived.as_ref(),
        "the archived PDF is attached"
    );
    assert!(pdf_text(dir.path(), attachments[0].contents()).contains("RE-2026-00001"));

    let invoice = api.json(&format!("/invoices/{id}")).await;
    assert!(invoice["sent_at"].is_string());
    let (_, page) = browser.text(&format!("/customers/{c}/activity")).await;
    assert!(page.contains("per E-Mail gesendet"), "audited");

    let r = api.post(&format!("/invoices/{id}/send"), json!({})).await;
    assert_eq!(
        r.status(),
        200,
        "the API sends to the chosen-by-default contacts"
    );
    assert_eq!(app.run_pending_jobs().await, 1);
    let raw = received.lock().expect("inbox").clone();
    let again = MessageParser::default()
        .parse(raw[1].as_bytes())
        .expect("mime");
    assert_eq!(addresses(again.to()), vec!["anna@post.example"]);
    assert!(addresses(again.cc()).is_empty());

    let other: Value = api
        .post(
            "/invoices",
            json!({"customer_id": c, "items": [{"description": "Post", "quantity": "1", "rate": "5", "taxes": ["19"]}]}),
        )
        .await
        .json()
        .await
        .expect("json");
    let other = other["id"].as_i64().expect("id");
    let r = api
        .post(&format!("/invoices/{other}/mark-sent"), json!({}))
        .await;
    assert_eq!(r.status(), 409, "a draft is not marked as sent");
    api.issue("invoices", other).await;
    let r = browser
        .post(&format!("/invoices/{other}/mark-sent"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert!(api.json(&format!("/invoices/{other}")).await["sent_at"].is_string());
    assert_eq!(app.run_pending_jobs().await, 0, "marking sends nothing");
}

on_both!(payments_have_receipts_filters_and_a_zip);

async fn payments_have_receipts_filters_and_a_zip(app: TestApp) {
    let dir = tempfile::tempdir().expect("tempdir");
    set_company(&app, "Quittung GmbH").await;
    let api = app.admin_api().await;
    let c = api
        .customer(json!({"company": "Zahler KG", "language": "de"}))
        .await;
    api.post(
        "/contacts",
        json!({"customer_id": c, "first_name": "Zora", "last_name": "Zahl", "email": "zora@zahler.example", "permissions": ["invoices"]}),
    )
    .await;
    let draft: Value = api
        .post(
            "/invoices",
            json!({"customer_id": c, "date": "2026-11-01",
                "items": [{"description": "Leistung", "quantity": "1", "rate": "100", "taxes": ["19"]}]}),
        )
        .await
        .json()
        .await
        .expect("json");
    let invoice = draft["id"].as_i64().expect("id");
    api.issue("invoices", invoice).await;
    let modes = kontor::modules::billing::service::active_payment_modes(&app.state.db)
        .await
        .expect("modes");
    let (transfer, cash) = (modes[0].id.0, modes[1].id.0);
    let first: Value = api
        .post(
            "/payments",
            json!({"invoice_id": invoice, "amount": "50", "date": "2026-11-10", "payment_mode": transfer, "transaction_id": "TX-1"}),
        )
        .await
        .json()
        .await
        .expect("json");
    api.post(
        "/payments",
        json!({"invoice_id": invoice, "amount": "69", "date": "2026-11-20", "payment_mode": cash}),
    )
    .await;

    let only_cash = api
        .json(&format!("/payments?customer_id={c}&payment_mode={cash}"))
        .await;
    assert_eq!(only_cash["total"], 1);
    assert_eq!(only_cash["data"][0]["amount"], "69.00");
    assert_eq!(
        api.get(&format!("/payments?customer_id={c}&payment_mode=bar"))
            .await
            .status(),
        422
    );
    let browser = app.admin().await;
    let (_, tab) = browser
        .text(&format!(
            "/customers/{c}/payments?from=2026-11-15&to=&payment_mode="
        ))
        .await;
    assert!(
        tab.contains("69,00 EUR") && !tab.contains("TX-1"),
        "the period filter"
    );

    let id = first["id"].as_i64().expect("id");
    let r = browser.get(&format!("/payments/{id}/pdf")).await;
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.expect("pdf");
    qpdf_check(dir.path(), &pdf);
    let text = pdf_text(dir.path(), &pdf);
    for expected in [
        "Zahlungsbestätigung",
        "Zahler KG",
        "RE-2026-00001",
        "50,00 EUR",
        "TX-1",
        "119,00 EUR",
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }

    let r = browser.get(&format!("/customers/{c}/payments/zip")).await;
    assert_eq!(r.headers()["content-type"], "application/zip");
    let names = zip_names(dir.path(), &r.bytes().await.expect("zip"));
    assert_eq!(names.len(), 2);
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("receipt-RE-2026-00001-") && n.ends_with(".pdf"))
    );
    let r = browser
        .get(&format!(
            "/customers/{c}/payments/zip?payment_mode={transfer}"
        ))
        .await;
    assert_eq!(
        zip_names(dir.path(), &r.bytes().await.expect("zip")),
        vec![format!("receipt-RE-2026-00001-{id}.pdf")]
    );

    let (_, seller) = app
        .staff_with(
            &api,
            "seller",
            json!({"customers": ["view"], "invoices": ["view_own"]}),
        )
        .await;
    let own = app.browser();
    own.login(&seller, "staff-password-1").await;
    let (status, tab) = own.text(&format!("/customers/{c}/payments")).await;
    assert_eq!(status, 200);
    assert!(
        !tab.contains("TX-1"),
        "payments on others' invoices stay hidden from view-own"
    );

    let r = browser.post(&format!("/payments/{id}/send"), &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.run_pending_jobs().await, 1);
    let eml = std::fs::read_dir(app.data_dir.path().join("mail"))
        .expect("mail")
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect::<String>();
    assert!(eml.contains("To: zora@zahler.example") && eml.contains("application/pdf"));
}

/// The images `pdfimages -list` finds (vector drawings such as the
/// GiroCode are not images).
fn image_count(dir: &Path, pdf: &[u8]) -> usize {
    read_with(dir, "images.pdf", pdf, "pdfimages", &["-list", "{}"])
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .count()
}

pub(crate) async fn upload_logo(browser: &Browser, base: &str, bytes: &[u8]) -> (u16, String) {
    let form = browser.form().await.part(
        "logo",
        reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("logo.png"),
    );
    // The server answers an oversized upload before reading all of it and
    // then closes the connection; a browser retries its next request on a
    // fresh one, reqwest would fail it, so the upload gets its own.
    let r = browser
        .client
        .post(format!("{base}/settings/billing/logo"))
        .header("connection", "close")
        .multipart(form)
        .send()
        .await
        .expect("upload");
    (r.status().as_u16(), r.text().await.unwrap_or_default())
}

async fn a_logo_goes_on_documents_issued_after_it(app: TestApp) {
    let dir = tempfile::tempdir().expect("tempdir");
    set_company(&app, "Logo GmbH").await;
    let api = app.admin_api().await;
    let browser = app.admin().await;
    let c = api.customer(json!({"company": "Bild KG"})).await;
    let issue = |day: &'static str| {
        let api = &api;
        async move {
            let draft: Value = api
                .post(
                    "/invoices",
                    json!({"customer_id": c, "date": day,
                        "items": [{"description": "Druck", "quantity": "1", "rate": "10", "taxes": ["19"]}]}),
                )
                .await
                .json()
                .await
                .expect("json");
            let id = draft["id"].as_i64().expect("id");
            api.issue("invoices", id).await;
            id
        }
    };
    let before = issue("2026-11-01").await;
    let pdf = |id: i64| {
        let api = &api;
        async move {
            api.get(&format!("/invoices/{id}/pdf"))
                .await
                .bytes()
                .await
                .expect("pdf")
        }
    };
    let plain = pdf(before).await;
    assert_eq!(image_count(dir.path(), &plain), 0, "no logo yet");
    let (_, page) = browser.text("/settings/billing").await;
    assert!(page.contains("Noch kein Logo"));

    let png = include_bytes!("fixtures/logo.png");
    let (status, page) = upload_logo(&browser, &app.base, b"GIF89a not a logo").await;
    assert_eq!(status, 422);
    assert!(page.contains("Bitte ein PNG-, JPEG- oder SVG-Bild wählen."));
    let mut broken = png[..40].to_vec();
    broken.extend_from_slice(&[0u8; 40]);
    let (status, page) = upload_logo(&browser, &app.base, &broken).await;
    assert_eq!(status, 422, "a PNG Typst cannot read is refused");
    assert!(page.contains("Dieses Bild lässt sich nicht lesen"));
    let (status, page) = upload_logo(&browser, &app.base, &vec![0x89; 1_100_000]).await;
    assert_eq!(status, 422);
    assert!(page.contains("höchstens 1 MB"), "{page}");
    assert_eq!(
        browser.get("/settings/billing/logo").await.status(),
        404,
        "nothing saved by refused uploads"
    );

    let (status, _) = upload_logo(&browser, &app.base, png).await;
    assert_eq!(status, 303);
    let r = browser.get("/settings/billing/logo").await;
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.expect("logo").as_ref(), png.as_slice());
    let (_, page) = browser.text("/settings/billing").await;
    assert!(page.contains("id=\"logo-preview\""));

    let after = issue("2026-11-02").await;
    let with_logo = pdf(after).await;
    assert_eq!(
        image_count(dir.path(), &with_logo),
        1,
        "the logo is on the new invoice"
    );
    qpdf_check(dir.path(), &with_logo);
    assert_eq!(
        pdf(before).await,
        plain,
        "the issued invoice stays as it was"
    );
    let statement = browser
        .get(&format!("/customers/{c}/statement/pdf?period=all"))
        .await
        .bytes()
        .await
        .expect("pdf");
    assert_eq!(
        image_count(dir.path(), &statement),
        1,
        "and on the statement"
    );

    let seller = app
        .staff_with(
            &api,
            "seller",
            json!({"customers": ["view"], "invoices": ["view"]}),
        )
        .await
        .1;
    let other = app.browser();
    other.login(&seller, "staff-password-1").await;
    let (status, _) = upload_logo(&other, &app.base, png).await;
    assert_eq!(status, 403, "only who may change the settings");

    // An SVG (which may carry script) is never shown on our origin.
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>"#;
    let (status, _) = upload_logo(&browser, &app.base, svg).await;
    assert_eq!(status, 303);
    let r = browser.get("/settings/billing/logo").await;
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    let disposition = r.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment"), "{disposition}");

    let r = browser.post("/settings/billing/logo/delete", &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(browser.get("/settings/billing/logo").await.status(), 404);
    let draft: Value = api
        .post(
            "/invoices",
            json!({"customer_id": c, "items": [{"description": "x", "quantity": "1", "rate": "1", "taxes": ["19"]}]}),
        )
        .await
        .json()
        .await
        .expect("json");
    let draft = pdf(draft["id"].as_i64().expect("id")).await;
    assert_eq!(image_count(dir.path(), &draft), 0, "removed");
}
