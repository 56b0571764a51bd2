//! The permission matrix of estimates and proposals, in the browser and
//! the API: staff without their permissions, staff who may only view, staff
//! who see only their own, a contact of another customer in the portal, a
//! guessed link, and no one signed in. Whatever is refused changes
//! nothing and mails no one.

use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(every_estimate_and_proposal_route_refuses_who_may_not);

/// One answered type's documents of customer A: a sent one and a draft.
struct Ids {
    customer: i64,
    sent: i64,
    draft: i64,
}

impl Ids {
    fn fill(&self, path: &str) -> String {
        path.replace("{c}", &self.customer.to_string())
            .replace("{s}", &self.sent.to_string())
            .replace("{d}", &self.draft.to_string())
    }
}

/// Pages of the staff web app under `{t}` (the type's path).
const HTML_READS: [&str; 8] = [
    "/customers/{c}/{t}",
    "/customers/{c}/{t}/new",
    "/customers/{c}/{t}/zip",
    "/{t}/{s}",
    "/{t}/{s}/pdf",
    "/{t}/{s}/signed.pdf",
    "/{t}/{s}/signature.png",
    "/{t}/{d}/edit",
];

/// Forms that change something, the type's own after the shared ones.
fn html_writes(t: &str) -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    let mut writes = vec![
        (
            "/customers/{c}/{t}".to_owned(),
            vec![
                ("subject", "x"),
                ("item_description", "x"),
                ("item_rate", "1"),
            ],
        ),
        (
            "/{t}/{d}".into(),
            vec![
                ("subject", "y"),
                ("item_description", "y"),
                ("item_rate", "2"),
            ],
        ),
        ("/{t}/{d}/delete".into(), vec![]),
        ("/{t}/{d}/mark-sent".into(), vec![]),
        (
            "/{t}/{s}/send".into(),
            vec![("cc", "x@example.com"), ("subject", "s"), ("body", "b")],
        ),
        (
            "/{t}/{s}/accept".into(),
            vec![("name", "X"), ("email", "x@example.com")],
        ),
        ("/{t}/{s}/decline".into(), vec![("reason", "x")]),
        ("/{t}/{s}/undo-answer".into(), vec![]),
    ];
    match t {
        "estimates" => {
            writes.push(("/{t}/{s}/copy".into(), vec![]));
            writes.push(("/{t}/{s}/convert".into(), vec![]));
        }
        _ => {
            writes.push(("/{t}/{s}/revise".into(), vec![]));
            writes.push(("/{t}/{s}/convert".into(), vec![("to", "invoice")]));
            writes.push(("/{t}/{s}/comments".into(), vec![("comment", "x")]));
        }
    }
    writes
        .into_iter()
        .map(|(p, f)| (p.replace("{t}", t), f))
        .collect()
}

/// API calls that change something (method, path, body).
fn api_writes(t: &str, customer: i64) -> Vec<(&'static str, String, Value)> {
    let line = json!([{"description": "x", "quantity": "1", "rate": "1", "taxes": ["19"]}]);
    let new = match t {
        "estimates" => json!({"customer_id": customer, "items": line}),
        _ => json!({"customer_id": customer, "subject": "x", "items": line}),
    };
    let mut writes = vec![
        ("POST", "/{t}".to_owned(), new),
        ("PATCH", "/{t}/{d}".into(), json!({"items": line})),
        ("DELETE", "/{t}/{d}".into(), json!(null)),
        ("POST", "/{t}/{d}/issue".into(), json!({})),
        (
            "POST",
            "/{t}/{s}/send".into(),
            json!({"cc": "x@example.com"}),
        ),
        ("POST", "/{t}/{s}/mark-sent".into(), json!({})),
        (
            "POST",
            "/{t}/{s}/accept".into(),
            json!({"name": "X", "email": "x@example.com"}),
        ),
        ("POST", "/{t}/{s}/decline".into(), json!({"reason": "x"})),
        ("POST", "/{t}/{s}/undo-answer".into(), json!({})),
    ];
    match t {
        "estimates" => writes.push(("POST", "/{t}/{s}/convert".into(), json!({}))),
        _ => {
            writes.push(("POST", "/{t}/{s}/convert".into(), json!({"to": "invoice"})));
            writes.push(("POST", "/{t}/{s}/comments".into(), json!({"body": "x"})));
        }
    }
    writes
        .into_iter()
        .map(|(m, p, b)| (m, p.replace("{t}", t), b))
        .collect()
}

