//! Document PDFs read by real readers: `pdftotext` for what a reader sees,
//! `qpdf --check` for the structure, `pdftoppm` + `zbarimg` for the
//! GiroCode. An issued invoice's PDF is the archived one.

use std::{path::Path, process::Command};

use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(an_invoice_pdf_shows_everything_and_stays_as_issued);

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
    let clerk_id = kontor::modules::staff::service::id_by_email(&app.state.db, &clerk)
        .await
        .expect("id");
    let clerk = app.api(
        &kontor::modules::staff::service::create_token(&app.state.db, clerk_id, "t")
            .await
            .expect("token"),
    );
    let r = clerk.get(&format!("/invoices/{id}/pdf")).await;
    assert!(
        matches!(r.status().as_u16(), 403 | 404),
        "no invoices permission, no PDF"
    );
}
