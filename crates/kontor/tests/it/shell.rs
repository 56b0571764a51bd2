//! The shell in Chromium: every staff and portal page at desktop and phone
//! width, in German and English, light and dark. Each must fit the screen
//! (no sideways scrolling), log no error and no CSP violation, and pass
//! axe-core without critical or serious violations. Screenshots of the
//! main pages go to `target/screenshots` (or `KONTOR_SCREENSHOTS`) for a
//! reviewer.

use std::path::PathBuf;

use fantoccini::{Client, Locator, wd::WebDriverCompatibleCommand};
use serde_json::{Value, json};

use crate::{
    browser::{click, connect, fill, sign_in, start_driver},
    helpers::*,
};

const AXE: &str = include_str!("vendor/axe-core/axe.min.js");

const SIZES: [(&str, u32, u32); 2] = [("desktop", 1366, 900), ("phone", 390, 844)];

/// The browser log of the page so far (chromedriver's log endpoint).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or("")))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(json!({"type": "browser"}).to_string()),
        )
    }
}

/// Errors in the browser log: script errors, failed loads, CSP violations.
async fn logged_errors(c: &Client) -> Vec<String> {
    let log = c.issue_cmd(BrowserLog).await.expect("browser log");
    log.as_array()
        .map(|entries| {
            entries
                .iter()
                .filter(|e| e["level"] == "SEVERE")
                .map(|e| e["message"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The critical and serious axe-core violations of the page, one line each.
async fn axe_violations(c: &Client) -> Vec<String> {
    c.execute(AXE, vec![]).await.expect("axe loads");
    let found = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ["violations"]}).then(r => done(r.violations
                .filter(v => v.impact === "critical" || v.impact === "serious")
                .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 4)
                    .map(n => n.target.join(" ") + " " + (n.any[0] ? n.any[0].message : "")).join(" | "))));"#,
            vec![],
        )
        .await
        .expect("axe runs");
    found
        .as_array()
        .map(|v| {
            v.iter()
                .map(|s| s.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// What is wrong with the page as loaded now, each finding named.
async fn findings(c: &Client, page: &str, mode: &str) -> Vec<String> {
    let mut found = Vec::new();
    let overflow = c
        .execute(
            r##"const name = (el) => el.tagName + (el.id ? "#" + el.id : "") + "." + el.className;
            let outer = "", inner = "";
            for (const el of document.body.querySelectorAll("*")) {
                if (el.getBoundingClientRect().right > window.innerWidth + 1) {
                    if (!outer) { outer = name(el); }
                    if (!el.closest(".table-responsive, .tab-scroll")) { inner = name(el); }
                }
            }
            return [document.documentElement.scrollWidth, window.innerWidth, outer + " … " + inner];"##,
            vec![],
        )
        .await
        .expect("widths");
    let (scroll, inner) = (overflow[0].as_i64(), overflow[1].as_i64());
    if scroll > inner {
        found.push(format!(
            "{page} [{mode}]: scrolls sideways ({scroll:?} > {inner:?}, too wide: {})",
            overflow[2]
        ));
    }
    for error in logged_errors(c).await {
        found.push(format!("{page} [{mode}]: logged {error}"));
    }
    for v in axe_violations(c).await {
        found.push(format!("{page} [{mode}]: axe {v}"));
    }
    found
}

fn screenshot_dir() -> PathBuf {
    std::env::var_os("KONTOR_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots")
        })
}

async fn screenshot(c: &Client, name: &str) {
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
}

/// A customer with something on every tab, and a contact who may use the
/// portal; returns the staff pages and the portal pages to visit.
async fn a_customer_with_everything(app: &TestApp) -> (Vec<String>, Vec<String>) {
    let api = app.admin_api().await;
    let c = api
        .customer(
            json!({"company": "Fischer Software AG", "billing_street": "Hauptstraße 5",
            "billing_zip": "50667", "billing_city": "Köln"}),
        )
        .await;
    let contact: Value = api
        .post(
            "/contacts",
            json!({"customer_id": c, "first_name": "Paula", "last_name": "Fischer",
            "email": "paula@fischer.example", "password": "paula-password-1",
            "permissions": ["invoices", "estimates", "proposals"]}),
        )
        .await
        .json()
        .await
        .expect("contact");
    assert!(contact["id"].is_i64(), "{contact}");
    let (invoice, _) = api.issued_invoice(c, "Beratung Einführung", "240.00").await;
    let r = api
        .post(
            "/payments",
            json!({"invoice_id": invoice, "amount": "100.00"}),
        )
        .await;
    assert_eq!(r.status(), 201, "payment");
    let payment = r.json::<Value>().await.expect("payment")["id"]
        .as_i64()
        .expect("payment id");
    let r = api
        .post("/credit-notes", json!({"customer_id": c, "items": [{"description": "Gutschrift Schulung", "quantity": "1", "rate": "20.00", "taxes": ["19"]}]}))
        .await;
    assert_eq!(r.status(), 201, "credit note");
    let credit = r.json::<Value>().await.expect("credit")["id"]
        .as_i64()
        .expect("credit id");
    api.issue("credit-notes", credit).await;
    let estimate = crate::estimates::estimate(&api, c, "80.00").await["id"]
        .as_i64()
        .expect("estimate id");
    let r = api
        .post(&format!("/estimates/{estimate}/mark-sent"), json!({}))
        .await;
    assert_eq!(r.status(), 200, "estimate sent");
    let public = r.json::<Value>().await.expect("estimate")["public_url"]
        .as_str()
        .and_then(|u| u.find("/p/").map(|at| u[at..].to_owned()))
        .expect("the public link");
    let proposal = crate::proposals::proposal(&api, c, true).await["id"]
        .as_i64()
        .expect("proposal id");
    let r = api
        .post(&format!("/proposals/{proposal}/mark-sent"), json!({}))
        .await;
    assert_eq!(r.status(), 200, "proposal sent");
    let public_proposal = r.json::<Value>().await.expect("proposal")["public_url"]
        .as_str()
        .and_then(|u| u.find("/p/").map(|at| u[at..].to_owned()))
        .expect("the proposal's public link");
    let draft_proposal = crate::proposals::proposal(&api, c, false).await["id"]
        .as_i64()
        .expect("proposal id");
    let r = api
        .post(
            "/notes",
            json!({"customer_id": c, "body": "**Rückruf** am Montag"}),
        )
        .await;
    assert_eq!(r.status(), 201, "note");
    let at = (app.state.clock.now() + chrono::Duration::days(2)).to_rfc3339();
    let r = api
        .post(
            "/reminders",
            json!({"customer_id": c, "remind_at": at, "description": "Angebot nachfassen"}),
        )
        .await;
    assert_eq!(r.status(), 201, "reminder");
    let r = api
        .post(
            "/vault",
            json!({"customer_id": c, "server": "ftp.fischer.example", "username": "deploy",
            "password": "geheim", "visibility": "all", "shared_with_contacts": true}),
        )
        .await;
    assert_eq!(r.status(), 201, "vault entry");
    let admin = app.admin().await;
    let r = admin
        .upload_file(
            &format!("/customers/{c}/files"),
            "Vertrag.pdf",
            b"%PDF-1.4 not much".to_vec(),
        )
        .await;
    assert!(
        r.status().is_redirection() || r.status().is_success(),
        "file"
    );

    let staff = [
        "/".to_string(),
        "/customers".into(),
        "/customers/new".into(),
        "/customers/import".into(),
        format!("/customers/{c}"),
        format!("/customers/{c}/contacts"),
        format!("/customers/{c}/contacts/new"),
        format!("/customers/{c}/contacts/import"),
        format!("/customers/{c}/notes"),
        format!("/customers/{c}/statement"),
        format!("/customers/{c}/payments"),
        format!("/customers/{c}/invoices"),
        format!("/customers/{c}/invoices/new"),
        format!("/customers/{c}/credit-notes"),
        format!("/customers/{c}/credit-notes/new"),
        format!("/customers/{c}/estimates"),
        format!("/customers/{c}/estimates/new"),
        format!("/customers/{c}/proposals"),
        format!("/customers/{c}/proposals/new"),
        format!("/customers/{c}/files"),
        format!("/customers/{c}/vault"),
        format!("/customers/{c}/reminders"),
        format!("/customers/{c}/map"),
        format!("/customers/{c}/activity"),
        format!("/invoices/{invoice}"),
        format!("/invoices/{invoice}/edit"),
        format!("/credit-notes/{credit}"),
        format!("/estimates/{estimate}"),
        format!("/proposals/{proposal}"),
        format!("/proposals/{draft_proposal}/edit"),
        format!("/payments/{payment}/edit"),
        "/invoices".into(),
        "/payments".into(),
        "/credit-notes".into(),
        "/estimates".into(),
        "/proposals".into(),
        "/search?q=Fischer".into(),
        "/notifications".into(),
        "/account".into(),
        "/settings".into(),
        "/settings/billing".into(),
        "/settings/billing/tax-rates".into(),
        "/settings/billing/payment-modes".into(),
        "/settings/billing/series".into(),
        "/settings/billing/mail-templates".into(),
        "/setup".into(),
        "/settings/estimates".into(),
        "/settings/proposals".into(),
        "/settings/custom-fields".into(),
        "/settings/portal".into(),
        "/staff".into(),
        "/roles".into(),
    ];
    let portal = [
        "/portal".to_string(),
        "/portal/invoices".into(),
        format!("/portal/invoices/{invoice}"),
        "/portal/estimates".into(),
        format!("/portal/estimates/{estimate}"),
        public,
        "/portal/proposals".into(),
        format!("/portal/proposals/{proposal}"),
        public_proposal,
        "/portal/statement".into(),
        "/portal/files".into(),
        "/portal/vault".into(),
        "/portal/profile".into(),
    ];
    (staff.to_vec(), portal.to_vec())
}

/// Pages photographed for the reviewer, by their place in the lists.
fn photographed(page: &str) -> bool {
    page == "/"
        || page == "/customers"
        || page == "/settings"
        || page == "/portal"
        || page.ends_with("/invoices/new")
        || (page.starts_with("/invoices/") && !page.ends_with("/edit"))
        || (page.starts_with("/customers/")
            && page.matches('/').count() == 2
            && page != "/customers/new")
}

fn shot_name(page: &str, mode: &str) -> String {
    let path: String = page
        .trim_matches('/')
        .chars()
        .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '-' })
        .collect();
    format!(
        "{}-{mode}",
        if path.is_empty() { "dashboard" } else { &path }
    )
}

