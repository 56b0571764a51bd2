//! Records and the statement on paper: printed from the browser they show
//! a letterhead (our logo and address, the customer's address block, our
//! tax and bank details) and none of the app around them.

use fantoccini::wd::PrintConfiguration;
use serde_json::json;

use crate::{
    browser::{connect, sign_in, start_driver},
    documents::upload_logo,
    helpers::*,
    on_both,
};

on_both!(records_and_the_statement_carry_a_letterhead);

const LOGO: &[u8] = include_bytes!("fixtures/logo.png");

async fn records_and_the_statement_carry_a_letterhead(app: TestApp) {
    let api = app.admin_api().await;
    let c = api
        .customer(
            json!({"company": "Brief GmbH", "billing_street": "Lindenweg 5",
            "billing_zip": "50667", "billing_city": "Köln"}),
        )
        .await;
    let (invoice, _) = api.issued_invoice(c, "Beratung", "100").await;
    let admin = app.admin().await;
    let (status, _) = upload_logo(&admin, &app.base, LOGO).await;
    assert_eq!(status, 303, "logo kept");

    let (_, page) = admin.text(&format!("/invoices/{invoice}")).await;
    let head = &page[page.find("id=\"letterhead\"").expect("a letterhead")..];
    let head = &head[..head.find("</header>").expect("its end")];
    assert!(
        page.contains("class=\"letterhead print-letterhead\""),
        "on paper only"
    );
    for text in [
        "Kontor Test GmbH",
        "Teststraße 1 · 10115 Berlin",
        "Brief GmbH<br>",
        "Lindenweg 5<br>",
        "50667 Köln<br>",
        "Steuernr. 27/123/45678",
        "src=\"/letterhead/logo\"",
    ] {
        assert!(head.contains(text), "{text}: {head}");
    }
    let (_, print) = admin.text(&format!("/customers/{c}/statement/print")).await;
    assert!(
        print.contains("class=\"letterhead\" id=\"letterhead\""),
        "the print view shows it on screen too"
    );
    assert!(print.contains("Brief GmbH<br>") && print.contains("Kontor Test GmbH"));

    // Whoever may open the customer's records may print the logo with them.
    let (_, clerk) = app
        .staff_with(&api, "clerk", json!({"customers": ["view"]}))
        .await;
    let b = app.browser();
    b.login(&clerk, "staff-password-1").await;
    let r = b.get("/letterhead/logo").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(b.get("/settings/billing/logo").await.status(), 403);
    let (_, nobody) = app.staff_with(&api, "nobody", json!({})).await;
    let b = app.browser();
    b.login(&nobody, "staff-password-1").await;
    assert_eq!(b.get("/letterhead/logo").await.status(), 403);
    assert_eq!(app.browser().get("/letterhead/logo").await.status(), 303);
}

/// The invoice page as Chromium prints it: the letterhead and the
/// document, no menu, no buttons, no notes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invoice_prints_as_a_letter_in_chromium() {
    let Some(driver) = start_driver() else { return };
    let app = spawn_app(Backend::Sqlite).await;
    let api = app.admin_api().await;
    let c = api
        .customer(
            json!({"company": "Papier AG", "billing_street": "Am Hafen 2",
            "billing_zip": "20457", "billing_city": "Hamburg"}),
        )
        .await;
    let (invoice, number) = api.issued_invoice(c, "Wartung Druckerpark", "100").await;

    let b = connect(driver.port).await;
    let base = app.base.clone();
    sign_in(&b, &format!("{base}/login"), "#dashboard").await;
    b.goto(&format!("{base}/invoices/{invoice}"))
        .await
        .expect("invoice");
    let pdf = b
        .print(PrintConfiguration::default())
        .await
        .expect("printed");
    b.close().await.expect("close");
    let text = pdf_text(&pdf);
    for shown in [
        "Kontor Test GmbH",
        "Papier AG",
        "Am Hafen 2",
        "20457 Hamburg",
        "Wartung Druckerpark",
        "Steuernr. 27/123/45678",
        number.as_str(),
    ] {
        assert!(text.contains(shown), "{shown} on paper:\n{text}");
    }
    for hidden in [
        "Einstellungen",
        "Bearbeiten",
        "Notiz hinzufügen",
        "Als Kunde anmelden",
    ] {
        assert!(!text.contains(hidden), "{hidden} is not printed:\n{text}");
    }
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("page.pdf");
    std::fs::write(&path, pdf).expect("written");
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}
