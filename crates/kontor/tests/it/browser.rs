//! Real Chromium through chromedriver: what a user clicks and sees.

use std::{process::Stdio, time::Duration};

use fantoccini::{ClientBuilder, Locator};

use crate::helpers::*;

pub(crate) struct Driver {
    process: std::process::Child,
    pub(crate) port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

pub(crate) fn start_driver() -> Option<Driver> {
    if std::env::var("KONTOR_TEST_BROWSER").is_err() {
        assert!(
            !required("browser"),
            "KONTOR_TEST_REQUIRE asks for browser but KONTOR_TEST_BROWSER is not set"
        );
        skipped("Chromium (KONTOR_TEST_BROWSER)");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let process = std::process::Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver must be installed when KONTOR_TEST_BROWSER is set");
    Some(Driver { process, port })
}

pub(crate) async fn connect(port: u16) -> fantoccini::Client {
    // Two TLS backends are linked (ring and aws-lc); pick one for the driver client.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let caps: serde_json::Map<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
        "goog:loggingPrefs": {"browser": "ALL"},
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1400"]
        }
    }))
    .unwrap();
    for _ in 0..50 {
        if let Ok(c) = ClientBuilder::rustls()
            .expect("tls")
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("could not connect to chromedriver");
}

pub(crate) async fn fill(c: &fantoccini::Client, css: &str, value: &str) {
    let el = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css} not found"));
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

pub(crate) async fn click(c: &fantoccini::Client, css: &str) {
    let el = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css} not found"));
    // Centre the element first, so no banner or bar lies over it; at
    // once, as Bootstrap makes scrolling smooth and the click would land
    // while the page still moves.
    let arg = serde_json::to_value(&el).expect("element as argument");
    c.execute(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});",
        vec![arg],
    )
    .await
    .expect("scroll");
    el.click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// Whether a script injected through data ran: it would set this flag.
pub(crate) async fn text_of(c: &fantoccini::Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css} not found"))
        .text()
        .await
        .unwrap()
}

