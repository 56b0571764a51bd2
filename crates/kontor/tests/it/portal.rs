//! The customer portal and "login as customer".

use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(
    contacts_use_the_portal_and_see_only_their_own_company,
    login_as_customer_is_audited_and_leaves_the_staff_session_intact,
    contacts_guard_their_login_with_totp,
    primary_contact_edits_company_addresses_when_allowed
);

async fn two_customers(api: &Api) -> (i64, i64, i64) {
    let a = api.customer(json!({"company": "Alpha Portal GmbH"})).await;
    let b = api.customer(json!({"company": "Beta Portal AG"})).await;
    let contact: Value = api
        .post("/contacts", json!({"customer_id": a, "first_name": "Paula", "last_name": "Portal", "email": "paula@alpha.example",
            "password": "paula-password-1", "permissions": ["invoices"]}))
        .await
        .json()
        .await
        .unwrap();
    api.post("/contacts", json!({"customer_id": b, "first_name": "Bert", "last_name": "Beta", "email": "bert@beta.example",
        "password": "bert-password-1"}))
        .await;
    (a, b, contact["id"].as_i64().unwrap())
}

async fn contacts_use_the_portal_and_see_only_their_own_company(app: TestApp) {
    let api = app.admin_api().await;
    let (a, _b, paula) = two_customers(&api).await;
    let p = app.browser();
    let r = p.get("/portal").await;
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/portal/login")
    );
    let r = p
        .post(
            "/portal/login",
            &[
                ("email", "paula@alpha.example"),
                ("password", "wrong-password"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("E-Mail oder Passwort ist falsch.")
    );
    assert_eq!(
        p.post(
            "/portal/login",
            &[
                ("email", "PAULA@alpha.example"),
                ("password", "paula-password-1")
            ]
        )
        .await
        .status(),
        303
    );
    let (status, page) = p.text("/portal").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Alpha Portal GmbH")
            && page.contains("Rechnungen")
            && !page.contains("Beta Portal AG")
    );
    assert_eq!(
        p.get("/customers").await.status(),
        303,
        "a portal login is no staff login"
    );
    assert_eq!(p.get(&format!("/customers/{a}")).await.status(), 303);
    assert_eq!(
        app.admin().await.get("/portal").await.status(),
        303,
        "a staff login is no portal login"
    );
    // A contact's session opens no route of the staff API, whatever the id.
    let doc = kontor::api::openapi::value();
    for (path, methods) in doc["paths"].as_object().expect("paths") {
        let url = format!("{}/api/v1{}", p.base, path.replace("{id}", &a.to_string()));
        for method in methods.as_object().expect("methods").keys() {
            let r = p
                .client
                .request(method.to_uppercase().parse().unwrap(), &url)
                .header("x-csrf-token", p.csrf().await)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 401, "{method} {path}");
        }
    }

    let r = p
        .post(
            "/portal/profile",
            &[
                ("first_name", "Paula"),
                ("last_name", "Portal-Neu"),
                ("phone", "+49 30 1"),
                ("position", "CEO"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let contact = api.json(&format!("/contacts/{paula}")).await;
    assert_eq!(contact["last_name"], "Portal-Neu");
    let trail = api.json(&format!("/customers/{a}/activity")).await;
    assert!(
        trail["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "last_name" && c["actor_name"] == "Paula Portal")
    );
    let r = p
        .post("/portal/profile", &[("first_name", ""), ("last_name", "X")])
        .await;
    assert_eq!(r.status(), 422);

    assert_eq!(
        p.post(
            "/portal/account/password",
            &[
                ("current_password", "nope"),
                ("new_password", "paula-password-2")
            ]
        )
        .await
        .status(),
        422
    );
    for weak in ["aaaaaaaaaa", "password123"] {
        let r = p
            .post(
                "/portal/account/password",
                &[
                    ("current_password", "paula-password-1"),
                    ("new_password", weak),
                ],
            )
            .await;
        assert_eq!(r.status(), 422, "{weak}");
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("Dieses Passwort ist zu leicht zu erraten"),
            "{weak}"
        );
    }
    assert_eq!(
        p.post(
            "/portal/account/password",
            &[
                ("current_password", "paula-password-1"),
                ("new_password", "paula-password-2")
            ]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        p.post("/portal/language", &[("locale", "en")])
            .await
            .status(),
        303
    );
    assert!(
        p.text("/portal").await.1.contains("Welcome"),
        "the contact's language is stored"
    );

    let anon = app.browser();
    assert_eq!(
        anon.post(
            "/portal/password/forgot",
            &[("email", "paula@alpha.example")]
        )
        .await
        .status(),
        200
    );
    assert_eq!(app.run_pending_jobs().await, 1);
    let file = std::fs::read_dir(app.data_dir.path().join("mail"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let eml = std::fs::read_to_string(file)
        .unwrap()
        .replace("=\r\n", "")
        .replace("=3D", "=");
    assert!(
        eml.contains("Subject: Reset your customer portal password"),
        "in the contact's language"
    );
    let link = eml
        .split_whitespace()
        .find(|w| w.contains("/portal/password/"))
        .unwrap()
        .trim_end_matches('"')
        .to_string();
    assert_eq!(
        anon.post(
            link.trim_start_matches(&app.base),
            &[("password", "paula-password-3")]
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        anon.post(
            "/portal/login",
            &[
                ("email", "paula@alpha.example"),
                ("password", "paula-password-3")
            ]
        )
        .await
        .status(),
        303
    );

    api.post(&format!("/contacts/{paula}/make-primary"), json!({}))
        .await;
    let second: Value = api
        .post("/contacts", json!({"customer_id": a, "first_name": "Z", "last_name": "Z", "email": "z@alpha.example"}))
        .await
        .json()
        .await
        .unwrap();
    api.post(
        &format!("/contacts/{}/make-primary", second["id"]),
        json!({}),
    )
    .await;
    assert_eq!(
        api.patch(&format!("/contacts/{paula}"), json!({"active": false}))
            .await
            .status(),
        200
    );
    assert_eq!(
        p.get("/portal").await.status(),
        303,
        "a deactivated contact is signed out"
    );
    assert_eq!(p.post("/portal/logout", &[]).await.status(), 303);
}

async fn login_as_customer_is_audited_and_leaves_the_staff_session_intact(app: TestApp) {
    let api = app.admin_api().await;
    let (a, b, paula) = two_customers(&api).await;
    let admin = app.admin().await;
    let r = admin.post(&format!("/customers/{a}/login-as"), &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/portal");
    let (_, page) = admin.text("/portal").await;
    assert!(
        page.contains("id=\"impersonation-banner\"")
            && page.contains("Paula Portal")
            && page.contains("Alpha Portal GmbH")
    );
    assert_eq!(
        admin.get("/customers").await.status(),
        200,
        "the staff session is still there"
    );
    let trail = api.json(&format!("/customers/{a}/activity")).await;
    let entry = trail["activity"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "login-as")
        .expect("audited")
        .clone();
    assert_eq!(entry["actor_name"], "Admin");
    assert_eq!(entry["ip"], "127.0.0.1");
    assert!(
        entry["detail"]
            .as_str()
            .unwrap()
            .contains("paula@alpha.example")
    );
    let r = admin.post("/portal/leave", &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("/customers/{a}"));
    assert_eq!(admin.get("/portal").await.status(), 303);
    assert_eq!(admin.get("/customers").await.status(), 200);

    let bert = api.json(&format!("/contacts?customer_id={b}")).await["data"][0]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        admin
            .post(
                &format!("/customers/{a}/login-as"),
                &[("contact_id", &bert.to_string())]
            )
            .await
            .status(),
        404
    );
    assert_eq!(
        admin
            .post(
                &format!("/customers/{a}/login-as"),
                &[("contact_id", &paula.to_string())]
            )
            .await
            .status(),
        303
    );
    assert_eq!(admin.post("/logout", &[]).await.status(), 303);
    assert_eq!(
        admin.get("/portal").await.status(),
        303,
        "logging out of staff ends the customer view"
    );

    let empty = api.customer(json!({"company": "Ohne Kontakt"})).await;
    let admin = app.admin().await;
    let (_, page) = admin.text(&format!("/customers/{empty}")).await;
    assert!(page.contains("id=\"login-as-unavailable\""));
    let r = admin
        .post(&format!("/customers/{empty}/login-as"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        admin
            .text(&format!("/customers/{empty}"))
            .await
            .1
            .contains("keinen aktiven Kontakt")
    );

    let (_, email) = app
        .staff_with(&api, "viewer", json!({"customers": ["view"]}))
        .await;
    let viewer = app.browser();
    viewer.login(&email, "staff-password-1").await;
    assert_eq!(
        viewer
            .post(&format!("/customers/{a}/login-as"), &[])
            .await
            .status(),
        403
    );
}

async fn contacts_guard_their_login_with_totp(app: TestApp) {
    let api = app.admin_api().await;
    let (a, _, _) = two_customers(&api).await;
    let p = app.browser();
    p.post(
        "/portal/login",
        &[
            ("email", "paula@alpha.example"),
            ("password", "paula-password-1"),
        ],
    )
    .await;
    let r = p.post("/portal/account/totp/begin", &[]).await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let secret = page
        .split("id=\"totp-secret\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("secret shown")
        .to_string();
    let totp = kernel::auth::totp(&secret, "paula@alpha.example").unwrap();
    let code_now = || totp.generate(app.state.clock.now().timestamp() as u64);
    let r = p
        .post("/portal/account/totp/confirm", &[("code", "000000")])
        .await;
    assert_eq!(r.status(), 422);
    let code = code_now();
    let r = p
        .post("/portal/account/totp/confirm", &[("code", code.as_str())])
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        p.text("/portal/profile")
            .await
            .1
            .contains("/portal/account/totp/disable")
    );

    // The next login waits for the code; the half-open session is no login.
    let q = app.browser();
    let r = q
        .post(
            "/portal/login",
            &[
                ("email", "paula@alpha.example"),
                ("password", "paula-password-1"),
            ],
        )
        .await;
    assert_eq!(r.headers()["location"], "/portal/login/totp");
    assert_eq!(q.get("/portal").await.status(), 303);
    assert_eq!(q.get("/portal/files").await.status(), 303);
    let r = q.post("/portal/login/totp", &[("code", "123456")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Code"));
    app.state.clock.advance(chrono::Duration::seconds(30));
    let code = code_now();
    let r = q
        .post("/portal/login/totp", &[("code", code.as_str())])
        .await;
    assert_eq!(r.status(), 303);
    let (status, page) = q.text("/portal").await;
    assert_eq!(status, 200);
    assert!(page.contains("Alpha Portal GmbH"));

    // Turning it off needs the password; then a login is one step again.
    let r = q
        .post("/portal/account/totp/disable", &[("password", "wrong")])
        .await;
    assert_eq!(r.status(), 422);
    let r = q
        .post(
            "/portal/account/totp/disable",
            &[("password", "paula-password-1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .browser()
        .post(
            "/portal/login",
            &[
                ("email", "paula@alpha.example"),
                ("password", "paula-password-1"),
            ],
        )
        .await;
    assert_eq!(r.headers()["location"], "/portal");

    // Login as customer is not held up by the contact's second factor.
    let admin = app.admin().await;
    let r = admin.post(&format!("/customers/{a}/login-as"), &[]).await;
    assert_eq!(r.headers()["location"], "/portal");
}

async fn primary_contact_edits_company_addresses_when_allowed(app: TestApp) {
    let api = app.admin_api().await;
    let (a, _, _) = two_customers(&api).await;
    api.patch(
        &format!("/customers/{a}"),
        json!({"billing_street": "Altweg 1", "billing_city": "Bonn", "vat_id": "DE123456789"}),
    )
    .await;
    let r = api
        .post("/contacts", json!({"customer_id": a, "first_name": "Nina", "last_name": "Neben", "email": "nina@alpha.example",
            "password": "nina-password-1"}))
        .await;
    assert_eq!(r.status(), 201);
    let paula = app.browser();
    paula
        .post(
            "/portal/login",
            &[
                ("email", "paula@alpha.example"),
                ("password", "paula-password-1"),
            ],
        )
        .await;
    // Off by default.
    assert_eq!(paula.get("/portal/company").await.status(), 404);
    assert!(
        !paula
            .text("/portal/profile")
            .await
            .1
            .contains("/portal/company")
    );
    let r = paula
        .post("/portal/company", &[("billing_street", "Neuweg 2")])
        .await;
    assert_eq!(r.status(), 404);

    let admin = app.admin().await;
    let (status, page) = admin.text("/settings/portal").await;
    assert_eq!(status, 200);
    assert!(page.contains("primary_edits_company"));
    let r = admin
        .post("/settings/portal", &[("primary_edits_company", "on")])
        .await;
    assert_eq!(r.status(), 303);
    let (_, viewer) = app
        .staff_with(&api, "viewer", json!({"customers": ["view"]}))
        .await;
    let v = app.browser();
    v.login(&viewer, "staff-password-1").await;
    assert_eq!(v.get("/settings/portal").await.status(), 403);
    assert_eq!(
        v.post("/settings/portal", &[]).await.status(),
        403,
        "nothing changed by someone without the settings permission"
    );

    let (status, page) = paula.text("/portal/company").await;
    assert_eq!(status, 200);
    assert!(page.contains("Altweg 1"));
    let r = paula
        .post(
            "/portal/company",
            &[
                ("billing_street", "Neuweg 2"),
                ("billing_zip", "53111"),
                ("billing_city", "Bonn"),
                ("billing_country", "DE"),
                ("shipping_same_as_billing", "on"),
                ("company", "Hijacked Ltd"),
                ("vat_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let customer = api.json(&format!("/customers/{a}")).await;
    assert_eq!(customer["billing_street"], "Neuweg 2");
    assert_eq!(customer["billing_zip"], "53111");
    assert_eq!(
        customer["company"], "Alpha Portal GmbH",
        "only addresses change"
    );
    assert_eq!(customer["vat_id"], "DE123456789");
    let trail = api.json(&format!("/customers/{a}/activity")).await;
    let change = trail["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "billing_street")
        .expect("recorded")
        .clone();
    assert_eq!(change["new_value"], "Neuweg 2");
    assert!(trail.to_string().contains("Paula Portal"));

    // Only the primary contact.
    let nina = app.browser();
    nina.post(
        "/portal/login",
        &[
            ("email", "nina@alpha.example"),
            ("password", "nina-password-1"),
        ],
    )
    .await;
    assert_eq!(nina.get("/portal/company").await.status(), 404);
}
