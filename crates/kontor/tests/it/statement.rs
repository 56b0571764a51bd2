//! The statement: beginning balance, movements with the running balance,
//! the summary; through the API, the tab, print view, PDF, email and the
//! portal (with the contact's invoices and payment instructions).

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::{documents::pdf_text, helpers::*, on_both};

on_both!(the_statement_adds_up_and_reaches_the_portal);

async fn issued_invoice(api: &Api, customer: i64, date: &str, rate: &str) -> i64 {
    let draft: Value = api
        .post(
            "/invoices",
            json!({"customer_id": customer, "date": date, "due_date": date,
                "items": [{"description": "Leistung", "quantity": "1", "rate": rate, "taxes": ["19"]}]}),
        )
        .await
        .json()
        .await
        .expect("json");
    let id = draft["id"].as_i64().expect("id");
    assert_eq!(
        api.post(&format!("/invoices/{id}/issue"), json!({}))
            .await
            .status(),
        200
    );
    id
}

async fn issued_credit_note(api: &Api, customer: i64, date: &str, rate: &str) -> i64 {
    let draft: Value = api
        .post(
            "/credit-notes",
            json!({"customer_id": customer, "date": date,
                "items": [{"description": "Gutschrift", "quantity": "1", "rate": rate, "taxes": ["19"]}]}),
        )
        .await
        .json()
        .await
        .expect("json");
    let id = draft["id"].as_i64().expect("id");
    assert_eq!(
        api.post(&format!("/credit-notes/{id}/issue"), json!({}))
            .await
            .status(),
        200
    );
    id
}

