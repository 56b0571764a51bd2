//! The permission matrix of every billing route, in the browser and the
//! API: staff without the billing permissions, staff who may only view,
//! staff who see only their own documents, a contact of another customer
//! in the portal, and no one signed in. Whatever is refused changes
//! nothing.

use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(
    every_billing_route_refuses_who_may_not,
    a_customer_outside_the_scope_is_always_not_found,
    activity_shows_only_what_the_viewer_may_open
);

/// The ids the routes are called with: customer A's issued invoice (with a
/// payment), its draft invoice, the payment, an issued credit note.
struct Ids {
    customer: i64,
    invoice: i64,
    draft: i64,
    payment: i64,
    note: i64,
}

impl Ids {
    fn fill(&self, path: &str) -> String {
        path.replace("{c}", &self.customer.to_string())
            .replace("{i}", &self.invoice.to_string())
            .replace("{d}", &self.draft.to_string())
            .replace("{p}", &self.payment.to_string())
            .replace("{n}", &self.note.to_string())
    }
}

/// Pages and files of the staff web app.
const HTML_READS: [&str; 17] = [
    "/customers/{c}/invoices",
    "/customers/{c}/invoices/new",
    "/customers/{c}/invoices/zip",
    "/invoices/{i}",
    "/invoices/{i}/pdf",
    "/invoices/{d}/edit",
    "/customers/{c}/payments",
    "/customers/{c}/payments/zip",
    "/payments/{p}/pdf",
    "/payments/{p}/edit",
    "/customers/{c}/credit-notes",
    "/credit-notes/{n}",
    "/credit-notes/{n}/pdf",
    "/customers/{c}/credit-notes/zip",
    "/customers/{c}/statement",
    "/customers/{c}/statement/pdf",
    "/customers/{c}/statement/print",
];

/// Forms of the staff web app that change something.
const HTML_WRITES: [(&str, &[(&str, &str)]); 22] = [
    (
        "/customers/{c}/invoices",
        &[
            ("date", "2026-11-28"),
            ("description", "x"),
            ("quantity", "1"),
            ("rate", "1"),
        ],
    ),
    (
        "/invoices/{d}",
        &[
            ("date", "2026-11-28"),
            ("description", "x"),
            ("quantity", "1"),
            ("rate", "1"),
        ],
    ),
    ("/invoices/{d}/issue", &[]),
    ("/invoices/{d}/delete", &[]),
    (
        "/invoices/{i}/send",
        &[("cc", "x@example.com"), ("subject", "s"), ("body", "b")],
    ),
    ("/invoices/{i}/mark-sent", &[]),
    ("/invoices/{i}/copy", &[]),
    ("/invoices/{i}/cancel", &[]),
    (
        "/invoices/{i}/payments",
        &[("amount", "1"), ("date", "2026-11-28")],
    ),
    ("/payments/{p}", &[("amount", "2"), ("date", "2026-11-28")]),
    ("/payments/{p}/delete", &[]),
    ("/payments/{p}/send", &[]),
    (
        "/customers/{c}/credit-notes",
        &[
            ("date", "2026-11-28"),
            ("description", "x"),
            ("quantity", "1"),
            ("rate", "1"),
        ],
    ),
    ("/credit-notes/{n}/void", &[]),
    (
        "/credit-notes/{n}/apply",
        &[("invoice_id", "{i}"), ("amount", "1")],
    ),
    ("/credit-notes/{n}/refund", &[("amount", "1")]),
    (
        "/credit-notes/{n}/send",
        &[("cc", "x@example.com"), ("subject", "s"), ("body", "b")],
    ),
    (
        "/customers/{c}/statement/send?period=all",
        &[("cc", "x@example.com"), ("subject", "s"), ("body", "b")],
    ),
    ("/settings/billing/company", &[("name", "Übernommen GmbH")]),
    (
        "/settings/billing/tax-rates",
        &[("tax_name", "X"), ("tax_rate", "5")],
    ),
    (
        "/settings/billing/series/invoice",
        &[("invoice_format", "X-{N}")],
    ),
    ("/settings/billing/logo/delete", &[]),
];

/// API reads.
const API_READS: [&str; 9] = [
    "/invoices?customer_id={c}",
    "/invoices/{i}",
    "/invoices/{i}/pdf",
    "/payments?customer_id={c}",
    "/payments/{p}",
    "/payments/{p}/pdf",
    "/credit-notes?customer_id={c}",
    "/credit-notes/{n}",
    "/customers/{c}/statement?period=all",
];

