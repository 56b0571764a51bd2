//! Post/Redirect/Get for refusals: a form refused for a business rule or
//! for too many tries goes back (303) to the page it was sent from, which
//! says why in the user's language; a reload repeats no POST.

use serde_json::json;

use crate::{helpers::*, on_both};

on_both!(
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