async fn the_statement_adds_up_and_reaches_the_portal(app: TestApp) {
    let admin = app.admin().await;
    let r = admin
        .post(
            "/settings/billing/company",
            &[
                ("name", "Auszug GmbH"),
                ("street", "Auszugweg 2"),
                ("zip", "10115"),
                ("city", "Berlin"),
                ("tax_number", "27/123/45678"),
                ("iban", "DE89 3704 0044 0532 0130 00"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let api = app.admin_api().await;
    let c = api
        .customer(json!({"company": "Saldo KG", "language": "de"}))
        .await;
    let a = issued_invoice(&api, c, "2026-10-05", "100").await;
    let r = api
        .post(
            "/payments",
            json!({"invoice_id": a, "amount": "50", "date": "2026-10-20"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let b = issued_invoice(&api, c, "2026-11-03", "200").await;
    let first = issued_credit_note(&api, c, "2026-11-10", "20").await;
    let r = api
        .post(
            &format!("/credit-notes/{first}/apply"),
            json!({"invoice_id": b, "amount": "23.80", "date": "2026-11-12"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let second = issued_credit_note(&api, c, "2026-11-15", "10").await;
    let r = api
        .post(
            &format!("/credit-notes/{second}/refund"),
            json!({"amount": "11.90", "date": "2026-11-16"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let draft: Value = api
        .post("/invoices", json!({"customer_id": c, "date": "2026-11-20",
            "items": [{"description": "Entwurf", "quantity": "1", "rate": "999", "taxes": ["19"]}]}))
        .await
        .json()
        .await
        .expect("json");

    let s = api
        .json(&format!(
            "/customers/{c}/statement?from=2026-11-01&to=2026-11-30"
        ))
        .await;
    assert_eq!(s["beginning_balance"], "69.00");
    assert_eq!(s["invoiced"], "238.00");
    assert_eq!(s["paid"], "0.00");
    assert_eq!(s["credited"], "35.70");
    assert_eq!(s["refunded"], "11.90");
    assert_eq!(s["balance_due"], "283.20");
    let kinds: Vec<&str> = s["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter_map(|l| l["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "invoice",
            "credit_note",
            "credit_applied",
            "credit_note",
            "refund"
        ],
        "drafts never appear"
    );
    let balances: Vec<&str> = s["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter_map(|l| l["balance"].as_str())
        .collect();
    assert_eq!(balances, ["307.00", "283.20", "283.20", "271.30", "283.20"]);

    let all = api
        .json(&format!("/customers/{c}/statement?period=all"))
        .await;
    assert_eq!(all["beginning_balance"], "0.00");
    assert_eq!(all["balance_due"], "283.20");
    let due_a = api.json(&format!("/invoices/{a}")).await["amount_due"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let due_b = api.json(&format!("/invoices/{b}")).await["amount_due"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        (due_a.as_str(), due_b.as_str()),
        ("69.00", "214.20"),
        "the ending balance is what the invoices still owe"
    );
    assert_eq!(
        api.get(&format!("/customers/{c}/statement?from=gestern"))
            .await
            .status(),
        422
    );
    assert_eq!(
        api.get(&format!(
            "/customers/{c}/statement?period=custom&from=2026-11-30&to=2026-11-01"
        ))
        .await
        .status(),
        422
    );

    let (status, tab) = admin
        .text(&format!(
            "/customers/{c}/statement?period=custom&from=2026-11-01&to=2026-11-30"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(tab.contains("Anfangssaldo") && tab.contains("id=\"statement-beginning\">69,00 EUR"));
    assert!(tab.contains("id=\"statement-balance-due\">283,20 EUR") && !tab.contains("Entwurf"));
    let (status, print) = admin
        .text(&format!("/customers/{c}/statement/print?period=all"))
        .await;
    assert_eq!(status, 200);
    assert!(
        print.contains("data-print") && print.contains("283,20 EUR") && !print.contains("navbar")
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let r = admin
        .get(&format!("/customers/{c}/statement/pdf?period=all"))
        .await;
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let text = pdf_text(dir.path(), &r.bytes().await.expect("pdf"));
    // Titled as the tab is named.
    for expected in [
        "Abrechnung",
        "Saldo KG",
        "RE-2026-00001",
        "RE-2026-00002",
        "GS-2026-00001",
        "Offener Saldo",
        "283,20 EUR",
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }

    let contact: Value = api
        .post("/contacts", json!({"customer_id": c, "first_name": "Petra", "last_name": "Portal",
            "email": "petra@saldo.example", "permissions": ["invoices"], "password": "petra-password-1"}))
        .await
        .json()
        .await
        .expect("json");
    let petra = contact["id"].as_i64().expect("id").to_string();
    let r = admin
        .post(
            &format!("/customers/{c}/statement/send?period=all"),
            &[
                ("contact_ids", petra.as_str()),
                ("subject", "Ihr Kontoauszug"),
                ("body", "Anbei."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.run_pending_jobs().await, 1);
    let eml = std::fs::read_dir(app.data_dir.path().join("mail"))
        .expect("mail dir")
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect::<String>();
    assert!(eml.contains("To: petra@saldo.example") && eml.contains("application/pdf"));

    let p = app.browser();
    let r = p
        .post(
            "/portal/login",
            &[
                ("email", "petra@saldo.example"),
                ("password", "petra-password-1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (status, list) = p.text("/portal/invoices").await;
    assert_eq!(status, 200);
    assert!(
        list.contains("RE-2026-00001")
            && list.contains("RE-2026-00002")
            && list.contains("GS-2026-00001")
    );
    assert!(
        !list.contains(&format!("/portal/invoices/{}\"", draft["id"])),
        "no drafts in the portal"
    );
    let (_, page) = p.text(&format!("/portal/invoices/{a}")).await;
    assert!(
        page.contains("id=\"payment-instructions\"")
            && page.contains("DE89 3704 0044 0532 0130 00")
            && page.contains("69,00 EUR")
    );
    assert!(page.contains(&format!("/portal/invoices/{a}/girocode.svg")));
    assert!(
        page.contains("id=\"invoice-totals\"")
            && page.contains("19 %")
            && page.contains("19,00 EUR"),
        "the tax lines: {page}"
    );
    assert!(
        page.contains("id=\"invoice-status\">Überfällig<"),
        "past due is shown as overdue"
    );
    let (_, home) = p.text("/portal").await;
    assert!(home.contains("id=\"portal-balance\""), "{home}");
    assert!(home.contains(&format!("href=\"/portal/invoices/{a}\"")));
    assert!(home.contains("69,00 EUR") && home.contains("id=\"portal-overdue-EUR\""));
    let r = p.get(&format!("/portal/invoices/{a}/girocode.svg")).await;
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    let r = p.get(&format!("/portal/invoices/{a}/pdf")).await;
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let archived = api
        .get(&format!("/invoices/{a}/pdf"))
        .await
        .bytes()
        .await
        .expect("pdf");
    assert_eq!(r.bytes().await.expect("pdf"), archived, "the archived PDF");
    assert_eq!(
        p.get(&format!("/portal/credit-notes/{first}/pdf"))
            .await
            .status(),
        200
    );
    let (_, statement) = p.text("/portal/statement?period=all").await;
    assert!(statement.contains("id=\"statement-balance-due\">283,20 EUR"));
    assert_eq!(
        p.get(&format!("/portal/invoices/{}", draft["id"]))
            .await
            .status(),
        404
    );

    let other = api.customer(json!({"company": "Andere GmbH"})).await;
    let foreign = issued_invoice(&api, other, "2026-11-01", "5").await;
    assert_eq!(
        p.get(&format!("/portal/invoices/{foreign}")).await.status(),
        404
    );
    assert_eq!(
        p.get(&format!("/portal/invoices/{foreign}/pdf"))
            .await
            .status(),
        404
    );

    api.post(
        "/contacts",
        json!({"customer_id": c, "first_name": "Otto", "last_name": "Ohne",
        "email": "otto@saldo.example", "permissions": [], "password": "otto-password-1"}),
    )
    .await;
    let o = app.browser();
    o.post(
        "/portal/login",
        &[
            ("email", "otto@saldo.example"),
            ("password", "otto-password-1"),
        ],
    )
    .await;
    assert_eq!(o.get("/portal/invoices").await.status(), 404);
    assert_eq!(o.get("/portal/statement").await.status(), 404);
    let (_, dashboard) = o.text("/portal").await;
    assert!(
        !dashboard.contains("/portal/invoices"),
        "no link without the permission"
    );

    let (_, seller) = app
        .staff_with(
            &api,
            "seller",
            json!({"customers": ["view"], "invoices": ["view_own"]}),
        )
        .await;
    let s = app.browser();
    s.login(&seller, "staff-password-1").await;
    assert_eq!(
        s.get(&format!("/customers/{c}/statement")).await.status(),
        403,
        "a statement sums what view-own hides"
    );
}

on_both!(a_long_statement_pages_with_carried_balances_and_a_complete_pdf);

async fn a_long_statement_pages_with_carried_balances_and_a_complete_pdf(app: TestApp) {
    let api = app.admin_api().await;
    let c = api
        .customer(json!({"company": "Blätter AG", "language": "de"}))
        .await;
    // Seven movements, two of them on one day: pages of three split that day.
    let mut invoices = vec![];
    for (date, rate) in [
        ("2026-09-01", "100"),
        ("2026-09-15", "10"),
        ("2026-10-01", "1"),
        ("2026-10-01", "1000"),
        ("2026-11-02", "5"),
    ] {
        invoices.push(issued_invoice(&api, c, date, rate).await);
    }
    for (invoice, amount, date) in [
        (invoices[0], "19", "2026-09-20"),
        (invoices[3], "190", "2026-10-01"),
    ] {
        let r = api
            .post(
                "/payments",
                json!({"invoice_id": invoice, "amount": amount, "date": date}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    let all = api
        .json(&format!("/customers/{c}/statement?period=all&per_page=500"))
        .await;
    let every: Vec<(String, String)> = all["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["reference"].as_str().unwrap().to_string(),
                l["balance"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!((every.len(), all["total"].as_u64()), (7, Some(7)));

    let mut paged = vec![];
    let mut carried = "0.00".to_string();
    for page in 1..=3 {
        let s = api
            .json(&format!(
                "/customers/{c}/statement?period=all&per_page=3&page={page}"
            ))
            .await;
        assert_eq!(
            (
                s["page"].as_u64(),
                s["per_page"].as_u64(),
                s["total"].as_u64()
            ),
            (Some(page), Some(3), Some(7))
        );
        assert_eq!(
            s["carried_balance"],
            carried.as_str(),
            "page {page} starts where the last ended"
        );
        assert_eq!(
            s["balance_due"], all["balance_due"],
            "the summary covers the whole period"
        );
        assert_eq!(s["invoiced"], all["invoiced"]);
        for l in s["lines"].as_array().unwrap() {
            carried = l["balance"].as_str().unwrap().to_string();
            paged.push((
                l["reference"].as_str().unwrap().to_string(),
                carried.clone(),
            ));
        }
    }
    assert_eq!(paged, every, "the pages together are the whole statement");
    let beyond = api
        .json(&format!(
            "/customers/{c}/statement?period=all&per_page=3&page=99"
        ))
        .await;
    assert_eq!(beyond["page"], 3, "a page past the end shows the last one");

    let b = app.admin().await;
    let (status, tab) = b
        .text(&format!(
            "/customers/{c}/statement?period=all&per_page=3&page=2"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(
        tab.contains("Übertrag"),
        "page 2 starts with the carried balance"
    );
    let carried_cell = format!("id=\"statement-beginning\">{}", german(&every[2].1));
    assert!(tab.contains(&carried_cell), "{carried_cell}");
    assert!(tab.contains("Seite 2 / 3 · 7"), "{tab}");
    let third = "href=\"?period=all&#38;from=&#38;to=&#38;per_page=3&#38;page=3\"";
    assert!(tab.contains(&format!("{third} rel=\"next\" id=\"next-page\"")));
    assert!(
        tab.contains(&format!("{third} aria-label=\"Seite 3\">3</a>")),
        "each page by its number"
    );
    assert!(
        !tab.contains(&every[0].0),
        "the first page's invoice is not on page 2"
    );

    let r = b
        .get(&format!(
            "/customers/{c}/statement/pdf?period=all&per_page=3&page=2"
        ))
        .await;
    assert_eq!(r.status(), 200);
    let dir = tempfile::tempdir().expect("tempdir");
    let text = pdf_text(dir.path(), &r.bytes().await.unwrap());
    for (reference, _) in &every {
        assert!(
            text.contains(reference.as_str()),
            "the PDF holds every movement: {reference}"
        );
    }
}

on_both!(the_kept_sums_follow_every_change_of_a_movement);

/// Rows of (group, count, total) as `sql` selects them (`k`, `n`, `total`).
async fn sum_rows(app: &TestApp, sql: String) -> Vec<(String, i64, i64)> {
    let db = &app.state.db;
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .iter()
        .map(|r| {
            (
                r.try_get::<String>("", "k").unwrap(),
                r.try_get::<i64>("", "n").unwrap(),
                r.try_get::<i64>("", "total").unwrap(),
            )
        })
        .collect()
}

type Sums = Vec<(String, i64, i64)>;

/// The open amounts per due date the database keeps for customer `c`, and
/// the same summed afresh from the invoices.
async fn open_sums(app: &TestApp, c: i64) -> (Sums, Sums) {
    let kept = sum_rows(
        app,
        format!(
            "SELECT due_date AS k, n, total FROM open_invoice_sums WHERE customer_id = {c} ORDER BY due_date"
        ),
    )
    .await;
    let summed = sum_rows(
        app,
        format!(
            "SELECT COALESCE(due_date, '9999-12-31') AS k, CAST(COUNT(*) AS BIGINT) AS n, \
             CAST(SUM(total - amount_paid - amount_credited) AS BIGINT) AS total FROM invoices \
             WHERE customer_id = {c} AND status IN ('unpaid', 'partially_paid') \
             GROUP BY COALESCE(due_date, '9999-12-31') ORDER BY k"
        ),
    )
    .await;
    (kept, summed)
}

/// The per-day sums the database keeps for customer `c`, and the same
/// summed afresh from the five sources, grouped by "date kind".
async fn day_sums(app: &TestApp, c: i64) -> (Sums, Sums) {
    let kept = sum_rows(
        app,
        format!(
            "SELECT date || ' ' || kind AS k, n, total FROM statement_days \
             WHERE customer_id = {c} ORDER BY date, kind"
        ),
    )
    .await;
    let source = |table: &str, kind: &str, amount: &str, filter: &str| {
        format!(
            "SELECT date, '{kind}' AS kind, CAST(COUNT(*) AS BIGINT) AS n, \
             CAST(SUM({amount}) AS BIGINT) AS total FROM {table} \
             WHERE customer_id = {c}{filter} GROUP BY date"
        )
    };
    let summed = sum_rows(
        app,
        format!(
            "SELECT date || ' ' || kind AS k, n, total FROM ({}) s ORDER BY date, kind",
            [
                source("invoices", "invoice", "total", " AND status <> 'draft'"),
                source("payments", "payment", "amount", ""),
                source(
                    "credit_notes",
                    "credit_note",
                    "total",
                    " AND status NOT IN ('draft', 'void')"
                ),
                source("credit_applications", "credit_applied", "amount", ""),
                source("credit_refunds", "refund", "amount", ""),
            ]
            .join(" UNION ALL ")
        ),
    )
    .await;
    (kept, summed)
}

/// Both tables of sums the database keeps: the statement's per day and
/// kind, the open amounts per due date.
async fn the_kept_sums_follow_every_change_of_a_movement(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Summen KG"})).await;
    let other = api.customer(json!({"company": "Andere KG"})).await;
    let check = |step: &'static str| {
        let app = &app;
        async move {
            let (kept, summed) = day_sums(app, c).await;
            assert_eq!(kept, summed, "after {step}");
            assert!(!kept.is_empty(), "after {step}");
            let (kept, summed) = open_sums(app, c).await;
            assert_eq!(kept, summed, "open amounts after {step}");
        }
    };
    let a = issued_invoice(&api, c, "2026-10-01", "100").await;
    let b = issued_invoice(&api, c, "2026-10-01", "50").await;
    let r = api
        .post(
            "/invoices",
            json!({"customer_id": c, "date": "2026-10-01",
                "items": [{"description": "Entwurf", "quantity": "1", "rate": "7"}]}),
        )
        .await;
    assert_eq!(r.status(), 201);
    check("two issued invoices and a draft").await;

    let payment: Value = api
        .post(
            "/payments",
            json!({"invoice_id": a, "amount": "20", "date": "2026-10-05"}),
        )
        .await
        .json()
        .await
        .expect("json");
    let p = payment["id"].as_i64().expect("id");
    let r = api
        .post(
            "/payments",
            json!({"invoice_id": b, "amount": "59.50", "date": "2026-10-05"}),
        )
        .await;
    assert_eq!(r.status(), 201, "pays b in full");
    check("payments, one paying in full").await;
    let r = api
        .patch(
            &format!("/payments/{p}"),
            json!({"amount": "30", "date": "2026-10-06"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    check("a payment moved to another day").await;
    assert_eq!(api.delete(&format!("/payments/{p}")).await.status(), 204);
    check("a payment deleted").await;

    let note = issued_credit_note(&api, c, "2026-10-10", "10").await;
    let r = api
        .post(
            &format!("/credit-notes/{note}/apply"),
            json!({"invoice_id": a, "amount": "5", "date": "2026-10-11"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = api
        .post(
            &format!("/credit-notes/{note}/refund"),
            json!({"amount": "2", "date": "2026-10-12"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let void = issued_credit_note(&api, c, "2026-10-10", "3").await;
    check("credit issued, applied and refunded").await;
    let r = api
        .post(&format!("/credit-notes/{void}/void"), json!({}))
        .await;
    assert_eq!(r.status(), 200);
    check("a credit note voided").await;

    // Any writer is followed, not only the app's own paths.
    let db = &app.state.db;
    db.execute_unprepared(&format!(
        "UPDATE invoices SET date = '2026-09-30' WHERE id = {b}"
    ))
    .await
    .expect("update");
    check("an invoice's day changed in SQL").await;
    db.execute_unprepared(&format!(
        "UPDATE invoices SET due_date = NULL WHERE id = {a}"
    ))
    .await
    .expect("update");
    check("an open invoice's due date removed in SQL").await;
    db.execute_unprepared(&format!(
        "UPDATE invoices SET due_date = '2026-11-30' WHERE id = {b}"
    ))
    .await
    .expect("update");
    check("a paid invoice's due date changed in SQL").await;
    db.execute_unprepared(&format!(
        "UPDATE invoices SET customer_id = {other} WHERE id = {b}"
    ))
    .await
    .expect("update");
    check("an invoice moved to another customer in SQL").await;
    let (theirs, summed) = day_sums(&app, other).await;
    assert_eq!(theirs, summed);
    assert_eq!(theirs.len(), 1, "the other customer has the moved invoice");
    db.execute_unprepared(&format!(
        "UPDATE invoices SET customer_id = {other} WHERE id = {a}"
    ))
    .await
    .expect("update");
    let (theirs, summed) = open_sums(&app, other).await;
    assert_eq!(theirs, summed);
    assert_eq!(
        theirs.len(),
        1,
        "the other customer owes the moved open invoice"
    );
    assert_eq!(open_sums(&app, c).await.0, vec![], "nothing open is left");

    let all = api
        .json(&format!("/customers/{c}/statement?period=all&per_page=500"))
        .await;
    let first = api
        .json(&format!(
            "/customers/{c}/statement?period=all&per_page=2&page=2"
        ))
        .await;
    assert_eq!(first["balance_due"], all["balance_due"]);
    assert_eq!(
        first["carried_balance"], all["lines"][1]["balance"],
        "page 2 starts where the complete statement's second line ends"
    );
}

/// "1234.50" as the German tab shows it: "1.234,50 EUR".
fn german(amount: &str) -> String {
    let (whole, cents) = amount.split_once('.').unwrap();
    let digits: Vec<char> = whole.chars().collect();
    let mut grouped = String::new();
    for (n, d) in digits.iter().enumerate() {
        if n > 0 && (digits.len() - n).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(*d);
    }
    format!("{grouped},{cents} EUR")
}