/// API calls that change something (method, path, body).
fn api_writes(ids: &Ids) -> Vec<(&'static str, String, Value)> {
    let line = json!([{"description": "x", "quantity": "1", "rate": "1", "taxes": ["19"]}]);
    vec![
        (
            "POST",
            "/invoices".into(),
            json!({"customer_id": ids.customer, "items": line}),
        ),
        ("PATCH", "/invoices/{d}".into(), json!({"items": line})),
        ("DELETE", "/invoices/{d}".into(), json!(null)),
        ("POST", "/invoices/{d}/issue".into(), json!({})),
        (
            "POST",
            "/invoices/{i}/send".into(),
            json!({"cc": "x@example.com"}),
        ),
        ("POST", "/invoices/{i}/mark-sent".into(), json!({})),
        ("POST", "/invoices/{i}/copy".into(), json!({})),
        ("POST", "/invoices/{i}/cancel".into(), json!({})),
        ("POST", "/invoices/{i}/stop-recurring".into(), json!({})),
        (
            "POST",
            "/payments".into(),
            json!({"invoice_id": ids.invoice, "amount": "1"}),
        ),
        ("PATCH", "/payments/{p}".into(), json!({"amount": "2"})),
        ("DELETE", "/payments/{p}".into(), json!(null)),
        (
            "POST",
            "/credit-notes".into(),
            json!({"customer_id": ids.customer, "items": line}),
        ),
        (
            "POST",
            "/credit-notes/{n}/apply".into(),
            json!({"invoice_id": ids.invoice, "amount": "1"}),
        ),
        (
            "POST",
            "/credit-notes/{n}/refund".into(),
            json!({"amount": "1"}),
        ),
        ("POST", "/credit-notes/{n}/void".into(), json!({})),
        (
            "POST",
            "/credit-notes/{n}/send".into(),
            json!({"cc": "x@example.com"}),
        ),
    ]
}

async fn call(api: &Api, method: &str, path: &str, body: Value) -> u16 {
    let r = match method {
        "POST" => api.post(path, body).await,
        "PATCH" => api.patch(path, body).await,
        "DELETE" => api.delete(path).await,
        _ => api.get(path).await,
    };
    r.status().as_u16()
}

/// What refusing `path` answers: a record the actor may not see is 404 (no
/// hint that it exists); a page of a customer the actor sees, in an area
/// the role does not allow, is 403. A new payment names its invoice, a
/// record too.
fn refusal(path: &str) -> u16 {
    let record = ["/invoices/", "/payments/", "/credit-notes/"]
        .iter()
        .any(|p| path.starts_with(p))
        || path == "/payments";
    if record { 404 } else { 403 }
}

/// What the admin sees of customer A's billing; equal before and after
/// the refused calls.
async fn snapshot(admin: &Api, ids: &Ids) -> Vec<Value> {
    let mut all = Vec::new();
    for path in [
        "/invoices?customer_id={c}",
        "/invoices/{i}",
        "/invoices/{d}",
        "/payments?customer_id={c}",
        "/credit-notes?customer_id={c}",
        "/credit-notes/{n}",
    ] {
        let mut v = admin.json(&ids.fill(path)).await;
        if let Some(o) = v.as_object_mut() {
            o.remove("updated_at");
        }
        all.push(v);
    }
    all
}

async fn staff_api(app: &TestApp, admin: &Api, name: &str, permissions: Value) -> (Api, Browser) {
    let (_, email) = app.staff_with(admin, name, permissions).await;
    let api = app.api_as(&email).await;
    let browser = app.browser();
    browser.login(&email, "staff-password-1").await;
    (api, browser)
}

