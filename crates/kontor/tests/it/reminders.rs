//! Reminders: the tab, notifications and email exactly once, the calendar feed.

use icalendar::{Calendar, Component};
use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(
    a_due_reminder_notifies_once_in_app_and_by_email,
    reminders_are_set_on_invoices_for_who_may_see_them,
    two_instances_racing_notify_each_reminder_exactly_once
);

/// A moment `minutes` after the app's clock.
fn in_minutes(app: &TestApp, minutes: i64) -> String {
    (app.state.clock.now() + chrono::Duration::minutes(minutes)).to_rfc3339()
}

async fn a_due_reminder_notifies_once_in_app_and_by_email(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Erinnerung GmbH"})).await;
    let (staff_id, email) = app
        .staff_with(&api, "rita", json!({"customers": ["view"]}))
        .await;
    let b = app.admin().await;
    let r = b
        .post(
            &format!("/customers/{c}/reminders"),
            &[
                ("remind_at", "2020-01-01T10:00"),
                ("description", "zu spät"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Bitte wählen Sie einen Zeitpunkt in der Zukunft.")
    );
    let r = b
        .post(
            &format!("/customers/{c}/reminders"),
            &[
                ("remind_at", "2099-06-01T09:30"),
                ("description", "Jahresgespräch"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, tab) = b.text(&format!("/customers/{c}/reminders")).await;
    assert!(
        tab.contains("01.06.2099 09:30") && tab.contains("ausstehend"),
        "shown in local time"
    );
    let later = api.json(&format!("/reminders?customer_id={c}")).await;
    assert_eq!(
        later["data"][0]["remind_at"], "2099-06-01T07:30:00Z",
        "stored in UTC"
    );

    let due: Value = api
        .post("/reminders", json!({"customer_id": c, "remind_at": in_minutes(&app, 10), "description": "Angebot nachfassen", "staff_id": staff_id,
            "notify_by_email": true}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(due["notified"], false);
    assert_eq!(app.run_pending_jobs().await, 0, "not due yet");
    app.state.clock.advance(chrono::Duration::minutes(11));
    assert_eq!(
        app.run_pending_jobs().await,
        2,
        "one notification, one email"
    );
    assert_eq!(app.run_pending_jobs().await, 0, "and never again");
    assert_eq!(
        api.json(&format!("/reminders/{}", due["id"])).await["notified"],
        true
    );
    let mails: Vec<_> = std::fs::read_dir(app.data_dir.path().join("mail"))
        .unwrap()
        .collect();
    assert_eq!(mails.len(), 1);

    let rita = app.browser();
    rita.login(&email, "staff-password-1").await;
    let (_, page) = rita.text("/customers").await;
    assert!(
        page.contains("id=\"unread\">1</span>"),
        "the bell counts it"
    );
    let (_, list) = rita.text("/notifications").await;
    assert!(list.contains("Erinnerung: Erinnerung GmbH") && list.contains("Angebot nachfassen"));
    assert_eq!(rita.post("/notifications/read", &[]).await.status(), 303);
    assert!(!rita.text("/customers").await.1.contains("id=\"unread\""));

    let (_, account) = rita.text("/account").await;
    let url = account
        .split("id=\"ical-url\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("feed url")
        .to_string();
    let feed = reqwest::get(&url).await.unwrap();
    assert_eq!(
        feed.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let calendar: Calendar = feed
        .text()
        .await
        .unwrap()
        .parse()
        .expect("a valid iCalendar document");
    let events: Vec<_> = calendar.events().collect();
    assert_eq!(events.len(), 1, "only rita's reminders");
    assert_eq!(
        events[0].get_summary(),
        Some("Erinnerung GmbH: Angebot nachfassen")
    );
    assert_eq!(
        reqwest::get(format!("{}/ical/not-a-secret.ics", app.base))
            .await
            .unwrap()
            .status(),
        404
    );
}

async fn two_instances_racing_notify_each_reminder_exactly_once(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Wettlauf AG"})).await;
    for i in 0..40 {
        let r = api.post("/reminders", json!({"customer_id": c, "remind_at": in_minutes(&app, 10), "description": format!("R{i}"), "notify_by_email": i % 2 == 0})).await;
        assert_eq!(r.status(), 201);
    }
    app.state.clock.advance(chrono::Duration::minutes(11));
    let second = app.second_instance().await;
    let (one, two) = (
        kontor::app::worker(&app.state),
        kontor::app::worker(&second.state),
    );
    // Both instances work at the same time until every reminder is
    // notified and every email sent. A round may fail under lock
    // contention (it is retried) or find nothing because the other
    // instance holds the work; only the end result must be exact.
    let mut rounds = 0;
    loop {
        tokio::join!(one.run_once(), two.run_once());
        let pending = api
            .json(&format!("/reminders?customer_id={c}&per_page=100"))
            .await["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["notified"] != true)
            .count();
        if pending == 0 && outbox_unsent(&app).await == 0 {
            break;
        }
        rounds += 1;
        assert!(
            rounds < 50,
            "{pending} reminders still pending after {rounds} rounds"
        );
        // Past any lease a failed round may have left behind.
        app.state.clock.advance(chrono::Duration::minutes(6));
    }
    let reminders = api.json(&format!("/reminders?customer_id={c}")).await;
    assert!(
        reminders["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["notified"] == true)
    );
    let b = app.admin().await;
    let (_, list) = b.text("/notifications").await;
    assert_eq!(
        list.matches("Erinnerung: Wettlauf AG").count(),
        40,
        "no reminder twice"
    );
    let mails = std::fs::read_dir(app.data_dir.path().join("mail"))
        .unwrap()
        .count();
    assert_eq!(mails, 20);
}

async fn outbox_unsent(app: &TestApp) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .state
        .db
        .query_one_raw(Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM outbox WHERE sent_at IS NULL",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

async fn reminders_are_set_on_invoices_for_who_may_see_them(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Wiedervorlage GmbH"})).await;
    let (invoice, number) = api.issued_invoice(c, "Wartung", "50").await;
    let b = app.admin().await;

    // Refused input shows the invoice page again with the form as typed.
    let r = b
        .post(
            &format!("/invoices/{invoice}/reminders"),
            &[("remind_at", ""), ("description", "Zahlung prüfen")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"record-reminder-form\""), "{page}");
    assert!(page.contains("value=\"Zahlung prüfen\""), "{page}");

    let r = b
        .post(
            &format!("/invoices/{invoice}/reminders"),
            &[
                ("remind_at", "2099-03-01T09:00"),
                ("description", "Zahlung prüfen"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/invoices/{invoice}#reminders")
    );
    let (_, page) = b.text(&format!("/invoices/{invoice}")).await;
    let on_page = &page[page
        .find("id=\"record-reminders\"")
        .expect("reminders on the invoice")..];
    assert!(on_page.contains("Zahlung prüfen"), "{on_page}");
    let (_, tab) = b.text(&format!("/customers/{c}/reminders")).await;
    assert!(tab.contains("Zahlung prüfen"), "{tab}");
    assert!(
        tab.contains(&format!("<a href=\"/invoices/{invoice}\">{number}</a>")),
        "{tab}"
    );
    let edit_at = tab.find("/edit\"").expect("an edit link");
    let id: i64 = tab[..edit_at]
        .rsplit("/reminders/")
        .next()
        .unwrap()
        .parse()
        .unwrap();

    // Customers yes, invoices no: the invoice's reminder is nowhere to be had.
    let (_, email) = app
        .staff_with(&api, "kunden", json!({"customers": ["view", "edit"]}))
        .await;
    let clerk = app.browser();
    clerk.login(&email, "staff-password-1").await;
    let (status, tab) = clerk.text(&format!("/customers/{c}/reminders")).await;
    assert_eq!(status, 200);
    assert!(!tab.contains("Zahlung prüfen"), "{tab}");
    assert_eq!(
        clerk.get(&format!("/reminders/{id}/edit")).await.status(),
        404
    );
    let r = clerk
        .post(
            &format!("/invoices/{invoice}/reminders"),
            &[("remind_at", "2099-03-01T09:00"), ("description", "x")],
        )
        .await;
    assert!(matches!(r.status().as_u16(), 403 | 404), "{}", r.status());
}
