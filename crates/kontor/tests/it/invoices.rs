//! Invoices through the API: drafts with exact totals, bad input, issuing
//! with gapless numbers (also under concurrency), and what an issued
//! invoice refuses.

use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(
    drafts_total_exactly_and_refuse_bad_input,
    issuing_numbers_without_gaps_and_locks_the_invoice,
    two_hundred_invoices_issued_at_once_get_numbers_one_to_two_hundred,
    amounts_show_the_digits_of_their_currency,
    issue_dates_stay_in_a_sane_window_and_in_order,
    invoice_and_payment_lists_page_across_customers
);

async fn amounts_show_the_digits_of_their_currency(app: TestApp) {
    let api = app.admin_api().await;
    let c = api
        .customer(json!({"company": "Tokio KK", "currency": "JPY"}))
        .await;
    let draft: Value = api
        .post(
            "/invoices",
            json!({"customer_id": c, "items": [{"description": "Beratung", "quantity": "1", "rate": "1234", "taxes": []}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(draft["total"], "1234");
    let b = app.admin().await;
    let (_, page) = b.text(&format!("/invoices/{}", draft["id"])).await;
    assert!(page.contains("1.234 JPY"), "no cents for yen");
    assert!(!page.contains("1.234,00 JPY"));
}

fn two_lines(customer: i64) -> Value {
    json!({
        "customer_id": customer,
        "date": "2026-11-27",
        "due_date": "2026-12-11",
        "items": [
            {"description": "Beratung", "quantity": "2", "unit": "Std.", "rate": "100.00", "taxes": ["19"]},
            {"description": "Fachbuch", "quantity": "3,5", "rate": "12.80", "taxes": ["7"]}
        ],
        "discount_percent": "10"
    })
}

async fn drafts_total_exactly_and_refuse_bad_input(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Rechnung GmbH"})).await;
    let r = api.post("/invoices", two_lines(c)).await;
    assert_eq!(r.status(), 201);
    let inv: Value = r.json().await.unwrap();
    assert_eq!(inv["status"], "draft");
    assert_eq!(inv["number"], Value::Null);
    assert_eq!(inv["currency"], "EUR");
    assert_eq!(inv["items"][1]["quantity"], "3.5");
    assert_eq!(inv["items"][1]["net"], "44.80");
    assert_eq!(inv["subtotal"], "244.80");
    assert_eq!(inv["discount_total"], "24.48");
    assert_eq!(
        inv["taxes"],
        json!([
            {"rate": "7", "base": "40.32", "amount": "2.82"},
            {"rate": "19", "base": "180.00", "amount": "34.20"}
        ])
    );
    assert_eq!(inv["tax_total"], "37.02");
    assert_eq!(inv["total"], "257.34");
    assert_eq!(inv["amount_due"], "257.34");
    let id = inv["id"].as_i64().unwrap();

    let bad = [
        (
            json!({"items": [{"description": "X", "quantity": "-1", "rate": "1"}]}),
            "items[0].quantity",
        ),
        (
            json!({"items": [{"description": "X", "quantity": "1", "rate": "1.001"}]}),
            "items[0].rate",
        ),
        (
            json!({"items": [{"description": "X", "quantity": "99999999", "rate": "1"}]}),
            "items[0].quantity",
        ),
        (
            json!({"items": [{"description": "X", "quantity": "1", "rate": "1", "taxes": ["16"]}]}),
            "items[0].taxes",
        ),
        (
            json!({"items": [{"description": "", "quantity": "1", "rate": "1"}]}),
            "items[0].description",
        ),
        (json!({"items": []}), "items"),
        (json!({"currency": "USD"}), "currency"),
        (
            json!({"discount_percent": "5", "discount_amount": "1"}),
            "discount_amount",
        ),
        (json!({"discount_amount": "1000"}), "discount_amount"),
        (json!({"due_date": "2026-01-01"}), "due_date"),
        (
            json!({"items": [{"description": "Gutschrift", "quantity": "1", "rate": "-5"}]}),
            "items",
        ),
    ];
    for (body, field) in bad {
        let r = api.patch(&format!("/invoices/{id}"), body.clone()).await;
        assert_eq!(r.status(), 422, "{body}");
        let e: Value = r.json().await.unwrap();
        assert!(e["error"]["fields"][field].is_string(), "{body}: {e}");
    }
    let r = api
        .patch(
            &format!("/invoices/{id}"),
            json!({"items": [{"description": "X", "quantity": "0", "rate": "1"}]}),
        )
        .await;
    let e: Value = r.json().await.unwrap();
    assert!(
        e["error"]["fields"].get("items").is_none(),
        "the bad line says why, not \"add a line\": {e}"
    );
    let same: Value = api.json(&format!("/invoices/{id}")).await;
    assert_eq!(same["total"], "257.34", "nothing half-saved");

    let r = api
        .patch(
            &format!("/invoices/{id}"),
            json!({"discount_percent": "", "adjustment": "-0.34"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let inv: Value = r.json().await.unwrap();
    assert_eq!(inv["total"], "285.60", "244.80 + 38.00 + 3.14 - 0.34");

    let r = api
        .get(&format!("/invoices?customer_id={c}&status=draft"))
        .await;
    let list: Value = r.json().await.unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["data"][0]["total"], "285.60");

    // A customer with invoices keeps them and its currency.
    let r = api
        .patch(&format!("/customers/{c}"), json!({"currency": "USD"}))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(api.delete(&format!("/customers/{c}")).await.status(), 409);
    assert_eq!(api.get(&format!("/customers/{c}")).await.status(), 200);

    // Drafts may go.
    assert_eq!(api.delete(&format!("/invoices/{id}")).await.status(), 204);
    assert_eq!(api.get(&format!("/invoices/{id}")).await.status(), 404);
}

async fn issuing_numbers_without_gaps_and_locks_the_invoice(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Nummer GmbH"})).await;
    let first: Value = api
        .post("/invoices", two_lines(c))
        .await
        .json()
        .await
        .unwrap();
    let second: Value = api
        .post("/invoices", two_lines(c))
        .await
        .json()
        .await
        .unwrap();
    let r = api
        .post(&format!("/invoices/{}/issue", second["id"]), json!({}))
        .await;
    assert_eq!(r.status(), 200);
    let issued: Value = r.json().await.unwrap();
    assert_eq!(issued["number"], "RE-2026-00001");
    assert_eq!(issued["status"], "unpaid");
    let again = api
        .post(&format!("/invoices/{}/issue", second["id"]), json!({}))
        .await;
    assert_eq!(again.status(), 409);
    let r = api
        .post(&format!("/invoices/{}/issue", first["id"]), json!({}))
        .await;
    let issued_first: Value = r.json().await.unwrap();
    assert_eq!(issued_first["number"], "RE-2026-00002", "no gap");

    let r = api
        .patch(
            &format!("/invoices/{}", second["id"]),
            json!({"adjustment": "1"}),
        )
        .await;
    assert_eq!(r.status(), 409);
    let e: Value = r.json().await.unwrap();
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("it can no longer be changed"),
        "{e}"
    );
    assert_eq!(
        api.delete(&format!("/invoices/{}", second["id"]))
            .await
            .status(),
        409
    );
    let activity = api.json(&format!("/customers/{c}/activity")).await;
    assert!(activity.to_string().contains("RE-2026-00001"));

    // Permissions: view own sees only its own invoices; no invoice rights, nothing.
    let (_, own) = app
        .staff_with(
            &api,
            "seller",
            json!({"customers": ["view"], "invoices": ["view_own", "create", "edit"]}),
        )
        .await;
    let seller = app.api_as(&own).await;
    assert_eq!(
        seller
            .get(&format!("/invoices/{}", first["id"]))
            .await
            .status(),
        404
    );
    let mine = seller.post("/invoices", two_lines(c)).await;
    assert_eq!(mine.status(), 201);
    let list: Value = seller
        .get(&format!("/invoices?customer_id={c}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1, "only its own");
    let (_, clerk) = app
        .staff_with(&api, "clerk", json!({"customers": ["view"]}))
        .await;
    let clerk = app.api_as(&clerk).await;
    assert_eq!(clerk.post("/invoices", two_lines(c)).await.status(), 403);
    assert_eq!(
        clerk
            .get(&format!("/invoices/{}", first["id"]))
            .await
            .status(),
        404
    );
}

async fn two_hundred_invoices_issued_at_once_get_numbers_one_to_two_hundred(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Massen GmbH"})).await;
    let mut ids = Vec::new();
    for _ in 0..200 {
        let inv: Value = api
            .post("/invoices", two_lines(c))
            .await
            .json()
            .await
            .unwrap();
        ids.push(inv["id"].as_i64().unwrap());
    }
    // Half the requests go to a second instance on the same database.
    let other = app.second_instance().await;
    let other_api = format!("{}/api/v1", other.base);
    let tasks: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| {
            let client = api.client.clone();
            let base = if n % 2 == 0 { &api.base } else { &other_api };
            let url = format!("{base}/invoices/{id}/issue");
            let token = api.token.clone();
            tokio::spawn(async move {
                let r = client.post(url).bearer_auth(token).send().await.unwrap();
                assert_eq!(r.status(), 200);
                r.json::<Value>().await.unwrap()["number"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=200).map(|n| format!("RE-2026-{n:05}")).collect();
    assert_eq!(numbers, expected);

    let b = app.admin().await;
    let (_, tab) = b.text(&format!("/customers/{c}/invoices")).await;
    assert!(
        tab.contains("1 / 4 · 200") && tab.contains("id=\"next-page\""),
        "50 a page"
    );
    assert!(
        tab.contains("aria-current=\"page\" aria-label=\"Seite 1\"")
            && tab.contains("aria-label=\"Seite 4\""),
        "the pages by number"
    );
    let (_, last) = b.text(&format!("/customers/{c}/invoices?page=4")).await;
    assert!(last.contains("4 / 4") && !last.contains("id=\"next-page\""));
    let r = b.get(&format!("/customers/{c}/invoices?page=999")).await;
    assert_eq!(r.status(), 303, "past the last page: to the last");
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("page=4")
    );
}

on_both!(an_invoice_is_written_and_issued_in_the_browser_forms);

async fn an_invoice_is_written_and_issued_in_the_browser_forms(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Formular GmbH"})).await;
    let b = app.admin().await;
    let (status, page) = b.text(&format!("/customers/{c}/invoices")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Noch keine Rechnungen.") && page.contains("id=\"new-invoice\""));
    let (status, page) = b.text(&format!("/customers/{c}/invoices/new")).await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"item_description\"") && page.contains("value=\"19\""));

    let line = |d: &'static str, q: &'static str, r: &'static str, t: &'static str| {
        [
            ("item_description", d),
            ("item_long_description", ""),
            ("item_quantity", q),
            ("item_unit", ""),
            ("item_rate", r),
            ("item_tax1", t),
            ("item_tax2", ""),
        ]
    };
    let mut fields = vec![("date", "2026-11-27"), ("due_date", "2026-12-11")];
    fields.extend(line("Beratung", "2", "100,00", "19"));
    fields.extend(line("Fachbuch", "3,5", "12.80", "7"));
    fields.extend(line("", "1", "", ""));
    // A bad line: the page comes back with the message and every line kept.
    let mut bad = fields.clone();
    bad.extend(line("Kaputt", "-2", "5", ""));
    let r = b.post(&format!("/customers/{c}/invoices"), &bad).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Bitte eine Menge über 0")
            && page.contains("Fachbuch")
            && page.contains("Kaputt")
    );
    assert_eq!(
        api.json(&format!("/invoices?customer_id={c}")).await["total"],
        0
    );

    let r = b.post(&format!("/customers/{c}/invoices"), &fields).await;
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let (_, page) = b.text(&to).await;
    assert!(
        page.contains("Entwurf") && page.contains("Beratung") && page.contains("285,94 EUR"),
        "{page}"
    );
    let id = to.trim_start_matches("/invoices/");
    let r = b.post(&format!("/invoices/{id}/issue"), &[]).await;
    assert_eq!(r.status(), 303);
    let (_, page) = b.text(&to).await;
    assert!(page.contains("Rechnung RE-2026-00001") && page.contains("Offen"));
    assert!(!page.contains("id=\"issue-invoice\"") && !page.contains("id=\"edit-invoice\""));
    let r = b.post(&format!("/invoices/{id}"), &fields).await;
    assert_eq!(r.status(), 409, "an issued invoice is not edited");
    let (_, list) = b
        .text(&format!("/customers/{c}/invoices?status=unpaid"))
        .await;
    assert!(list.contains("RE-2026-00001") && list.contains("285,94 EUR"));
    let (_, drafts) = b
        .text(&format!("/customers/{c}/invoices?status=draft"))
        .await;
    assert!(!drafts.contains("RE-2026-00001"));

    // The overview header sums what is open and what is overdue.
    let mut late = two_lines(c);
    late["date"] = json!("2026-10-01");
    late["due_date"] = json!("2026-10-15");
    let late: Value = api.post("/invoices", late).await.json().await.unwrap();
    api.issue("invoices", &late["id"]).await;
    let (_, overview) = b.text(&format!("/customers/{c}")).await;
    assert!(
        overview.contains("id=\"figure-outstanding\">543,28 EUR")
            && overview.contains("id=\"figure-overdue\">257,34 EUR"),
        "285.94 + 257.34 open, 257.34 of it overdue"
    );
    // Wherever the status shows, the late one is overdue: the tab, the
    // API list (`overdue`, next to its `status`).
    let (_, tab) = b.text(&format!("/customers/{c}/invoices")).await;
    let late_row = &tab[tab.find("RE-2026-00002").expect("listed")..];
    let late_row = &late_row[..late_row.find("</tr>").expect("row")];
    assert!(late_row.contains("Überfällig"), "{late_row}");
    let first_row = &tab[tab.find("RE-2026-00001").expect("listed")..];
    assert!(first_row[..first_row.find("</tr>").expect("row")].contains("Offen"));
    let rows = api.json(&format!("/invoices?customer_id={c}")).await;
    let overdue: Vec<(&str, bool)> = rows["data"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| (r["number"].as_str().unwrap_or(""), r["overdue"] == true))
        .collect();
    assert_eq!(overdue, [("RE-2026-00001", false), ("RE-2026-00002", true)]);

    // Filters by period, with the sum of what is listed.
    let (_, november) = b
        .text(&format!(
            "/customers/{c}/invoices?from=2026-11-01&to=2026-11-30"
        ))
        .await;
    assert!(
        november.contains("RE-2026-00001")
            && !november.contains("RE-2026-00002")
            && november.contains("id=\"invoices-sum\">285,94 EUR")
    );
    let (_, october) = b
        .text(&format!("/customers/{c}/invoices?to=2026-10-31"))
        .await;
    assert!(october.contains("RE-2026-00002") && !october.contains("RE-2026-00001"));
    let r = api
        .get(&format!("/invoices?customer_id={c}&from=2026-13-01"))
        .await;
    assert_eq!(r.status(), 422);
    let listed: Value = api
        .get(&format!(
            "/invoices?customer_id={c}&from=2026-10-01&to=2026-10-31&status=unpaid"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 1);

    // Without any invoice permission there is no Invoices tab to open.
    let (_, clerk) = app
        .staff_with(&api, "viewer", json!({"customers": ["view"]}))
        .await;
    let v = app.browser();
    v.login(&clerk, "staff-password-1").await;
    let (_, overview) = v.text(&format!("/customers/{c}")).await;
    assert!(!overview.contains(&format!("/customers/{c}/invoices")));
    assert!(
        !overview.contains("figure-outstanding"),
        "no sums over invoices one may not see"
    );
    assert_eq!(
        v.get(&format!("/customers/{c}/invoices")).await.status(),
        403
    );
    assert_eq!(v.get(&format!("/invoices/{id}")).await.status(), 404);
}

on_both!(payments_move_the_invoice_status_and_never_overpay);

async fn payments_move_the_invoice_status_and_never_overpay(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Zahler GmbH"})).await;
    let draft: Value = api
        .post("/invoices", two_lines(c))
        .await
        .json()
        .await
        .unwrap();
    let id = draft["id"].as_i64().unwrap();
    let pay = |amount: &str| json!({"invoice_id": id, "amount": amount, "date": "2026-11-28"});
    let r = api.post("/payments", pay("10")).await;
    assert_eq!(r.status(), 422, "no payments on drafts");
    api.issue("invoices", id).await;

    let r = api.post("/payments", pay("100,00")).await;
    assert_eq!(r.status(), 201);
    let first: Value = r.json().await.unwrap();
    assert_eq!(first["amount"], "100.00");
    let inv = api.json(&format!("/invoices/{id}")).await;
    assert_eq!(
        (
            inv["status"].as_str(),
            inv["amount_paid"].as_str(),
            inv["amount_due"].as_str()
        ),
        (Some("partially_paid"), Some("100.00"), Some("157.34"))
    );
    let r = api.post("/payments", pay("200")).await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert!(e["error"]["fields"]["amount"].is_string(), "{e}");
    for bad in ["0", "-5", "1.005", "abc"] {
        assert_eq!(api.post("/payments", pay(bad)).await.status(), 422, "{bad}");
    }
    let r = api
        .post(
            "/payments",
            json!({"invoice_id": id, "amount": "1", "payment_mode": 999999}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        api.json(&format!("/invoices/{id}")).await["amount_paid"],
        "100.00"
    );

    let r = api.post("/payments", pay("157.34")).await;
    assert_eq!(r.status(), 201);
    assert_eq!(api.json(&format!("/invoices/{id}")).await["status"], "paid");
    let r = api
        .patch(
            &format!("/payments/{}", first["id"]),
            json!({"amount": "50"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let inv = api.json(&format!("/invoices/{id}")).await;
    assert_eq!(
        (inv["status"].as_str(), inv["amount_due"].as_str()),
        (Some("partially_paid"), Some("50.00"))
    );
    assert_eq!(
        api.delete(&format!("/payments/{}", first["id"]))
            .await
            .status(),
        204
    );
    let inv = api.json(&format!("/invoices/{id}")).await;
    assert_eq!(inv["amount_paid"], "157.34");
    let list = api.json(&format!("/payments?customer_id={c}")).await;
    assert_eq!(list["total"], 1);

    // Ten payments of 100 at once on the 100.00 still due: exactly one lands.
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let client = api.client.clone();
            let url = format!("{}/payments", api.base);
            let token = api.token.clone();
            tokio::spawn(async move {
                client
                    .post(url)
                    .bearer_auth(token)
                    .json(&json!({"invoice_id": id, "amount": "100"}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 422).count(),
        9,
        "{statuses:?}"
    );
    let inv = api.json(&format!("/invoices/{id}")).await;
    assert_eq!(
        (inv["status"].as_str(), inv["amount_paid"].as_str()),
        (Some("paid"), Some("257.34"))
    );

    // The same through the invoice page and the Payments tab.
    let second: Value = api
        .post("/invoices", two_lines(c))
        .await
        .json()
        .await
        .unwrap();
    let sid = second["id"].as_i64().unwrap();
    api.issue("invoices", sid).await;
    let b = app.admin().await;
    let (_, page) = b.text(&format!("/invoices/{sid}")).await;
    assert!(
        page.contains("id=\"payment-form\"") && page.contains("value=\"257,34\""),
        "what is due, as German writes it"
    );
    let r = b
        .post(
            &format!("/invoices/{sid}/payments"),
            &[
                ("amount", "300"),
                ("date", "2026-11-28"),
                ("payment_mode", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("mehr, als auf der Rechnung noch offen ist")
    );
    let r = b
        .post(
            &format!("/invoices/{sid}/payments"),
            &[
                ("amount", "257,34"),
                ("date", "2026-11-28"),
                ("transaction_id", "SEPA-4711"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = b.text(&format!("/invoices/{sid}")).await;
    assert!(
        page.contains("Bezahlt")
            && page.contains("SEPA-4711")
            && !page.contains("id=\"payment-form\"")
    );
    let (status, tab) = b.text(&format!("/customers/{c}/payments")).await;
    assert_eq!(status, 200);
    assert!(
        tab.contains("SEPA-4711") && tab.contains("514,68 EUR"),
        "{tab}"
    );
}

async fn issue_dates_stay_in_a_sane_window_and_in_order(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Datum GmbH"})).await;
    let draft = |date: &'static str| {
        let api = &api;
        async move {
            let mut body = two_lines(c);
            body["date"] = json!(date);
            body["due_date"] = json!(null);
            let r: Value = api.post("/invoices", body).await.json().await.unwrap();
            r["id"].as_i64().expect("a draft")
        }
    };
    for date in ["0000-01-01", "9999-12-31", "2024-11-01"] {
        let id = draft(date).await;
        let r = api.post(&format!("/invoices/{id}/issue"), json!({})).await;
        assert_eq!(r.status(), 422, "{date}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(
            e["error"]["fields"]["date"],
            "The date must be within a year before or after today; a number is given only once.",
            "{date}"
        );
        assert_eq!(
            api.json(&format!("/invoices/{id}")).await["status"],
            "draft"
        );
    }
    let january = draft("2027-01-05").await;
    assert_eq!(
        api.issue("invoices", january).await["number"],
        "RE-2027-00001"
    );
    let late = draft("2026-11-20").await;
    let r = api
        .post(&format!("/invoices/{late}/issue"), json!({}))
        .await;
    assert_eq!(r.status(), 422, "no second RE-2026-00001 after 2027 began");
    let e: Value = r.json().await.unwrap();
    assert!(
        e["error"]["fields"]["date"]
            .as_str()
            .unwrap()
            .starts_with("This number series has already given numbers for a later year"),
        "{e}"
    );
    assert_eq!(
        api.json(&format!("/invoices/{late}")).await["status"],
        "draft"
    );
    let next = draft("2027-01-06").await;
    assert_eq!(
        api.issue("invoices", next).await["number"],
        "RE-2027-00002",
        "no gap"
    );
}

async fn invoice_and_payment_lists_page_across_customers(app: TestApp) {
    let api = app.admin_api().await;
    let a = api.customer(json!({"company": "Erste AG"})).await;
    let b = api.customer(json!({"company": "Zweite AG"})).await;
    let mut ids = Vec::new();
    for customer in [a, a, a, b, b] {
        let draft: Value = api
            .post("/invoices", two_lines(customer))
            .await
            .json()
            .await
            .unwrap();
        api.issue("invoices", &draft["id"]).await;
        let r = api
            .post(
                "/payments",
                json!({"invoice_id": draft["id"], "amount": "10"}),
            )
            .await;
        assert_eq!(r.status(), 201);
        ids.push(draft["id"].as_i64().unwrap());
    }
    let all = api.json("/invoices").await;
    assert_eq!(all["total"], 5, "no customer_id: every customer");
    let page = api.json("/invoices?per_page=2&page=3").await;
    assert_eq!(
        (page["page"].as_u64(), page["per_page"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(page["total"], 5);
    assert_eq!(page["data"].as_array().unwrap().len(), 1, "the last page");
    // A full first page is counted by the database, one that is not full
    // by itself: both say the same.
    for per_page in [2, 5, 6] {
        let first = api.json(&format!("/invoices?per_page={per_page}")).await;
        assert_eq!(first["total"], 5, "per_page={per_page}");
    }
    assert_eq!(
        api.json(&format!("/invoices?customer_id={b}")).await["total"],
        2
    );
    let payments = api.json("/payments?per_page=2").await;
    assert_eq!(payments["total"], 5);
    assert_eq!(payments["data"].as_array().unwrap().len(), 2);
    assert_eq!(
        api.json(&format!("/payments?customer_id={a}")).await["total"],
        3
    );
    let far = api.get("/invoices?page=4611686018427387904").await;
    assert_eq!(far.status(), 200, "a far page is empty, not a crash");
    assert_eq!(far.json::<Value>().await.unwrap()["data"], json!([]));

    // "View own" staff list only the customers they administer.
    let (staff, email) = app
        .staff_with(
            &api,
            "eigen",
            json!({"customers": ["view_own"], "invoices": ["view"]}),
        )
        .await;
    let r = api
        .patch(&format!("/customers/{b}"), json!({"admin_ids": [staff]}))
        .await;
    assert_eq!(r.status(), 200);
    let own = app.api_as(&email).await;
    let listed = own.json("/invoices").await;
    assert_eq!(listed["total"], 2);
    assert!(
        listed["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| ids[3..].contains(&i["id"].as_i64().unwrap()))
    );
    assert_eq!(own.json("/payments").await["total"], 2);
    assert_eq!(
        own.get(&format!("/invoices?customer_id={a}"))
            .await
            .status(),
        404
    );
}