async fn every_billing_route_refuses_who_may_not(app: TestApp) {
    let admin = app.admin_api().await;
    let customer = admin
        .customer(json!({"company": "Rechte KG", "language": "de"}))
        .await;
    let other = admin.customer(json!({"company": "Nachbar AG"})).await;
    let line =
        json!([{"description": "Leistung", "quantity": "1", "rate": "100", "taxes": ["19"]}]);
    let new_invoice = |body: Value| {
        let admin = &admin;
        async move {
            admin
                .post("/invoices", body)
                .await
                .json::<Value>()
                .await
                .expect("json")["id"]
                .as_i64()
                .expect("id")
        }
    };
    let invoice = new_invoice(json!({"customer_id": customer, "items": line})).await;
    admin.issue("invoices", invoice).await;
    let draft = new_invoice(json!({"customer_id": customer, "items": line})).await;
    let payment: Value = admin
        .post(
            "/payments",
            json!({"invoice_id": invoice, "amount": "10", "date": "2026-11-28"}),
        )
        .await
        .json()
        .await
        .expect("json");
    let note: Value = admin
        .post(
            "/credit-notes",
            json!({"customer_id": customer, "items": line}),
        )
        .await
        .json()
        .await
        .expect("json");
    let note = note["id"].as_i64().expect("id");
    admin.issue("credit-notes", note).await;
    admin
        .post(
            "/contacts",
            json!({"customer_id": customer, "first_name": "Eva", "last_name": "Rechte",
            "email": "eva@rechte.example", "permissions": ["invoices"]}),
        )
        .await;
    let ids = Ids {
        customer,
        invoice,
        draft,
        payment: payment["id"].as_i64().expect("id"),
        note,
    };
    let before = snapshot(&admin, &ids).await;

    let (nobody_api, nobody) =
        staff_api(&app, &admin, "nobody", json!({"customers": ["view"]})).await;
    let (viewer_api, viewer) = staff_api(
        &app,
        &admin,
        "viewer",
        json!({"customers": ["view"], "invoices": ["view"], "credit_notes": ["view"]}),
    )
    .await;
    let (own_api, own) = staff_api(
        &app,
        &admin,
        "own",
        json!({"customers": ["view"], "invoices": ["view_own", "create", "edit", "delete"],
            "credit_notes": ["view_own", "create", "edit", "delete"]}),
    )
    .await;

    for path in HTML_READS {
        let path = ids.fill(path);
        let status = nobody.get(&path).await.status().as_u16();
        assert_eq!(status, refusal(&path), "no billing permission: GET {path}");
        let status = viewer.get(&path).await.status().as_u16();
        let expected = if path.ends_with("/new") || path.ends_with("/edit") {
            403
        } else {
            200
        };
        assert!(
            status == expected || (expected == 403 && status == 303),
            "viewer: GET {path} gave {status}"
        );
        let status = own.get(&path).await.status().as_u16();
        let listing = path.ends_with("/invoices")
            || path.ends_with("/payments")
            || path.ends_with("/credit-notes")
            || path.ends_with("/zip")
            || path.ends_with("/new");
        if !listing {
            assert_eq!(status, refusal(&path), "view own: GET {path}");
        }
    }
    let (_, list) = own.text(&ids.fill("/customers/{c}/invoices")).await;
    assert!(
        !list.contains(&format!("/invoices/{}\"", ids.invoice)),
        "view own lists none of the others' invoices"
    );
    let (_, list) = own.text(&ids.fill("/customers/{c}/credit-notes")).await;
    assert!(!list.contains(&format!("/credit-notes/{}\"", ids.note)));

    for (path, fields) in HTML_WRITES {
        let path = ids.fill(path);
        let filled: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), ids.fill(v)))
            .collect();
        let fields: Vec<(&str, &str)> = filled
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let status = nobody.post(&path, &fields).await.status().as_u16();
        assert_eq!(status, refusal(&path), "no billing permission: POST {path}");
        let status = viewer.post(&path, &fields).await.status().as_u16();
        assert_eq!(
            status, 403,
            "viewer sees it but may not change it: POST {path}"
        );
        // View-own staff may create their own documents; everything of
        // someone else's stays out of reach.
        if !path.ends_with("/invoices")
            && !path.ends_with("/credit-notes")
            && !path.contains("/settings/")
        {
            let status = own.post(&path, &fields).await.status().as_u16();
            assert_eq!(status, refusal(&path), "view own: POST {path}");
        }
    }

    for path in API_READS {
        let path = ids.fill(path);
        let status = call(&nobody_api, "GET", &path, json!(null)).await;
        assert_eq!(
            status,
            refusal(&path),
            "API, no billing permission: GET {path}"
        );
        let status = call(&viewer_api, "GET", &path, json!(null)).await;
        assert_eq!(status, 200, "API viewer: GET {path}");
        if !path.contains('?') {
            let status = call(&own_api, "GET", &path, json!(null)).await;
            assert_eq!(status, refusal(&path), "API view own: GET {path}");
        }
        let status = app.api("no-such-token").get(&path).await.status().as_u16();
        assert_eq!(status, 401, "API without a token: GET {path}");
    }
    for (method, path, body) in api_writes(&ids) {
        let path = ids.fill(&path);
        let status = call(&nobody_api, method, &path, body.clone()).await;
        assert_eq!(
            status,
            refusal(&path),
            "API, no billing permission: {method} {path}"
        );
        let status = call(&viewer_api, method, &path, body.clone()).await;
        assert_eq!(status, 403, "API viewer: {method} {path}");
        if path != "/invoices" && path != "/credit-notes" {
            let status = call(&own_api, method, &path, body.clone()).await;
            assert_eq!(status, refusal(&path), "API view own: {method} {path}");
        }
    }

    // A contact of another customer, even with the invoices permission.
    admin
        .post("/contacts", json!({"customer_id": other, "first_name": "Nils", "last_name": "Nachbar",
            "email": "nils@nachbar.example", "permissions": ["invoices"], "password": "nils-password-1"}))
        .await;
    let portal = app.browser();
    let r = portal
        .post(
            "/portal/login",
            &[
                ("email", "nils@nachbar.example"),
                ("password", "nils-password-1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    for path in [
        "/portal/invoices/{i}",
        "/portal/invoices/{i}/pdf",
        "/portal/invoices/{i}/girocode.svg",
        "/portal/credit-notes/{n}/pdf",
    ] {
        let path = ids.fill(path);
        assert_eq!(portal.get(&path).await.status(), 404, "portal: GET {path}");
    }
    let (_, list) = portal.text("/portal/invoices").await;
    assert!(
        !list.contains("Rechte KG")
            && !list.contains(&format!("/portal/invoices/{}\"", ids.invoice))
    );
    let (_, home) = portal.text("/portal").await;
    assert!(
        home.contains("id=\"portal-nothing-open\"")
            && !home.contains(&format!("/portal/invoices/{}\"", ids.invoice)),
        "the balance is the contact's own customer's: {home}"
    );
    for path in HTML_READS {
        let path = ids.fill(path);
        let r = portal.get(&path).await;
        assert_eq!(
            r.status(),
            303,
            "a portal session is no staff session: GET {path}"
        );
    }
    let anonymous = app.browser();
    for path in HTML_READS {
        let path = ids.fill(path);
        let r = anonymous.get(&path).await;
        assert_eq!(r.status(), 303, "signed out: GET {path}");
        assert!(
            r.headers()["location"]
                .to_str()
                .unwrap_or_default()
                .starts_with("/login"),
            "signed out: GET {path} leads to the login"
        );
    }

    assert_eq!(snapshot(&admin, &ids).await, before, "nothing changed");
    assert_eq!(app.run_pending_jobs().await, 0, "no mail queued");
    let admin_browser = app.admin().await;
    let (_, settings) = admin_browser.text("/settings/billing").await;
    assert!(!settings.contains("Übernommen GmbH"));
    let r = admin_browser
        .post(&ids.fill("/invoices/{i}/mark-sent"), &[])
        .await;
    assert_eq!(r.status(), 303, "the same form works for who may");
}

async fn a_customer_outside_the_scope_is_always_not_found(app: TestApp) {
    let admin = app.admin_api().await;
    let theirs = admin.customer(json!({"company": "Fremd GmbH"})).await;
    let (_, email) = app
        .staff_with(&admin, "scoped", json!({"customers": ["view_own"]}))
        .await;
    let b = app.browser();
    b.login(&email, "staff-password-1").await;
    for tab in ["payments", "invoices", "credit-notes", "statement", ""] {
        let path = format!("/customers/{theirs}/{tab}");
        let statuses: Vec<u16> = futures::future::join_all((0..20).map(|_| b.get(&path)))
            .await
            .iter()
            .map(|r| r.status().as_u16())
            .collect();
        assert!(
            statuses.iter().all(|s| *s == 404),
            "GET {path}: {statuses:?}"
        );
    }
}

async fn activity_shows_only_what_the_viewer_may_open(app: TestApp) {
    let admin = app.admin_api().await;
    let c = admin.customer(json!({"company": "Protokoll GmbH"})).await;
    let (invoice, number) = admin.issued_invoice(c, "Leistung", "100").await;
    let r = admin
        .post(
            "/payments",
            json!({"invoice_id": invoice, "amount": "47.11"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let r = admin
        .post("/vault", json!({"customer_id": c, "server": "geheim-server.example", "password": "pw", "visibility": "me"}))
        .await;
    assert_eq!(r.status(), 201);
    let r = admin
        .patch(&format!("/customers/{c}"), json!({"phone": "+49 30 1234"}))
        .await;
    assert_eq!(r.status(), 200);

    let everything = admin
        .json(&format!("/customers/{c}/activity"))
        .await
        .to_string();
    assert!(everything.contains(&number) && everything.contains("geheim-server.example"));

    let (_, email) = app
        .staff_with(&admin, "kunde", json!({"customers": ["view"]}))
        .await;
    let clerk = app.api_as(&email).await;
    let trail = clerk
        .json(&format!("/customers/{c}/activity"))
        .await
        .to_string();
    assert!(
        !trail.contains(&number),
        "no invoice number without invoice rights"
    );
    assert!(
        !trail.contains("47,11") && !trail.contains("47.11"),
        "no payment amount"
    );
    assert!(
        !trail.contains("geheim-server.example"),
        "no server of an only-me entry"
    );
    assert!(
        trail.contains("+49 30 1234"),
        "the customer's own changes stay"
    );
    let b = app.browser();
    b.login(&email, "staff-password-1").await;
    let (status, page) = b.text(&format!("/customers/{c}/activity")).await;
    assert_eq!(status, 200);
    assert!(!page.contains(&number) && !page.contains("geheim-server.example"));
    assert!(page.contains("+49 30 1234"));
}
