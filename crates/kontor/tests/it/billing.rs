//! Settings > Billing: company and bank details, tax rates, payment modes,
//! number formats.

use chrono::NaiveDate;
use serde_json::json;

use crate::{helpers::*, on_both};

on_both!(billing_settings_are_kept_checked_and_guarded);
on_both!(clients_read_the_tax_rates_and_payment_modes_they_may_use);
on_both!(the_billing_settings_are_read_and_changed_through_the_api);
on_both!(a_payment_mode_is_named_by_its_id_or_its_key);

/// The reference lists a client needs to fill drafts, payments and customers.
async fn clients_read_the_tax_rates_and_payment_modes_they_may_use(app: TestApp) {
    let api = app.admin_api().await;
    let rates = api.json("/tax-rates").await;
    let rate = |name: &str| {
        rates["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} in {rates}"))
    };
    assert_eq!(rate("MwSt. 19 %")["rate"], "19");
    assert_eq!(rate("MwSt. 7 %")["active"], true);
    let modes = api.json("/payment-modes").await;
    let transfer = modes["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Überweisung")
        .cloned()
        .expect("Überweisung");

    // Retired entries stay listed (marked) for whoever sees the settings;
    // everyone else gets what the forms offer.
    let admin = app.admin().await;
    let seven = rate("MwSt. 7 %")["id"].as_i64().unwrap();
    let r = admin
        .post(&format!("/settings/billing/tax-rates/{seven}/active"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let rates = api.json("/tax-rates").await;
    assert!(
        rates["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == seven && r["active"] == false),
        "{rates}"
    );
    let (_, clerk) = app
        .staff_with(&api, "clerk", json!({"invoices": ["view", "create"]}))
        .await;
    let clerk = app.api_as(&clerk).await;
    let offered = clerk.json("/tax-rates").await;
    assert!(
        offered["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["id"] != seven && r["active"] == true),
        "{offered}"
    );
    let offered = clerk.json("/payment-modes").await;
    assert!(offered["data"].as_array().unwrap().contains(&transfer));
    assert_eq!(app.api("nope").get("/tax-rates").await.status(), 401);

    let currencies = clerk.json("/currencies").await;
    let list = currencies["data"].as_array().unwrap();
    assert!(list.contains(&json!({"code": "EUR", "minor_digits": 2})));
    assert!(list.contains(&json!({"code": "JPY", "minor_digits": 0})));
    let r = api
        .post(
            "/customers",
            json!({"company": "Yen KK", "currency": "XXX"}),
        )
        .await;
    assert_eq!(r.status(), 422, "a currency not listed is refused");
}

async fn billing_settings_are_kept_checked_and_guarded(app: TestApp) {
    let admin = app.admin().await;
    // One page per part, each in the parts' menu, each titled by its part.
    let mut page = String::new();
    for (path, title) in [
        ("/settings/billing", "<title>Firma"),
        ("/settings/billing/tax-rates", "<title>Steuersätze"),
        ("/settings/billing/payment-modes", "<title>Zahlungsarten"),
        ("/settings/billing/series", "<title>Nummernformate"),
        ("/settings/billing/mail-templates", "<title>E-Mail-Vorlagen"),
    ] {
        let (status, part) = admin.text(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(part.contains(title), "{path}: {part}");
        assert!(part.contains(&format!("href=\"{path}\" aria-current=\"page\"")));
        page.push_str(&part);
    }
    assert!(
        page.contains("MwSt. 19 %")
            && page.contains("MwSt. 7 %")
            && page.contains("Überweisung")
            && page.contains("RE-{YYYY}-{N:5}"),
        "German defaults"
    );

    let company = [
        ("name", ""),
        ("street", "Hauptstraße 1"),
        ("iban", "DE89 3704 0044 0532 0130 01"),
        ("bic", "XYZ"),
    ];
    let r = admin.post("/settings/billing/company", &company).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Diese IBAN ist ungültig")
            && page.contains("Eine BIC hat 8 oder 11")
            && page.contains("Dieses Feld ist erforderlich.")
            && page.contains("Hauptstraße 1"),
        "errors shown, input kept"
    );
    let r = admin
        .post(
            "/settings/billing/company",
            &[
                ("name", "Kontor GmbH"),
                ("street", "Hauptstraße 1"),
                ("zip", "50667"),
                ("city", "Köln"),
                ("iban", "de89 3704 0044 0532 0130 00"),
                ("bic", "cobadeffxxx"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = admin.text("/settings/billing").await.1;
    assert!(page.contains("DE89370400440532013000") && page.contains("COBADEFFXXX"));

    let r = admin
        .post(
            "/settings/billing/tax-rates",
            &[("tax_name", "Ermäßigt Sonder"), ("tax_rate", "5,5")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/settings/billing/tax-rates");
    assert!(
        admin
            .text("/settings/billing/tax-rates")
            .await
            .1
            .contains("5,5 %")
    );
    for (rate, message) in [
        ("19", "Diesen Steuersatz gibt es schon."),
        ("101", "Bitte einen Satz von 0 bis 100"),
        ("7,125", "Bitte einen Satz von 0 bis 100"),
    ] {
        let r = admin
            .post(
                "/settings/billing/tax-rates",
                &[("tax_name", "X"), ("tax_rate", rate)],
            )
            .await;
        assert_eq!(r.status(), 422, "{rate}");
        assert!(r.text().await.unwrap().contains(message), "{rate}");
    }
    let r = admin
        .post(
            "/settings/billing/payment-modes",
            &[
                ("mode_name", "PayPal"),
                ("mode_description", "an kasse@example.com"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = admin
        .post(
            "/settings/billing/payment-modes",
            &[("mode_name", "paypal")],
        )
        .await;
    assert_eq!(r.status(), 422);

    let r = admin
        .post(
            "/settings/billing/series/invoice",
            &[("format", "RE-{YYYY}")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("genau ein {N}"));
    let r = admin
        .post(
            "/settings/billing/series/invoice",
            &[("format", "R{YY}-{N:3}"), ("reset_yearly", "on")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (n, text) = kontor::common::series::next(
        &app.state.db,
        "invoice",
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        app.state.clock.now(),
    )
    .await
    .unwrap();
    assert_eq!((n, text.as_str()), (1, "R26-001"));
    assert_eq!(
        admin
            .post("/settings/billing/series/unknown", &[("format", "{N}")])
            .await
            .status(),
        404
    );

    // Without the settings permission: no page, no change.
    let api = app.admin_api().await;
    let (_, viewer) = app
        .staff_with(&api, "clerk", json!({"customers": ["view"]}))
        .await;
    let v = app.browser();
    v.login(&viewer, "staff-password-1").await;
    assert_eq!(v.get("/settings/billing").await.status(), 403);
    let r = v
        .post("/settings/billing/company", &[("name", "Übernommen AG")])
        .await;
    assert_eq!(r.status(), 403);
    assert!(
        !admin
            .text("/settings/billing")
            .await
            .1
            .contains("Übernommen")
    );
}

/// `GET/PATCH /api/v1/settings/billing`: what is given changes, one bad
/// part changes nothing, and only settings editors may.
async fn the_billing_settings_are_read_and_changed_through_the_api(app: TestApp) {
    let api = app.admin_api().await;
    let before = api.json("/settings/billing").await;
    assert!(before["company"]["name"].is_string(), "{before}");
    let series: Vec<&str> = before["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(series, ["invoice", "proposal", "estimate", "credit_note"]);

    let r = api
        .patch(
            "/settings/billing",
            json!({"company": {"name": "Neu GmbH", "iban": "de89 3704 0044 0532 0130 00"},
                   "overdue_reminder_days": [14, 7],
                   "series": [{"key": "invoice", "format": "R{YY}-{N:4}"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let after: serde_json::Value = r.json().await.unwrap();
    assert_eq!(after["company"]["name"], "Neu GmbH");
    assert_eq!(after["company"]["iban"], "DE89370400440532013000");
    assert_eq!(after["company"]["city"], before["company"]["city"]);
    assert_eq!(after["overdue_reminder_days"], json!([7, 14]));
    assert_eq!(after["series"][0]["format"], "R{YY}-{N:4}");

    // One bad part: a 422 naming it, and nothing of the rest is saved.
    for (body, field) in [
        (
            json!({"company": {"iban": "DE00 1234"}, "overdue_reminder_days": [30]}),
            "company.iban",
        ),
        (
            json!({"company": {"colour": "red"}, "overdue_reminder_days": [30]}),
            "company.colour",
        ),
        (
            json!({"overdue_reminder_days": [30], "series": [{"key": "invoice", "format": "no number"}]}),
            "series[0].format",
        ),
        (
            json!({"overdue_reminder_days": [0]}),
            "overdue_reminder_days",
        ),
        (
            json!({"overdue_reminder_days": "7"}),
            "overdue_reminder_days",
        ),
    ] {
        let r = api.patch("/settings/billing", body.clone()).await;
        assert_eq!(r.status(), 422, "{body}");
        let e: serde_json::Value = r.json().await.unwrap();
        assert!(e["error"]["fields"][field].is_string(), "{body}: {e}");
        assert_eq!(
            api.json("/settings/billing").await,
            after,
            "{body} changed nothing"
        );
    }

    let (_, email) = app
        .staff_with(
            &api,
            "clerk",
            json!({"customers": ["view"], "invoices": ["view"]}),
        )
        .await;
    let clerk = app.api_as(&email).await;
    assert_eq!(clerk.get("/settings/billing").await.status(), 403);
    let r = clerk
        .patch("/settings/billing", json!({"company": {"name": "Evil"}}))
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(api.json("/settings/billing").await, after);
}

/// `payment_mode` takes an id or the key `GET /payment-modes` lists: the
/// same id differs per installation, the key does not.
async fn a_payment_mode_is_named_by_its_id_or_its_key(app: TestApp) {
    let api = app.admin_api().await;
    let admin = app.admin().await;
    let r = admin
        .post(
            "/settings/billing/payment-modes",
            &[("mode_name", "Kredit Karte (Visa)")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let modes = api.json("/payment-modes").await;
    let key_of = |name: &str| {
        modes["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .map(|m| {
                (
                    m["id"].as_i64().unwrap(),
                    m["key"].as_str().unwrap().to_string(),
                )
            })
            .unwrap_or_else(|| panic!("{name} in {modes}"))
    };
    let (transfer, transfer_key) = key_of("Überweisung");
    assert_eq!(transfer_key, "ueberweisung");
    let (card, card_key) = key_of("Kredit Karte (Visa)");
    assert_eq!(card_key, "kredit-karte-visa");
    let (_, page) = admin.text("/settings/billing/payment-modes").await;
    assert!(page.contains("<code class=\"small\""), "the key is shown");

    let customer = api.customer(json!({"company": "Zahler GmbH"})).await;
    let r = api
        .post(
            "/invoices",
            json!({"customer_id": customer, "items": [{"description": "x", "quantity": "1", "rate": "100"}]}),
        )
        .await;
    let invoice = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    api.issue("invoices", invoice).await;
    for (mode, id) in [(json!("ueberweisung"), transfer), (json!(card), card)] {
        let r = api
            .post(
                "/payments",
                json!({"invoice_id": invoice, "amount": "10", "payment_mode": mode}),
            )
            .await;
        assert_eq!(r.status(), 201, "{mode}");
        let paid: serde_json::Value = r.json().await.unwrap();
        assert_eq!(paid["payment_mode"], id, "{mode}");
    }
    for mode in [json!("paypal"), json!(999_999)] {
        let r = api
            .post(
                "/payments",
                json!({"invoice_id": invoice, "amount": "10", "payment_mode": mode}),
            )
            .await;
        assert_eq!(r.status(), 422, "{mode}");
        let e: serde_json::Value = r.json().await.unwrap();
        assert!(e["error"]["fields"]["payment_mode"].is_string(), "{e}");
    }
    let invoice_now = api.json(&format!("/invoices/{invoice}")).await;
    assert_eq!(
        invoice_now["amount_paid"], "20.00",
        "the refused ones changed nothing"
    );
}
