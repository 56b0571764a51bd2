//! The worker's invoice jobs: recurring invoices issue each copy exactly
//! once (also with two workers at the same time), overdue reminders go out
//! once per configured stage.

use chrono::{Days, Months, NaiveDate};
use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(
    recurring_invoices_issue_each_copy_once,
    overdue_reminders_go_out_once_per_stage
);

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

async fn recurring_invoices_issue_each_copy_once(app: TestApp) {
    let today = app.state.clock.today();
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Abo GmbH"})).await;
    let r = api
        .post(
            "/invoices",
            json!({"customer_id": c, "recurring_every": "x",
                "items": [{"description": "Abo", "quantity": "1", "rate": "10", "taxes": ["19"]}]}),
        )
        .await;
    assert_eq!(r.status(), 422, "a bad interval is refused");

    let start = today - Days::new(70);
    let monthly: Value = api
        .post(
            "/invoices",
            json!({"customer_id": c, "date": iso(start), "due_date": iso(start + Days::new(14)),
                "recurring_every": "1", "recurring_unit": "month", "recurring_cycles": "2",
                "items": [{"description": "Wartungsvertrag", "quantity": "1", "rate": "100", "taxes": ["19"]}]}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(monthly["recurring_every"], 1);
    assert_eq!(monthly["recurring_unit"], "month");
    let monthly = monthly["id"].as_i64().expect("id");
    let weekly_start = today - Days::new(20);
    let weekly: Value = api
        .post(
            "/invoices",
            json!({"customer_id": c, "date": iso(weekly_start),
                "recurring_every": "1", "recurring_unit": "week",
                "items": [{"description": "Wochenpauschale", "quantity": "1", "rate": "20", "taxes": ["19"]}]}),
        )
        .await
        .json()
        .await
        .expect("json");
    let weekly = weekly["id"].as_i64().expect("id");
    assert_eq!(app.run_pending_jobs().await, 0, "drafts do not recur");
    for id in [monthly, weekly] {
        assert_eq!(
            api.post(&format!("/invoices/{id}/issue"), json!({}))
                .await
                .status(),
            200
        );
    }

    // Two workers at once, as two instances would run them.
    let (a, b) = tokio::join!(app.run_pending_jobs(), app.run_pending_jobs());
    assert!(a + b >= 4);
    app.run_pending_jobs().await;
    let list = api.json(&format!("/invoices?customer_id={c}")).await;
    let rows = list["data"].as_array().expect("list");
    assert_eq!(rows.len(), 6, "two templates and four copies: {list}");
    let mut numbers: Vec<String> = rows
        .iter()
        .filter_map(|r| r["number"].as_str().map(str::to_owned))
        .collect();
    numbers.sort();
    assert_eq!(numbers.len(), 6);
    numbers.dedup();
    assert_eq!(numbers.len(), 6, "no number twice");

    let template = api.json(&format!("/invoices/{monthly}")).await;
    assert_eq!(template["recurring_done"], 2);
    assert!(
        template["recurring_next"].is_null(),
        "two cycles, then finished"
    );
    let copies: Vec<Value> = {
        let mut v = Vec::new();
        for r in rows {
            let full = api.json(&format!("/invoices/{}", r["id"])).await;
            if full["recurring_parent_id"] == monthly {
                v.push(full);
            }
        }
        v
    };
    assert_eq!(copies.len(), 2);
    let mut dates: Vec<String> = copies
        .iter()
        .filter_map(|c| c["date"].as_str().map(str::to_owned))
        .collect();
    dates.sort();
    let first = start.checked_add_months(Months::new(1)).expect("date");
    let second = start.checked_add_months(Months::new(2)).expect("date");
    assert_eq!(dates, vec![iso(first), iso(second)]);
    for copy in &copies {
        assert_eq!(copy["status"], "unpaid");
        assert_eq!(copy["total"], "119.00");
        let date = NaiveDate::parse_from_str(copy["date"].as_str().unwrap_or_default(), "%Y-%m-%d")
            .expect("date");
        assert_eq!(
            copy["due_date"],
            iso(date + Days::new(14)),
            "the template's payment term"
        );
        let pdf = api.get(&format!("/invoices/{}/pdf", copy["id"])).await;
        assert_eq!(pdf.status(), 200);
    }

    let weekly_now = api.json(&format!("/invoices/{weekly}")).await;
    assert_eq!(weekly_now["recurring_done"], 2);
    assert_eq!(
        weekly_now["recurring_next"],
        iso(weekly_start + Days::new(21))
    );
    let browser = app.admin().await;
    let (_, page) = browser.text(&format!("/invoices/{weekly}")).await;
    assert!(page.contains("id=\"invoice-recurring\"") && page.contains("id=\"stop-recurring\""));
    assert_eq!(
        browser
            .post(&format!("/invoices/{weekly}/stop-recurring"), &[])
            .await
            .status(),
        303
    );
    assert!(api.json(&format!("/invoices/{weekly}")).await["recurring_next"].is_null());
    assert_eq!(app.run_pending_jobs().await, 0);
}

async fn overdue_reminders_go_out_once_per_stage(app: TestApp) {
    let today = app.state.clock.today();
    let browser = app.admin().await;
    let r = browser
        .post("/settings/billing/reminders", &[("reminder_days", "7,x")])
        .await;
    assert_eq!(r.status(), 422);
    let r = browser
        .post("/settings/billing/reminders", &[("reminder_days", "14, 7")])
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        browser
            .text("/settings/billing/mail-templates")
            .await
            .1
            .contains("value=\"7, 14\"")
    );

    let api = app.admin_api().await;
    let c = api
        .customer(json!({"company": "Säumig KG", "language": "de"}))
        .await;
    api.post(
        "/contacts",
        json!({"customer_id": c, "first_name": "Bea", "last_name": "Buch", "email": "bea@saeumig.example", "permissions": ["invoices"]}),
    )
    .await;
    let issued = |days_late: u64, rate: &'static str| {
        let api = &api;
        async move {
            let due = today - Days::new(days_late);
            let draft: Value = api
                .post(
                    "/invoices",
                    json!({"customer_id": c, "date": iso(due - Days::new(10)), "due_date": iso(due),
                        "items": [{"description": "Leistung", "quantity": "1", "rate": rate, "taxes": ["19"]}]}),
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
    let ten = issued(10, "100").await;
    issued(20, "200").await;
    let paid = issued(10, "50").await;
    api.post("/payments", json!({"invoice_id": paid, "amount": "59.50"}))
        .await;
    issued(2, "10").await;
    assert_eq!(api.json(&format!("/invoices/{ten}")).await["overdue"], true);
    assert_eq!(
        api.json(&format!("/invoices/{paid}")).await["overdue"],
        false
    );

    app.run_pending_jobs().await;
    app.run_pending_jobs().await;
    let mails: Vec<String> = std::fs::read_dir(app.data_dir.path().join("mail"))
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        mails.len(),
        2,
        "one reminder per overdue invoice, the latest stage only"
    );
    assert!(
        mails
            .iter()
            .all(|m| m.contains("To: bea@saeumig.example") && m.contains("application/pdf"))
    );
    let (_, page) = browser.text(&format!("/invoices/{ten}")).await;
    assert!(page.contains("id=\"invoice-overdue\""));
    let (_, activity) = browser.text(&format!("/customers/{c}/activity")).await;
    assert!(activity.contains("Zahlungserinnerung gesendet"),);
}