/// A record the actor may not see is 404 (no hint that it exists); a page
/// of a customer the actor sees, in an area the role does not allow, 403.
fn refusal(path: &str) -> u16 {
    if path.starts_with("/customers/") || path == "/estimates" || path == "/proposals" {
        403
    } else {
        404
    }
}

async fn staff(app: &TestApp, admin: &Api, name: &str, permissions: Value) -> (Api, Browser) {
    let (_, email) = app.staff_with(admin, name, permissions).await;
    let api = app.api_as(&email).await;
    let browser = app.browser();
    browser.login(&email, "staff-password-1").await;
    (api, browser)
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

/// What the admin sees of the type's documents; equal before and after.
async fn snapshot(admin: &Api, t: &str, ids: &Ids) -> Vec<Value> {
    let mut all = Vec::new();
    for path in ["/{t}?customer_id={c}", "/{t}/{s}", "/{t}/{d}"] {
        let mut v = admin.json(&ids.fill(&path.replace("{t}", t))).await;
        if let Some(o) = v.as_object_mut() {
            o.remove("updated_at");
        }
        all.push(v);
    }
    if t == "proposals" {
        all.push(admin.json(&ids.fill("/proposals/{s}/comments")).await);
    }
    all
}

async fn every_estimate_and_proposal_route_refuses_who_may_not(app: TestApp) {
    app.set_up_company().await;
    let admin = app.admin_api().await;
    let customer = admin
        .customer(json!({"company": "Rechte Angebot KG", "language": "de"}))
        .await;
    let other = admin
        .customer(json!({"company": "Nachbar Vorschlag AG"}))
        .await;
    admin
        .post(
            "/contacts",
            json!({"customer_id": other, "first_name": "Nils", "last_name": "Nachbar",
                "email": "nils@nachbar-vorschlag.example", "password": "nils-password-1",
                "permissions": ["invoices", "estimates", "proposals"]}),
        )
        .await;
    let (nobody_api, nobody) = staff(&app, &admin, "nobody", json!({"customers": ["view"]})).await;
    let (viewer_api, viewer) = staff(
        &app,
        &admin,
        "viewer",
        json!({"customers": ["view"], "estimates": ["view"], "proposals": ["view"]}),
    )
    .await;
    let (own_api, own) = staff(
        &app,
        &admin,
        "own",
        json!({"customers": ["view"], "estimates": ["view_own", "create", "edit", "delete"],
            "proposals": ["view_own", "create", "edit", "delete"]}),
    )
    .await;
    let portal = app.browser();
    let r = portal
        .post(
            "/portal/login",
            &[
                ("email", "nils@nachbar-vorschlag.example"),
                ("password", "nils-password-1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    for t in ["estimates", "proposals"] {
        let line =
            json!([{"description": "Leistung", "quantity": "1", "rate": "100", "taxes": ["19"]}]);
        let body = match t {
            "estimates" => json!({"customer_id": customer, "items": line}),
            _ => json!({"customer_id": customer, "subject": "Angebot", "items": line}),
        };
        let sent = admin.post(&format!("/{t}"), body.clone()).await;
        let sent = sent.json::<Value>().await.expect("json")["id"]
            .as_i64()
            .expect("id");
        let r = admin
            .post(&format!("/{t}/{sent}/mark-sent"), json!({}))
            .await;
        assert_eq!(r.status(), 200);
        let public = admin.json(&format!("/{t}/{sent}")).await["public_url"]
            .as_str()
            .expect("link")
            .to_owned();
        let draft = admin.post(&format!("/{t}"), body).await;
        let draft = draft.json::<Value>().await.expect("json")["id"]
            .as_i64()
            .expect("id");
        let ids = Ids {
            customer,
            sent,
            draft,
        };
        let before = snapshot(&admin, t, &ids).await;

        for path in HTML_READS {
            let path = ids.fill(&path.replace("{t}", t));
            let status = nobody.get(&path).await.status().as_u16();
            assert_eq!(status, refusal(&path), "no permission: GET {path}");
            let status = own.get(&path).await.status().as_u16();
            if !path.starts_with("/customers/") {
                assert_eq!(status, 404, "view own, another's: GET {path}");
            }
            let status = viewer.get(&path).await.status().as_u16();
            let expected = match () {
                _ if path.ends_with("/new") || path.ends_with("/edit") => 403,
                // Not accepted: there is no signed copy or signature yet.
                _ if path.ends_with("/signed.pdf") || path.ends_with(".png") => 404,
                _ => 200,
            };
            assert!(
                status == expected || (expected == 403 && status == 303),
                "viewer: GET {path} gave {status}"
            );
        }
        let (_, list) = own.text(&ids.fill(&format!("/customers/{{c}}/{t}"))).await;
        assert!(
            !list.contains(&format!("/{t}/{sent}\"")),
            "view own lists none of another's"
        );

        for (path, fields) in html_writes(t) {
            let path = ids.fill(&path);
            let status = nobody.post(&path, &fields).await.status().as_u16();
            assert_eq!(status, refusal(&path), "no permission: POST {path}");
            let status = viewer.post(&path, &fields).await.status().as_u16();
            assert_eq!(status, 403, "viewer may not change it: POST {path}");
            if !path.starts_with("/customers/") {
                let status = own.post(&path, &fields).await.status().as_u16();
                assert_eq!(status, 404, "view own, another's: POST {path}");
            }
        }
        let preview = [("content", "# x")];
        let path = format!("/{t}/preview");
        if t == "proposals" {
            assert_eq!(nobody.post(&path, &preview).await.status(), 403, "preview");
        }

        for path in ["/{t}?customer_id={c}", "/{t}/{s}", "/{t}/{s}/pdf"] {
            let path = ids.fill(&path.replace("{t}", t));
            let status = call(&nobody_api, "GET", &path, json!(null)).await;
            assert!(
                status == 403 || status == 404,
                "API, no permission: GET {path} gave {status}"
            );
            assert_eq!(
                call(&viewer_api, "GET", &path, json!(null)).await,
                200,
                "API viewer: GET {path}"
            );
            if !path.contains('?') {
                assert_eq!(
                    call(&own_api, "GET", &path, json!(null)).await,
                    404,
                    "API view own: GET {path}"
                );
            }
            let status = app.api("no-such-token").get(&path).await.status().as_u16();
            assert_eq!(status, 401, "API without a token: GET {path}");
        }
        for (method, path, body) in api_writes(t, customer) {
            let path = ids.fill(&path);
            let status = call(&nobody_api, method, &path, body.clone()).await;
            assert!(
                status == 403 || status == 404,
                "API, no permission: {method} {path} gave {status}"
            );
            let status = call(&viewer_api, method, &path, body.clone()).await;
            assert_eq!(status, 403, "API viewer: {method} {path}");
            if path != format!("/{t}") {
                let status = call(&own_api, method, &path, body.clone()).await;
                assert_eq!(status, 404, "API view own: {method} {path}");
            }
        }

        // A contact of another customer in the portal, and a guessed link.
        let base = format!("/portal/{t}/{sent}");
        for path in [
            base.clone(),
            format!("{base}/pdf"),
            format!("{base}/signed.pdf"),
        ] {
            assert_eq!(portal.get(&path).await.status(), 404, "portal: GET {path}");
        }
        let (_, list) = portal.text(&format!("/portal/{t}")).await;
        assert!(!list.contains(&format!("/portal/{t}/{sent}\"")));
        let answer = [("reason", "nein")];
        assert_eq!(
            portal
                .post(&format!("{base}/decline"), &answer)
                .await
                .status(),
            404
        );
        let key = &t[..t.len() - 1];
        let guessed = format!("/p/{key}/{}", "A".repeat(43));
        assert_eq!(
            app.browser().get(&guessed).await.status(),
            404,
            "a guessed link"
        );
        let r = app
            .browser()
            .post(&format!("{guessed}/decline"), &answer)
            .await;
        assert_eq!(r.status(), 404);
        let link = format!("/p/{key}/{}", public.rsplit('/').next().unwrap_or_default());
        assert_eq!(
            app.browser().get(&format!("{link}/pdf")).await.status(),
            200,
            "the real link still works"
        );

        let anonymous = app.browser();
        for path in HTML_READS {
            let path = ids.fill(&path.replace("{t}", t));
            let r = anonymous.get(&path).await;
            assert_eq!(r.status(), 303, "signed out: GET {path}");
        }
        assert_eq!(
            snapshot(&admin, t, &ids).await,
            before,
            "{t}: nothing changed"
        );
    }
    assert_eq!(app.run_pending_jobs().await, 0, "no mail queued");
}