async fn set_theme(c: &Client, base: &str, theme: &str) {
    c.goto(&format!("{base}/login")).await.expect("a page");
    c.execute(
        "localStorage.setItem('kontor-theme', arguments[0]);",
        vec![json!(theme)],
    )
    .await
    .expect("theme stored");
}

/// A self-hosted tile server on plain HTTP, as an office might run one:
/// every tile is the same small picture. Returns the app's tile URL.
async fn tile_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("tile port");
    let port = listener.local_addr().expect("tile address").port();
    let tile = || async {
        (
            [(axum::http::header::CONTENT_TYPE, "image/png")],
            include_bytes!("fixtures/logo.png").as_slice(),
        )
    };
    let tiles = axum::Router::new().route("/{z}/{x}/{y}", axum::routing::get(tile));
    tokio::spawn(async move { axum::serve(listener, tiles).await });
    format!("http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_and_passes_axe_in_chromium() {
    let Some(driver) = start_driver() else { return };
    let tiles = tile_server().await;
    let app = spawn_app_with(
        Backend::Sqlite,
        [("KONTOR_MAP_TILE_URL".to_string(), tiles)].into(),
    )
    .await;
    let (staff, portal) = a_customer_with_everything(&app).await;
    let c = connect(driver.port).await;
    let base = app.base.clone();

    sign_in(&c, &format!("{base}/login"), "#sidebar").await;
    c.goto(&format!("{base}/portal/login"))
        .await
        .expect("portal login");
    fill(&c, "#email", "paula@fischer.example").await;
    fill(&c, "#password", "paula-password-1").await;
    click(&c, "button[type=submit]").await;
    c.wait()
        .for_element(Locator::Css("#portal-menu"))
        .await
        .expect("portal signed in");

    let mut found = Vec::new();
    for lang in ["de", "en"] {
        for (switch, page) in [
            ("#switch-language", "/customers"),
            ("#portal-language", "/portal"),
        ] {
            c.goto(&format!("{base}{page}")).await.expect("page");
            let html = c.find(Locator::Css("html")).await.expect("html");
            if html.attr("lang").await.expect("lang").as_deref() != Some(lang) {
                click(&c, switch).await;
            }
        }
        for theme in ["light", "dark"] {
            set_theme(&c, &base, theme).await;
            for (size, width, height) in SIZES {
                c.set_window_size(width, height).await.expect("resize");
                let mode = format!("{lang} {theme} {size}");
                for page in staff.iter().chain(portal.iter()) {
                    c.goto(&format!("{base}{page}")).await.expect("page loads");
                    let title = c.title().await.unwrap_or_default();
                    assert!(
                        !title.contains("Fehler") && !title.contains("Error"),
                        "{page} [{mode}] is an error page: {title}"
                    );
                    found.extend(findings(&c, page, &mode).await);
                    if photographed(page) {
                        screenshot(&c, &shot_name(page, &format!("{lang}-{theme}-{size}"))).await;
                    }
                }
            }
        }
    }
    let _ = c.close().await;
    assert!(
        found.is_empty(),
        "{} findings:\n{}",
        found.len(),
        found.join("\n")
    );
}
