use serde_json::json;

use crate::{helpers::*, on_both};

on_both!(
    anonymous_visitor_is_sent_to_login,
    wrong_password_is_refused_in_the_users_language,
    forged_post_without_csrf_token_changes_nothing,
    login_is_rate_limited,
    logout_ends_the_session,
    password_change_requires_the_current_password,
    language_switch_changes_the_whole_page,
    api_requires_a_valid_token,
    totp_second_factor_guards_the_login,
);

async fn anonymous_visitor_is_sent_to_login(app: TestApp) {
    let b = app.browser();
    let r = b.get("/customers/1").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login?next=%2Fcustomers%2F1");
}

async fn wrong_password_is_refused_in_the_users_language(app: TestApp) {
    let b = app.browser();
    let r = b
        .post(
            "/login",
            &[("email", ADMIN_EMAIL), ("password", "wrong-password")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("E-Mail oder Passwort ist falsch."),
        "German by default"
    );
    assert!(body.contains(ADMIN_EMAIL), "typed email is kept");
    let en = app.browser();
    let csrf = en.csrf().await;
    let r = en
        .client
        .post(format!("{}/login", app.base))
        .header("accept-language", "en-US,en;q=0.9")
        .form(&[
            ("_csrf", csrf.as_str()),
            ("email", ADMIN_EMAIL),
            ("password", "nope"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Email or password is wrong.")
    );
}

async fn forged_post_without_csrf_token_changes_nothing(app: TestApp) {
    let b = app.admin().await;
    let forged = b
        .client
        .post(format!("{}/customers", app.base))
        .form(&[("company", "Forged GmbH")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let wrong = b
        .client
        .post(format!("{}/customers", app.base))
        .form(&[
            ("_csrf", "0".repeat(64).as_str()),
            ("company", "Forged GmbH"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    let (_, list) = b.text("/customers").await;
    assert!(!list.contains("Forged GmbH"));
    let ok = b
        .post(
            "/customers",
            &[
                ("company", "Real GmbH"),
                ("currency", "EUR"),
                ("language", "de"),
            ],
        )
        .await;
    assert_eq!(ok.status(), 303);
    assert!(b.text("/customers").await.1.contains("Real GmbH"));
}

async fn login_is_rate_limited(app: TestApp) {
    let b = app.browser();
    for _ in 0..5 {
        let r = b
            .post("/login", &[("email", ADMIN_EMAIL), ("password", "wrong")])
            .await;
        assert_eq!(r.status(), 422);
    }
    let r = b
        .post(
            "/login",
            &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(
        r.status(),
        429,
        "even the right password waits after too many failures"
    );
    assert!(r.text().await.unwrap().contains("Zu viele Versuche"));
}

async fn logout_ends_the_session(app: TestApp) {
    let b = app.admin().await;
    assert_eq!(b.get("/customers").await.status(), 200);
    assert_eq!(b.post("/logout", &[]).await.status(), 303);
    assert_eq!(b.get("/customers").await.status(), 303);
}

async fn password_change_requires_the_current_password(app: TestApp) {
    let b = app.admin().await;
    let r = b
        .post(
            "/account/password",
            &[
                ("current_password", "wrong"),
                ("new_password", "new-password-456"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Das Passwort ist falsch."));
    let r = b
        .post(
            "/account/password",
            &[
                ("current_password", ADMIN_PASSWORD),
                ("new_password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = b
        .post(
            "/account/password",
            &[
                ("current_password", ADMIN_PASSWORD),
                ("new_password", "new-password-456"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    app.browser().login(ADMIN_EMAIL, "new-password-456").await;
}

async fn language_switch_changes_the_whole_page(app: TestApp) {
    let b = app.admin().await;
    let (_, de) = b.text("/customers").await;
    assert!(de.contains("Kunden") && de.contains("Neuer Kunde") && de.contains("lang=\"de\""));
    assert_eq!(
        b.post("/language", &[("locale", "en"), ("back", "/customers")])
            .await
            .status(),
        303
    );
    let (_, en) = b.text("/customers").await;
    assert!(en.contains("New customer") && en.contains("lang=\"en\""));
    for german in ["Neuer Kunde", "Abmelden", "Kundengruppen", "Seite"] {
        assert!(!en.contains(german), "English page still says {german}");
    }
    let me = app.admin_api().await.json("/me").await;
    assert_eq!(
        me["locale"], "en",
        "the choice is stored on the staff member"
    );
}

async fn api_requires_a_valid_token(app: TestApp) {
    let anon = reqwest::get(format!("{}/api/v1/customers", app.base))
        .await
        .unwrap();
    assert_eq!(anon.status(), 401);
    let body: serde_json::Value = anon.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    assert_eq!(app.api("kt_nonsense").get("/customers").await.status(), 401);
    let api = app.admin_api().await;
    let me = api.json("/me").await;
    assert_eq!(me["email"], ADMIN_EMAIL);
    assert!(me.get("password_hash").is_none());
    let _ = json!({});
}

async fn totp_second_factor_guards_the_login(app: TestApp) {
    let b = app.admin().await;
    let r = b.post("/account/totp/begin", &[]).await;
    let page = r.text().await.unwrap();
    let secret = page
        .split("id=\"totp-secret\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("secret shown")
        .to_string();
    let totp = kernel::auth::totp(&secret, ADMIN_EMAIL).unwrap();
    assert_eq!(
        b.post("/account/totp/confirm", &[("code", "000000")])
            .await
            .status(),
        422
    );
    let code = totp.generate_current().unwrap();
    assert_eq!(
        b.post("/account/totp/confirm", &[("code", code.as_str())])
            .await
            .status(),
        303
    );

    let fresh = app.browser();
    let r = fresh
        .post(
            "/login",
            &[
                ("email", ADMIN_EMAIL),
                ("password", ADMIN_PASSWORD),
                ("next", "/customers"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login/totp")
    );
    assert_eq!(
        fresh.get("/customers").await.status(),
        303,
        "no access before the second factor"
    );
    let token = app.admin_api().await;
    assert_eq!(
        token.get("/me").await.status(),
        200,
        "API tokens are not affected"
    );
    let r = fresh
        .post("/login/totp", &[("code", "123456"), ("next", "/customers")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Der Code ist falsch"));
    let code = totp.generate_current().unwrap();
    let r = fresh
        .post(
            "/login/totp",
            &[("code", code.as_str()), ("next", "/customers")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/customers");
    assert_eq!(fresh.get("/customers").await.status(), 200);
    assert_eq!(
        b.post("/account/totp/disable", &[("password", "wrong")])
            .await
            .status(),
        422
    );
    assert_eq!(
        b.post("/account/totp/disable", &[("password", ADMIN_PASSWORD)])
            .await
            .status(),
        303
    );
}
