//! The dashboard at `/`: each module's panel with the figures the signed-in
//! staff member may see, from the sums the database keeps.

use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(
    the_owner_sees_open_overdue_and_paid_amounts_and_the_revenue,
    a_restricted_member_sees_only_their_own_invoices,
    the_dashboard_names_what_a_fresh_install_lacks
);

async fn invoice(api: &Api, customer: i64, date: &str, due: &str, rate: &str) -> i64 {
    let r = api
        .post("/invoices", json!({"customer_id": customer, "date": date, "due_date": due,
            "items": [{"description": "Beratung", "quantity": "1", "rate": rate, "taxes": ["19"]}]}))
        .await;
    assert_eq!(r.status(), 201, "{:?}", r.text().await);
    let id = r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    api.issue("invoices", id).await;
    id
}

fn figure<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("{id} not on the page"))
        + id.len()
        + 6;
    let end = page[start..].find('<').expect("closing tag") + start;
    &page[start..end]
}

async fn the_owner_sees_open_overdue_and_paid_amounts_and_the_revenue(app: TestApp) {
    let api = app.admin_api().await;
    let a = api.customer(json!({"company": "Alpha Dash GmbH"})).await;
    let b = api.customer(json!({"company": "Beta Dash AG"})).await;
    // Today is 2026-11-27: one overdue, one due in three days, one paid in part.
    let late = invoice(&api, a, "2026-10-01", "2026-10-15", "100.00").await;
    let soon = invoice(&api, b, "2026-11-20", "2026-11-30", "200.00").await;
    let part = invoice(&api, b, "2026-11-25", "2026-12-25", "50.00").await;
    let r = api
        .post(
            "/payments",
            json!({"invoice_id": part, "amount": "20.00", "date": "2026-11-26"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    // An older payment, from last month: not this month's.
    let r = api
        .post(
            "/payments",
            json!({"invoice_id": soon, "amount": "10.00", "date": "2026-10-30"}),
        )
        .await;
    assert_eq!(r.status(), 201);

    let admin = app.admin().await;
    let (status, page) = admin.text("/").await;
    assert_eq!(status, 200);
    // 119 + 238 + 59.50 - 20 - 10 open; 119 overdue; 228 due within 7 days.
    assert_eq!(figure(&page, "dash-outstanding-EUR"), "386,50 EUR");
    assert_eq!(figure(&page, "dash-overdue-EUR"), "119,00 EUR");
    assert_eq!(figure(&page, "dash-due-week-EUR"), "228,00 EUR");
    assert_eq!(figure(&page, "dash-paid-month-EUR"), "20,00 EUR");
    let due = &page[page.find("id=\"dash-due\"").expect("due list")..];
    assert!(
        due.find("Alpha Dash GmbH") < due.find("Beta Dash AG"),
        "oldest due first"
    );
    // Net invoiced: 100 in October, 250 in November.
    let revenue = &page[page.find("id=\"revenue-EUR\"").expect("chart")..];
    assert!(
        revenue.contains("<td>Okt 26</td><td class=\"revenue-value\">100,00 EUR</td>"),
        "{revenue}"
    );
    assert!(revenue.contains("<td>Nov 26</td><td class=\"revenue-value\">250,00 EUR</td>"));
    assert!(revenue.contains("350,00 EUR"), "the year's total");

    // The lists across customers, with their customers and sums.
    let (status, list) = admin.text("/invoices").await;
    assert_eq!(status, 200);
    assert!(list.contains("Alpha Dash GmbH") && list.contains("Beta Dash AG"));
    assert!(list.contains("id=\"invoices-sum\">416,50 EUR<"), "{list}");
    let (_, open) = admin.text("/invoices?status=partially_paid").await;
    assert!(open.contains("Beta Dash AG") && !open.contains("Alpha Dash GmbH"));
    assert!(open.contains("id=\"invoices-sum\">297,50 EUR<"));
    let (_, paid) = admin.text("/payments").await;
    assert!(paid.contains("id=\"payments-total\">30,00 EUR<") && paid.contains("Beta Dash AG"));
    let (_, nov) = admin.text("/payments?from=2026-11-01").await;
    assert!(nov.contains("id=\"payments-total\">20,00 EUR<"));
    assert!(nov.contains("/payments/export.csv?from=2026-11-01"));
    let csv = admin
        .text("/payments/export.csv?from=2026-11-01&format=excel")
        .await
        .1;
    assert!(
        csv.starts_with("\u{feff}date;customer_id;customer;"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 2, "November's payment only: {csv}");
    assert!(
        csv.contains(";Beta Dash AG;") && csv.contains(";EUR;20,00;"),
        "{csv}"
    );
    assert!(nov.contains("href=\"/payments/zip?from=2026-11-01"));
    let receipts = admin.get("/payments/zip?from=2026-11-01").await;
    assert_eq!(receipts.headers()["content-type"], "application/zip");
    let bytes = receipts.bytes().await.expect("zip").to_vec();
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    assert_eq!(archive.len(), 1, "November's receipt only");
    let name = archive
        .file_names()
        .next()
        .expect("one file")
        .expect("its name")
        .to_string();
    assert!(
        name.starts_with("receipt-") && name.ends_with(".pdf"),
        "{name}"
    );
    assert_eq!(admin.get("/credit-notes").await.status(), 200);

    // Exports of the list as filtered: PDFs in a zip, a spreadsheet.
    assert!(
        open.contains("id=\"export-zip\"") && open.contains("zip?status=partially_paid"),
        "{open}"
    );
    let zip = admin.get("/invoices/zip?status=partially_paid").await;
    assert_eq!(zip.headers()["content-type"], "application/zip");
    let bytes = zip.bytes().await.expect("zip").to_vec();
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    assert_eq!(archive.len(), 2, "the two invoices paid in part");
    let excel = admin
        .get("/invoices/export.csv?status=partially_paid&format=excel")
        .await
        .bytes()
        .await
        .expect("csv");
    let text = String::from_utf8(excel.to_vec()).expect("utf-8");
    assert!(text.starts_with("\u{feff}number;status;date;"), "{text}");
    assert!(
        text.contains(";Beta Dash AG;EUR;238,00;") && text.contains("Teilweise bezahlt"),
        "{text}"
    );
    let plain = admin.text("/invoices/export.csv").await.1;
    assert!(plain.contains(",Alpha Dash GmbH,EUR,119.00,"), "{plain}");
    assert!(page.contains("href=\"/invoices\"") && page.contains("href=\"/payments\""));

    // A cancelled invoice leaves the open sums and the revenue.
    let r = api
        .post(&format!("/invoices/{late}/cancel"), json!({}))
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    let (_, page) = admin.text("/").await;
    assert_eq!(figure(&page, "dash-outstanding-EUR"), "267,50 EUR");
    assert_eq!(figure(&page, "dash-overdue-EUR"), "0,00 EUR");
    assert!(page.contains("<td>Okt 26</td><td class=\"revenue-value\">0,00 EUR</td>"));
    // The list keeps the cancelled invoice but not its amount.
    let (_, list) = admin.text("/invoices").await;
    assert!(list.contains("Alpha Dash GmbH") && list.contains("id=\"invoices-sum\">297,50 EUR<"));
    let (_, cancelled) = admin.text("/invoices?status=cancelled").await;
    assert!(cancelled.contains("Alpha Dash GmbH") && !cancelled.contains("Beta Dash AG"));
    assert!(
        cancelled.contains("id=\"invoices-sum\">0,00 EUR<"),
        "{cancelled}"
    );
    let (_, nov) = admin.text("/invoices?from=2026-11-21&to=2026-11-30").await;
    assert!(nov.contains("id=\"invoices-sum\">59,50 EUR<"), "{nov}");

    // The customers opened last, the latest first.
    admin.text(&format!("/customers/{a}")).await;
    admin.text(&format!("/customers/{b}")).await;
    let (_, page) = admin.text("/").await;
    let recent = &page[page.find("id=\"dash-recent\"").expect("recent")..];
    assert!(recent.find("Beta Dash AG") < recent.find("Alpha Dash GmbH"));
    assert!(page.contains("id=\"dash-reminders\"") && page.contains("id=\"dash-notifications\""));
    assert!(
        !page.contains("id=\"dash-setup\""),
        "the test company is set up"
    );
}

async fn a_restricted_member_sees_only_their_own_invoices(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Gamma Dash KG"})).await;
    invoice(&api, c, "2026-11-01", "2026-11-10", "1000.00").await;
    let (_, email) = app
        .staff_with(
            &api,
            "seller",
            json!({"customers": ["view"], "invoices": ["view_own", "create", "edit"]}),
        )
        .await;
    let mine = app.api_as(&email).await;
    invoice(&mine, c, "2026-11-20", "2026-12-20", "10.00").await;
    let (_, email_none) = app
        .staff_with(&api, "support", json!({"customers": ["view"]}))
        .await;

    let seller = app.browser();
    seller.login(&email, "staff-password-1").await;
    let (_, page) = seller.text("/").await;
    assert_eq!(figure(&page, "dash-outstanding-EUR"), "11,90 EUR");
    assert_eq!(figure(&page, "dash-overdue-EUR"), "0,00 EUR");
    assert!(!page.contains("1.190,00"), "not the owner's invoice");
    assert!(page.contains("<td>Nov 26</td><td class=\"revenue-value\">10,00 EUR</td>"));
    assert!(
        !page.contains("id=\"dash-setup\""),
        "settings are not theirs"
    );
    let (_, list) = seller.text("/invoices").await;
    assert!(list.contains("id=\"invoices-sum\">11,90 EUR<"), "{list}");
    let csv = seller.text("/invoices/export.csv").await.1;
    assert_eq!(csv.lines().count(), 2, "only the own invoice: {csv}");

    let support = app.browser();
    support.login(&email_none, "staff-password-1").await;
    let (status, page) = support.text("/").await;
    assert_eq!(status, 200);
    assert!(!page.contains("id=\"dash-receivables\"") && !page.contains("id=\"dash-payments\""));
    assert!(!page.contains("id=\"dash-revenue\"") && page.contains("id=\"dash-recent-customers\""));
    assert!(
        !page.contains("href=\"/invoices\""),
        "no menu entry without the permission"
    );
    for path in [
        "/invoices",
        "/payments",
        "/credit-notes",
        "/invoices/zip",
        "/payments/zip",
        "/invoices/export.csv",
        "/credit-notes/export.csv",
    ] {
        assert_eq!(support.get(path).await.status(), 403, "{path}");
    }
}

async fn the_dashboard_names_what_a_fresh_install_lacks(app: TestApp) {
    let admin = app.admin().await;
    let (_, page) = admin.text("/").await;
    assert!(!page.contains("id=\"dash-setup\""));
    for (field, _) in COMPANY {
        kernel::settings::set(
            &app.state.db,
            &format!("company.{field}"),
            "",
            app.state.clock.now(),
        )
        .await
        .expect("cleared");
    }
    let r = admin.get("/").await;
    assert_eq!(r.status(), 303, "the setup comes first");
    assert_eq!(r.headers()["location"], "/setup");
    let r = admin.post("/setup/later", &[]).await;
    assert_eq!(r.headers()["location"], "/");
    let (_, page) = admin.text("/").await;
    assert!(
        page.contains("id=\"dash-setup\""),
        "put off, the dashboard reminds"
    );
    assert!(figure(&page, "setup-missing").contains("Steuernummer oder USt-IdNr."));
    assert!(page.contains("href=\"/setup\" id=\"start-setup\""));
}
