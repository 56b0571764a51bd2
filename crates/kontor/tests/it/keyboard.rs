//! Keyboard only, in Chromium: the skip link comes first, and a customer,
//! a contact and an invoice are created with Tab, typing and Enter alone.

use fantoccini::{Client, Locator, key::Key};

use crate::{
    browser::{connect, start_driver, text_until},
    helpers::*,
};

/// Presses Tab until the element `css` has the focus (at most 80 times),
/// as someone without a mouse moves through the page.
async fn tab_to(c: &Client, css: &str) {
    for _ in 0..80 {
        let here = c
            .execute(
                "return document.activeElement && document.activeElement.matches(arguments[0]);",
                vec![serde_json::json!(css)],
            )
            .await
            .expect("focus");
        if here.as_bool() == Some(true) {
            return;
        }
        press(c, Key::Tab).await;
    }
    panic!("Tab never reaches {css}");
}

async fn press(c: &Client, key: Key) {
    let focused = c.active_element().await.expect("a focused element");
    focused
        .send_keys(&String::from(char::from(key)))
        .await
        .expect("key");
}

async fn type_into(c: &Client, css: &str, text: &str) {
    tab_to(c, css).await;
    c.active_element()
        .await
        .expect("focused")
        .send_keys(text)
        .await
        .expect("typing");
}

async fn enter_on(c: &Client, css: &str) {
    tab_to(c, css).await;
    press(c, Key::Enter).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_a_contact_and_an_invoice_with_the_keyboard_alone() {
    let Some(driver) = start_driver() else { return };
    let app = spawn_app(Backend::Sqlite).await;
    let c = connect(driver.port).await;
    let base = app.base.clone();

    c.goto(&format!("{base}/login")).await.expect("login");
    press(&c, Key::Tab).await;
    let first = c
        .execute("return document.activeElement.className;", vec![])
        .await
        .expect("focus");
    assert!(
        first.as_str().unwrap_or_default().contains("skip-link"),
        "{first}"
    );
    type_into(&c, "#email", ADMIN_EMAIL).await;
    type_into(&c, "#password", ADMIN_PASSWORD).await;
    enter_on(&c, "#login-submit").await;
    c.wait()
        .for_element(Locator::Css("#dashboard"))
        .await
        .expect("the dashboard");

    c.goto(&format!("{base}/customers"))
        .await
        .expect("customers");
    enter_on(&c, "#new-customer").await;
    c.wait()
        .for_element(Locator::Css("#company"))
        .await
        .expect("the form");
    type_into(&c, "#company", "Tasten GmbH").await;
    enter_on(&c, "#save-customer").await;
    text_until(&c, "#customer-name", |t| t == "Tasten GmbH").await;

    enter_on(&c, "#customer-tabs a[href$='/contacts']").await;
    enter_on(&c, "#new-contact").await;
    c.wait()
        .for_element(Locator::Css("#first_name"))
        .await
        .expect("the form");
    type_into(&c, "#first_name", "Karla").await;
    type_into(&c, "#last_name", "Klavier").await;
    type_into(&c, "#email", "karla@tasten.example").await;
    enter_on(&c, "#save-contact").await;
    text_until(&c, "#contacts-table", |t| t.contains("Karla Klavier")).await;

    enter_on(&c, "#customer-tabs a[href$='/invoices']").await;
    enter_on(&c, "#new-invoice").await;
    c.wait()
        .for_element(Locator::Css("#invoice-lines"))
        .await
        .expect("the form");
    type_into(&c, "#invoice-lines input[name=item_description]", "Stimmen").await;
    type_into(&c, "#invoice-lines input[name=item_rate]", "80,00").await;
    text_until(&c, "#draft-total", |t| t == "80,00 EUR").await;
    enter_on(&c, "#save-invoice").await;
    text_until(&c, "#invoice-total", |t| t == "80,00 EUR").await;
    let _ = c.close().await;
}
