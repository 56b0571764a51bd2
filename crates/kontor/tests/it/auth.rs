use serde_json::json;

use crate::{helpers::*, on_both};

on_both!(
    anonymous_visitor_is_sent_to_login,
    wrong_password_is_refused_in_the_users_language,
    forged_post_without_csrf_token_changes_nothing,
    login_is_rate_limited,
    csrf_token_is_bound_to_the_session_and_the_origin,
    password_reset_mails_once_and_voids_older_links,
    expired_sessions_and_old_attempts_are_purged,
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
    let attacker = app.browser_at("203.0.113.66");
    let guess = || attacker.post("/login", &[("email", ADMIN_EMAIL), ("password", "wrong")]);
    for _ in 0..5 {
        assert_eq!(guess().await.status(), 422);
    }
    let r = guess().await;
    assert_eq!(r.status(), 429, "the guesser waits");
    assert!(r.text().await.unwrap().contains("Zu viele Versuche"));

    // The owner, anywhere else, is not locked out by someone else's guesses.
    let owner = app.browser_at("198.51.100.7");
    owner.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(owner.post("/logout", &[]).await.status(), 303);

    // Nor on the guesser's own network, from a browser that signed in before.
    let office = app.browser_at("203.0.113.66");
    assert_eq!(
        office
            .post(
                "/login",
                &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)]
            )
            .await
            .status(),
        429,
        "a new browser on the guessing address waits too"
    );
    let known = app.browser_at("198.51.100.8");
    known.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let known = known.moved_to("203.0.113.66");
    known.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;

    // One address guessing many accounts is stopped too (5 x 5 a minute).
    let sprayer = app.browser_at("203.0.113.99");
    for n in 0..25 {
        let email = format!("user{n}@example.com");
        let r = sprayer
            .post("/login", &[("email", email.as_str()), ("password", "x")])
            .await;
        assert_eq!(r.status(), 422);
    }
    let r = sprayer
        .post(
            "/login",
            &[("email", "other@example.com"), ("password", "x")],
        )
        .await;
    assert_eq!(r.status(), 429);

    // A minute later the guesser may try again.
    app.state.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(guess().await.status(), 422);
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
    // Codes for the app's clock, as the phone beside it would show them.
    let code_now = || totp.generate(app.state.clock.now().timestamp() as u64);
    let code = code_now();
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
    let r = fresh
        .post(
            "/login/totp",
            &[("code", code.as_str()), ("next", "/customers")],
        )
        .await;
    assert_eq!(r.status(), 422, "the code used to confirm works only once");
    app.state.clock.advance(chrono::Duration::seconds(30));
    let code = code_now();
    let r = fresh
        .post(
            "/login/totp",
            &[("code", code.as_str()), ("next", "/customers")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/customers");
    assert_eq!(fresh.get("/customers").await.status(), 200);

    // Someone who saw that code cannot use it in a second session.
    let onlooker = app.browser_at("203.0.113.20");
    let r = onlooker
        .post(
            "/login",
            &[
                ("email", ADMIN_EMAIL),
                ("password", ADMIN_PASSWORD),
                ("next", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = onlooker
        .post(
            "/login/totp",
            &[("code", code.as_str()), ("next", "/customers")],
        )
        .await;
    assert_eq!(r.status(), 422, "a replayed code is refused");
    assert_eq!(onlooker.get("/customers").await.status(), 303);
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

async fn csrf_token_is_bound_to_the_session_and_the_origin(app: TestApp) {
    let b = app.browser();
    let anonymous = b.csrf().await;
    b.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let signed_in = b.csrf().await;
    assert_ne!(anonymous, signed_in, "a new token at login");
    let other = app.admin().await;
    let others = other.csrf().await;
    assert_ne!(others, signed_in, "every session has its own");

    let post = |token: &str, extra: Option<(&'static str, &'static str)>| {
        let mut r = b
            .client
            .post(format!("{}/customers", app.base))
            .form(&[("_csrf", token), ("company", "Forged GmbH")]);
        if let Some((k, v)) = extra {
            r = r.header(k, v);
        }
        r.send()
    };
    assert_eq!(
        post(&anonymous, None).await.unwrap().status(),
        403,
        "the old token is void"
    );
    assert_eq!(
        post(&others, None).await.unwrap().status(),
        403,
        "another session's token"
    );
    let evil = post(&signed_in, Some(("origin", "http://evil.example")))
        .await
        .unwrap();
    assert_eq!(evil.status(), 403, "a valid token from another site");
    let cross = post(&signed_in, Some(("sec-fetch-site", "cross-site")))
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    let api = app.admin_api().await;
    assert_eq!(api.json("/customers?q=Forged").await["total"], 0);

    // An upload with the token only in its URL is refused.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"company\nUrl GmbH\n".to_vec()).file_name("c.csv"),
    );
    let r = b
        .client
        .post(format!("{}/customers/import?_csrf={signed_in}", app.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let origin = app.base.clone();
    let ok = b
        .client
        .post(format!("{}/customers", app.base))
        .header("origin", origin)
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("_csrf", signed_in.as_str()),
            ("company", "Echt GmbH"),
            ("currency", "EUR"),
            ("language", "de"),
        ])
        .send()
        .await
        .unwrap();
    let status = ok.status();
    assert_eq!(
        status,
        303,
        "our own page's form: {}",
        ok.text().await.unwrap()
    );
    assert_eq!(api.json("/customers?q=Url").await["total"], 0);
}

/// The reset links in the mails written so far, oldest first.
fn reset_links(app: &TestApp) -> Vec<String> {
    let mut mails: Vec<_> = std::fs::read_dir(app.data_dir.path().join("mail"))
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    mails.sort();
    mails
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter_map(|raw| {
            let m = mail_parser::MessageParser::default().parse(&raw)?;
            let m = m.body_text(0)?;
            let start = m.find("/password/reset/")?;
            let token: String = m[start + 16..]
                .chars()
                .take_while(|c| c.is_ascii_hexdigit())
                .collect();
            Some(format!("/password/reset/{token}"))
        })
        .collect()
}

async fn password_reset_mails_once_and_voids_older_links(app: TestApp) {
    let b = app.browser();
    let csrf = b.csrf().await;
    let requests = (0..15).map(|_| {
        b.client
            .post(format!("{}/password/forgot", app.base))
            .form(&[("_csrf", csrf.as_str()), ("email", ADMIN_EMAIL)])
            .send()
    });
    for r in futures::future::join_all(requests).await {
        assert_eq!(r.unwrap().status(), 200, "the same answer every time");
    }
    app.run_pending_jobs().await;
    let links = reset_links(&app);
    assert_eq!(links.len(), 1, "15 requests, one mail");

    app.state.clock.advance(chrono::Duration::minutes(6));
    assert_eq!(
        b.post("/password/forgot", &[("email", ADMIN_EMAIL)])
            .await
            .status(),
        200
    );
    app.run_pending_jobs().await;
    let links = reset_links(&app);
    assert_eq!(links.len(), 2, "a later request mails again");
    let (_, old) = b.text(&links[0]).await;
    assert!(!old.contains("name=\"password\""), "the older link is void");
    let (_, new) = b.text(&links[1]).await;
    assert!(new.contains("name=\"password\""), "the newest link works");

    app.state.clock.advance(chrono::Duration::minutes(61));
    let (_, expired) = b.text(&links[1]).await;
    assert!(
        !expired.contains("name=\"password\""),
        "links expire after an hour"
    );
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    app.state
        .db
        .query_one_raw(Statement::from_string(
            app.state.db.get_database_backend(),
            sql,
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
}

async fn expired_sessions_and_old_attempts_are_purged(app: TestApp) {
    let b = app.admin().await;
    let stranger = app.browser_at("203.0.113.5");
    stranger
        .post("/login", &[("email", ADMIN_EMAIL), ("password", "wrong")])
        .await;
    let sessions = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM sessions";
    let failures =
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM login_attempts WHERE succeeded = false";
    assert_eq!(count(&app, sessions).await, 1);
    assert!(count(&app, failures).await > 0);
    app.run_pending_jobs().await;
    assert_eq!(count(&app, sessions).await, 1, "a live session stays");

    app.state.clock.advance(chrono::Duration::hours(25));
    app.run_pending_jobs().await;
    assert_eq!(
        count(&app, sessions).await,
        0,
        "the expired session is gone"
    );
    assert_eq!(
        count(&app, failures).await,
        0,
        "failures older than a day are gone"
    );
    assert_eq!(b.get("/customers").await.status(), 303, "and signed out");
}
