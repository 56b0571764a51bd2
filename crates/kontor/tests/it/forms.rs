//! Post/Redirect/Get for refusals: a form refused for a business rule or
//! for too many tries goes back (303) to the page it was sent from, which
//! says why in the user's language; a reload repeats no POST.

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::{
    browser::{click, connect, fill, sign_in, start_driver, text_until},
    helpers::*,
    on_both,
};

on_both!(
    amounts_in_inputs_are_written_as_the_user_writes_them,
    refusals_return_to_the_page_the_form_came_from,
    the_draft_form_totals_follow_the_lines_by_the_server_rules
);

async fn the_draft_form_totals_follow_the_lines_by_the_server_rules(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Summen GmbH"})).await;
    let admin = app.admin().await;
    let (_, form) = admin.text(&format!("/customers/{c}/invoices/new")).await;
    assert!(form.contains(&format!("hx-post=\"/customers/{c}/invoices/totals\"")));
    let line = |rate: &'static str| {
        vec![
            ("date", "2026-12-01"),
            ("due_date", "2026-12-15"),
            ("item_description", "Beratung"),
            ("item_quantity", "2"),
            ("item_rate", rate),
            ("item_tax1", "19"),
            ("discount_percent", "10"),
        ]
    };
    let r = admin
        .post(&format!("/customers/{c}/invoices/totals"), &line("100,00"))
        .await;
    assert_eq!(r.status(), 200);
    let shown = r.text().await.expect("fragment");
    // 200 net, 10 % off, 19 % on 180.
    assert!(shown.contains("id=\"draft-total\">214,20 EUR<"), "{shown}");
    let r = admin
        .post(&format!("/customers/{c}/invoices/totals"), &line("hundert"))
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .expect("fragment")
            .contains("id=\"draft-totals-pending\"")
    );
    let (_, credit) = admin
        .text(&format!("/customers/{c}/credit-notes/new"))
        .await;
    assert!(credit.contains(&format!("hx-post=\"/customers/{c}/credit-notes/totals\"")));
}

async fn amounts_in_inputs_are_written_as_the_user_writes_them(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Komma GmbH"})).await;
    let (invoice, _) = api.issued_invoice(c, "Beratung", "100").await;
    let r = api
        .post(
            "/payments",
            json!({"invoice_id": invoice, "amount": "20.50", "date": "2026-11-20"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let payment = r.json::<serde_json::Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let admin = app.admin().await;
    let (_, page) = admin.text(&format!("/invoices/{invoice}")).await;
    assert!(
        page.contains("value=\"98,50\""),
        "what is left to pay: {page}"
    );
    let (_, edit) = admin.text(&format!("/payments/{payment}/edit")).await;
    assert!(edit.contains("value=\"20,50\""), "{edit}");
}

async fn refusals_return_to_the_page_the_form_came_from(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Bleibt GmbH"})).await;
    api.issued_invoice(c, "Beratung", "100").await;

    let admin = app.admin().await;
    let page = format!("/customers/{c}");
    let r = admin
        .post_from(&page, &format!("/customers/{c}/delete"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], page.as_str());
    let (status, shown) = admin.text(&page).await;
    assert_eq!(status, 200);
    assert!(shown.contains("class=\"alert alert-danger\" role=\"alert\" id=\"flash\""));
    assert!(
        shown.contains("Rechnungen oder Gutschriften"),
        "the reason, in German"
    );
    assert!(
        shown.contains("id=\"customer-name\""),
        "the customer is still there"
    );

    // The login's lock-out, in the login page.
    let guesser = app.browser_at("203.0.113.99");
    for _ in 0..5 {
        let r = guesser
            .post_from(
                "/login",
                "/login",
                &[("email", ADMIN_EMAIL), ("password", "wrong")],
            )
            .await;
        assert_eq!(r.status(), 422);
    }
    let r = guesser
        .post_from(
            "/login",
            "/login",
            &[("email", ADMIN_EMAIL), ("password", "wrong")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login");
    let (status, login) = guesser.text("/login").await;
    assert_eq!(status, 200);
    assert!(login.contains("Zu viele Versuche") && login.contains("id=\"login-submit\""));
}

/// The path the browser shows.
async fn path_of(c: &Client) -> String {
    c.current_url().await.expect("url").path().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_forms_keep_the_browser_on_their_page_in_chromium() {
    let Some(driver) = start_driver() else { return };
    let app = spawn_app(Backend::Sqlite).await;
    let api = app.admin_api().await;
    let customer = api.customer(json!({"company": "Zurück GmbH"})).await;
    let (invoice, _) = api.issued_invoice(customer, "Beratung", "100").await;
    let admin = app.admin().await;
    let r = admin
        .post(
            &format!("/customers/{customer}/vault"),
            &[
                ("server", "db.zurueck.example"),
                ("username", "root"),
                ("password", "Geheim-12345!"),
                ("visibility", "all"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    let c = connect(driver.port).await;
    let base = app.base.clone();
    sign_in(&c, &format!("{base}/login"), "#dashboard").await;

    // More than is owed: refused with the field marked, on the invoice.
    let page = format!("/invoices/{invoice}");
    c.goto(&format!("{base}{page}")).await.expect("invoice");
    fill(&c, "#amount", "5000,00").await;
    click(&c, "#record-payment").await;
    c.wait()
        .for_element(Locator::Css("#amount.is-invalid"))
        .await
        .expect("the amount is marked");
    assert_eq!(path_of(&c).await, page);
    assert_eq!(
        c.find(Locator::Css("#amount"))
            .await
            .expect("amount")
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some("5000,00"),
        "the input is kept"
    );
    c.refresh().await.expect("reload");
    c.wait()
        .for_element(Locator::Css("#payment-form"))
        .await
        .expect("the page again");
    assert!(c.find(Locator::Css("#amount.is-invalid")).await.is_err());
    let paid = api.json(&format!("/payments?invoice_id={invoice}")).await;
    assert_eq!(paid["total"], 0, "nothing was paid, nothing re-sent");

    // A wrong password at the vault: said on the vault tab.
    let vault = format!("/customers/{customer}/vault");
    c.goto(&format!("{base}{vault}")).await.expect("vault");
    fill(&c, "#vault-entries input[name=password]", "falsch").await;
    click(&c, "#vault-entries button.reveal").await;
    c.wait()
        .for_element(Locator::Css("#reveal-error"))
        .await
        .expect("the refusal");
    assert_eq!(path_of(&c).await, vault);

    // A customer with invoices cannot be deleted: said on its page.
    let profile = format!("/customers/{customer}");
    c.goto(&format!("{base}{profile}")).await.expect("profile");
    c.execute("window.confirm = () => true;", vec![])
        .await
        .expect("confirm");
    click(&c, "#delete-customer").await;
    text_until(&c, "#flash", |t| !t.is_empty()).await;
    assert_eq!(path_of(&c).await, profile);
    c.refresh().await.expect("reload");
    c.wait()
        .for_element(Locator::Css("#customer-name"))
        .await
        .expect("the customer is still there");
    assert!(c.find(Locator::Css("#flash")).await.is_err(), "said once");
    let _ = c.close().await;
}