/// Waits (up to 10 s) until the element is there and its text satisfies `done`, as an
/// htmx swap lands, and returns that text.
pub(crate) async fn text_until(
    c: &fantoccini::Client,
    css: &str,
    done: impl Fn(&str) -> bool,
) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        // The element may be swapped in by htmx after the page loads.
        let text = match c.find(Locator::Css(css)).await {
            Ok(el) => el.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if done(&text) {
            return text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{css} never changed: {text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Opens `url` (the login form, or a page that leads to it), signs in as
/// the admin and waits for `then` on the page it goes on to.
pub(crate) async fn sign_in(c: &fantoccini::Client, url: &str, then: &str) {
    c.goto(url).await.expect("the login form");
    fill(c, "#email", ADMIN_EMAIL).await;
    fill(c, "#password", ADMIN_PASSWORD).await;
    click(c, "#login-submit").await;
    c.wait()
        .for_element(Locator::Css(then))
        .await
        .expect("signed in");
}

async fn xss_ran(c: &fantoccini::Client) -> bool {
    c.execute("return window.__xss === 1;", vec![])
        .await
        .unwrap()
        .as_bool()
        .unwrap_or(true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_works_with_a_customer_in_chromium() {
    let Some(driver) = start_driver() else { return };
    let app = spawn_app(Backend::Sqlite).await;
    let c = connect(driver.port).await;
    let base = app.base.clone();

    sign_in(&c, &format!("{base}/customers"), "#new-customer").await;

    let evil = "<img src=x onerror=\"window.__xss=1\">ACME";
    click(&c, "#new-customer").await;
    fill(&c, "#company", evil).await;
    fill(&c, "#billing_city", "Köln").await;
    click(&c, "#save-customer").await;
    let name = c
        .wait()
        .for_element(Locator::Css("#customer-name"))
        .await
        .unwrap();
    assert_eq!(name.text().await.unwrap(), evil, "shown as text");
    assert!(!xss_ran(&c).await);

    click(&c, "#customer-tabs a[href$='/contacts']").await;
    click(&c, "#new-contact").await;
    fill(&c, "#first_name", "Erika").await;
    fill(&c, "#last_name", "Mustermann").await;
    fill(&c, "#email", "erika@acme.example").await;
    click(&c, "#save-contact").await;
    let table = c
        .wait()
        .for_element(Locator::Css("#contacts-table"))
        .await
        .unwrap();
    assert!(table.text().await.unwrap().contains("Erika Mustermann"));

    click(&c, "#customer-tabs a[href$='/notes']").await;
    fill(
        &c,
        "#note-body",
        "**Rückruf** am Montag <script>window.__xss=1</script>",
    )
    .await;
    click(&c, "#save-note").await;
    let notes = c
        .wait()
        .for_element(Locator::Css("#notes strong"))
        .await
        .unwrap();
    assert_eq!(notes.text().await.unwrap(), "Rückruf");
    assert!(!xss_ran(&c).await);

    click(&c, "#customer-tabs a.nav-link").await;
    let figure = c
        .wait()
        .for_element(Locator::Css("#figure-contacts"))
        .await
        .unwrap();
    assert_eq!(figure.text().await.unwrap(), "1");
    let body = c
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("Erika Mustermann") && body.contains("Profil"));

    click(&c, "#switch-language").await;
    c.wait()
        .for_element(Locator::XPath("//a[contains(., 'Profile')]"))
        .await
        .unwrap();
    let body = c
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("Contacts") && body.contains("Settings") && !body.contains("Einstellungen")
    );
    click(&c, "#account-menu").await;
    assert_eq!(text_of(&c, "#logout").await.trim(), "Log out");
    click(&c, "#account-menu").await;

    click(&c, "#login-as").await;
    let banner = c
        .wait()
        .for_element(Locator::Css("#impersonation-banner"))
        .await
        .unwrap();
    assert!(banner.text().await.unwrap().contains("Erika Mustermann"));
    click(&c, "#back-to-admin").await;
    c.wait()
        .for_element(Locator::Css("#customer-name"))
        .await
        .unwrap();

    // Another customer, so the live search has something to leave out.
    app.admin_api()
        .await
        .customer(serde_json::json!({"company": "Zeta Werke"}))
        .await;
    c.goto(&format!("{base}/customers")).await.unwrap();
    let rows = text_of(&c, "#customer-rows").await;
    assert!(rows.contains("ACME") && rows.contains("Zeta Werke"));
    fill(&c, "#customer-search", "erika").await;
    let rows = text_until(&c, "#customer-rows", |t| !t.contains("Zeta Werke")).await;
    assert!(rows.contains("ACME"), "live search by contact name");
    assert!(!xss_ran(&c).await);
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_by_drag_and_drop_and_vault_reveal_in_chromium() {
    let Some(driver) = start_driver() else { return };
    let app = spawn_app(Backend::Sqlite).await;
    let api = app.admin_api().await;
    let customer = api
        .customer(serde_json::json!({"company": "Drop GmbH"}))
        .await;
    let r = api
        .post(
            "/contacts",
            serde_json::json!({"customer_id": customer, "first_name": "Dora", "last_name": "Drop",
                "email": "dora@drop.example", "password": "dora-password-1"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let c = connect(driver.port).await;
    let base = app.base.clone();
    sign_in(
        &c,
        &format!("{base}/customers/{customer}/files"),
        "#upload-form",
    )
    .await;

    // Drop two files on the zone, as a file manager would.
    click(&c, "#visible_to_customer").await;
    c.execute(
        "const t = new DataTransfer();
         t.items.add(new File(['Hallo Welt'], 'gruss.txt', {type: 'text/plain'}));
         t.items.add(new File([new Uint8Array(300000)], 'Plan Übersicht.pdf', {type: 'application/pdf'}));
         const zone = document.getElementById('upload-form');
         zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: t, bubbles: true, cancelable: true}));
         zone.dispatchEvent(new DragEvent('drop', {dataTransfer: t, bubbles: true, cancelable: true}));",
        vec![],
    )
    .await
    .unwrap();
    let row = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(
            "//table[@id='files']//a[@class='file-name' and .='Plan Übersicht.pdf']",
        ))
        .await
        .unwrap();
    assert!(row.is_displayed().await.unwrap());
    let table = c
        .find(Locator::Css("#files"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        table.contains("gruss.txt") && table.contains("Freigegeben"),
        "{table}"
    );

    // A file over the limit is refused in the browser with the message.
    c.execute(
        "const t = new DataTransfer();
         t.items.add(new File([], 'leer.txt', {type: 'text/plain'}));
         document.getElementById('upload-form').dispatchEvent(new DragEvent('drop', {dataTransfer: t, bubbles: true, cancelable: true}));",
        vec![],
    )
    .await
    .unwrap();
    let status = c
        .wait()
        .for_element(Locator::Css("#upload-progress .upload-status"))
        .await
        .unwrap();
    assert_eq!(status.text().await.unwrap(), "Die Datei ist leer.");

    // The vault: store a password, reveal it only with the own password.
    click(&c, "#customer-tabs a[href$='/vault']").await;
    fill(&c, "#server", "ftp.drop.example").await;
    fill(&c, "#username", "dora").await;
    fill(&c, "#password", "Tresor-Geheim-9").await;
    click(&c, "#save-entry").await;
    c.wait()
        .for_element(Locator::Css("#vault-entries input[name=password]"))
        .await
        .unwrap();
    fill(&c, "#vault-entries input[name=password]", "wrong-password").await;
    click(&c, "#vault-entries button.reveal").await;
    let error = c
        .wait()
        .for_element(Locator::Css("#reveal-error"))
        .await
        .unwrap();
    assert!(!error.text().await.unwrap().is_empty());
    assert!(c.find(Locator::Css("#revealed-password")).await.is_err());
    fill(&c, "#vault-entries input[name=password]", ADMIN_PASSWORD).await;
    click(&c, "#vault-entries button.reveal").await;
    let revealed = c
        .wait()
        .for_element(Locator::Css("#revealed-password"))
        .await
        .unwrap();
    assert_eq!(revealed.text().await.unwrap(), "Tresor-Geheim-9");

    // The contact sees the dropped files in the portal.
    click(&c, "#login-as").await;
    c.wait()
        .for_element(Locator::Css("#impersonation-banner"))
        .await
        .unwrap();
    c.goto(&format!("{base}/portal/files")).await.unwrap();
    let files = c
        .wait()
        .for_element(Locator::Css("#portal-files"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        files.contains("gruss.txt") && files.contains("Plan Übersicht.pdf"),
        "{files}"
    );
    click(&c, "#back-to-admin").await;
    c.wait()
        .for_element(Locator::Css("#customer-name"))
        .await
        .unwrap();
    c.close().await.unwrap();
}

/// The balance due the statement page shows.
async fn balance(c: &fantoccini::Client, statement: &str) -> String {
    c.goto(statement).await.unwrap();
    c.wait()
        .for_element(Locator::Css("#statement-balance-due"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invoice_with_two_lines_is_issued_in_chromium() {
    let Some(driver) = start_driver() else { return };
    let app = spawn_app(Backend::Sqlite).await;
    let api = app.admin_api().await;
    let customer = api
        .customer(serde_json::json!({"company": "Zeilen GmbH"}))
        .await;
    let c = connect(driver.port).await;
    let base = app.base.clone();
    sign_in(
        &c,
        &format!("{base}/customers/{customer}/invoices"),
        "#new-invoice",
    )
    .await;
    click(&c, "#new-invoice").await;
    c.wait()
        .for_element(Locator::Css("#invoice-lines"))
        .await
        .unwrap();
    fill(
        &c,
        "#invoice-lines tbody tr:nth-child(1) input[name=item_description]",
        "Beratung",
    )
    .await;
    fill(
        &c,
        "#invoice-lines tbody tr:nth-child(1) input[name=item_quantity]",
        "2",
    )
    .await;
    fill(
        &c,
        "#invoice-lines tbody tr:nth-child(1) input[name=item_rate]",
        "100,00",
    )
    .await;
    c.execute(
        "const t = document.querySelector('#invoice-lines tbody tr:nth-child(1) select[name=item_tax1]'); t.value = '19'; t.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )
    .await
    .unwrap();
    click(&c, "#add-line").await;
    fill(
        &c,
        "#invoice-lines tbody tr:nth-child(2) input[name=item_description]",
        "Fachbuch",
    )
    .await;
    fill(
        &c,
        "#invoice-lines tbody tr:nth-child(2) input[name=item_quantity]",
        "3,5",
    )
    .await;
    fill(
        &c,
        "#invoice-lines tbody tr:nth-child(2) input[name=item_rate]",
        "12,80",
    )
    .await;
    c.execute(
        "const t = document.querySelector('#invoice-lines tbody tr:nth-child(2) select[name=item_tax1]'); t.value = '7'; t.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )
    .await
    .unwrap();
    // The totals follow the lines as they are typed, by the server's rules.
    text_until(&c, "#draft-total", |t| t == "285,94 EUR").await;
    click(&c, "#add-line").await;
    fill(
        &c,
        "#invoice-lines tbody tr:nth-child(3) input[name=item_description]",
        "Doch nicht",
    )
    .await;
    fill(
        &c,
        "#invoice-lines tbody tr:nth-child(3) input[name=item_rate]",
        "50",
    )
    .await;
    text_until(&c, "#draft-total", |t| t == "335,94 EUR").await;
    click(
        &c,
        "#invoice-lines tbody tr:nth-child(3) [data-remove-line]",
    )
    .await;
    text_until(&c, "#draft-total", |t| t == "285,94 EUR").await;
    click(&c, "#save-invoice").await;
    let total = c
        .wait()
        .for_element(Locator::Css("#invoice-total"))
        .await
        .unwrap();
    assert_eq!(total.text().await.unwrap(), "285,94 EUR");
    c.execute("window.confirm = () => true;", vec![])
        .await
        .unwrap();
    click(&c, "#issue-invoice").await;
    let title = c
        .wait()
        .for_element(Locator::XPath(
            "//h2[@id='invoice-title' and contains(., 'RE-')]",
        ))
        .await
        .unwrap();
    assert!(title.text().await.unwrap().contains("RE-"));
    let invoice_url = c.current_url().await.unwrap().to_string();

    let statement = format!("{base}/customers/{customer}/statement?period=all");
    assert_eq!(balance(&c, &statement).await, "285,94 EUR");

    c.goto(&invoice_url).await.unwrap();
    fill(&c, "#payment-form input[name=amount]", "100,00").await;
    click(&c, "#record-payment").await;
    c.wait()
        .for_element(Locator::XPath(
            "//span[@id='invoice-status' and contains(., 'Teilweise bezahlt')]",
        ))
        .await
        .unwrap();
    assert_eq!(balance(&c, &statement).await, "185,94 EUR");

    c.goto(&invoice_url).await.unwrap();
    // The amount field offers what is still due.
    click(&c, "#record-payment").await;
    c.wait()
        .for_element(Locator::XPath(
            "//span[@id='invoice-status' and contains(., 'Bezahlt')]",
        ))
        .await
        .unwrap();
    assert_eq!(balance(&c, &statement).await, "0,00 EUR");

    // The zip downloads with the browser's session.
    c.goto(&format!("{base}/customers/{customer}/invoices"))
        .await
        .unwrap();
    click(&c, "#download-zip").await;
    let fetched = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(document.querySelector('#invoices-zip').action)
               .then(r => r.arrayBuffer().then(b => done([r.status, r.headers.get('content-type'), new Uint8Array(b).slice(0, 2).join(','), b.byteLength])))
               .catch(e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fetched[0], 200, "{fetched}");
    assert_eq!(fetched[1], "application/zip");
    assert_eq!(fetched[2], "80,75", "a zip starts with PK");
    assert!(
        fetched[3].as_u64().unwrap_or_default() > 10_000,
        "with the PDF in it"
    );
    c.close().await.unwrap();
}

/// Draws a zigzag on the element with the mouse, as a customer signs.
async fn draw_on(c: &fantoccini::Client, css: &str) {
    use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
    let canvas = c.find(Locator::Css(css)).await.expect("the signature pad");
    let mut stroke = MouseActions::new("pen".into())
        .then(PointerAction::MoveToElement {
            element: canvas.clone(),
            duration: None,
            x: -120.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        });
    for step in 0..12 {
        stroke = stroke.then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(20)),
            x: 20.0,
            y: if step % 2 == 0 { 25.0 } else { -25.0 },
        });
    }
    stroke = stroke.then(PointerAction::Up {
        button: MOUSE_BUTTON_LEFT,
    });
    c.perform_actions(stroke).await.expect("drawn");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_estimate_is_signed_on_its_link_in_chromium() {
    let Some(driver) = start_driver() else { return };
    let app = spawn_app(Backend::Sqlite).await;
    app.set_up_company().await;
    let api = app.admin_api().await;
    let customer = api
        .customer(serde_json::json!({"company": "Signatur GmbH", "language": "de"}))
        .await;
    let id = crate::estimates::estimate(&api, customer, "100").await["id"]
        .as_i64()
        .expect("id");
    let sent: serde_json::Value = api
        .post(&format!("/estimates/{id}/mark-sent"), serde_json::json!({}))
        .await
        .json()
        .await
        .expect("json");
    let url = sent["public_url"].as_str().expect("the link").to_owned();
    let c = connect(driver.port).await;
    c.goto(&url).await.expect("the public page");
    c.wait()
        .for_element(Locator::Css("#signature-pad"))
        .await
        .expect("the pad");
    fill(&c, "#name", "Sina Signer").await;
    fill(&c, "#email", "sina@signatur.example").await;
    click(&c, "#agree").await;
    click(&c, "#accept-estimate").await;
    let refusal = text_until(&c, "#signature-error", |t| !t.is_empty()).await;
    assert!(
        refusal.contains("unterschreiben"),
        "a blank signature: {refusal}"
    );
    assert_eq!(
        api.json(&format!("/estimates/{id}")).await["status"],
        "sent"
    );

    draw_on(&c, "#signature-pad").await;
    if !c
        .find(Locator::Css("#agree"))
        .await
        .expect("agree")
        .is_selected()
        .await
        .expect("state")
    {
        click(&c, "#agree").await;
    }
    click(&c, "#accept-estimate").await;
    let status = text_until(&c, "#estimate-status", |t| t == "Angenommen").await;
    assert_eq!(status, "Angenommen");
    let e = api.json(&format!("/estimates/{id}")).await;
    assert_eq!(e["status"], "accepted");
    assert_eq!(e["accepted_by"]["name"], "Sina Signer");
    let admin = app.admin().await;
    let png = admin.get(&format!("/estimates/{id}/signature.png")).await;
    assert_eq!(png.status(), 200, "the drawn signature is stored");
    let _ = c.close().await;
}
