//! The vault: sealed passwords, reveal with the own password, visibility.

use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(
    vault_passwords_are_sealed_and_revealed_only_with_the_own_password,
    vault_visibility_and_changes_follow_the_rules
);

async fn vault_passwords_are_sealed_and_revealed_only_with_the_own_password(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Tresor GmbH"})).await;
    let b = app.admin().await;
    let r = b
        .post(
            &format!("/customers/{c}/vault"),
            &[
                ("server", "db.tresor.example"),
                ("port", "5432"),
                ("username", "root"),
                ("password", "Geheim-12345!"),
                ("description", "Produktion"),
                ("visibility", "all"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let bad = b
        .post(
            &format!("/customers/{c}/vault"),
            &[("server", ""), ("port", "99999"), ("password", "")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let page = bad.text().await.unwrap();
    assert!(
        page.contains("Ein Port ist eine Zahl von 1 bis 65535.")
            && page.contains("Dieses Feld ist erforderlich.")
    );

    let entries = api.json(&format!("/vault?customer_id={c}")).await;
    let entry = entries["data"][0].clone();
    let id = entry["id"].as_i64().unwrap();
    assert!(
        entry.get("password").is_none() && entry.get("password_sealed").is_none(),
        "never returned: {entry}"
    );
    assert_eq!(entry["created_by"], "Admin");

    if app.state.config.is_sqlite() {
        let raw = std::fs::read(app.data_dir.path().join("kontor.db")).unwrap();
        let wal = std::fs::read(app.data_dir.path().join("kontor.db-wal")).unwrap_or_default();
        let needle = b"Geheim-12345!";
        assert!(
            !raw.windows(needle.len()).any(|w| w == needle)
                && !wal.windows(needle.len()).any(|w| w == needle),
            "no plaintext on disk"
        );
    }

    let (_, tab) = b.text(&format!("/customers/{c}/vault")).await;
    assert!(tab.contains("db.tresor.example") && !tab.contains("Geheim-12345!"));
    let wrong = b
        .post(&format!("/vault/{id}/reveal"), &[("password", "falsch")])
        .await;
    assert_eq!(wrong.status(), 422);
    let page = wrong.text().await.unwrap();
    assert!(page.contains("Das Passwort ist falsch.") && !page.contains("Geheim-12345!"));
    let r = b
        .post(
            &format!("/vault/{id}/reveal"),
            &[("password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("<code id=\"revealed-password\">Geheim-12345!</code>")
    );
    let again = b.post(&format!("/vault/{id}/reveal"), &[]).await;
    assert!(
        again.text().await.unwrap().contains("Geheim-12345!"),
        "unlocked for five minutes in this session"
    );
    let other_session = app.admin().await;
    assert_eq!(
        other_session
            .post(&format!("/vault/{id}/reveal"), &[])
            .await
            .status(),
        422,
        "another session asks again"
    );

    let r = api.reveal(id, "nope").await;
    assert_eq!(r.status(), 422);
    let r: Value = api.reveal(id, ADMIN_PASSWORD).await.json().await.unwrap();
    assert_eq!(r["password"], "Geheim-12345!");
    let trail = api.json(&format!("/customers/{c}/activity")).await;
    let actions: Vec<&str> = trail["activity"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["action"].as_str())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "revealed").count(),
        3,
        "every reveal is logged"
    );
    assert!(actions.contains(&"reveal-refused"));

    for _ in 0..4 {
        api.reveal(id, "nope").await;
    }
    assert_eq!(
        api.reveal(id, ADMIN_PASSWORD).await.status(),
        429,
        "throttled"
    );

    let r = api
        .patch(&format!("/vault/{id}"), json!({"password": "Neu-67890"}))
        .await;
    assert_eq!(r.status(), 200);
}

async fn vault_visibility_and_changes_follow_the_rules(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Sicht AG"})).await;
    let (_, writer) = app
        .staff_with(&api, "writer", json!({"customers": ["view", "edit"]}))
        .await;
    let (_, reader) = app
        .staff_with(&api, "reader", json!({"customers": ["view", "edit"]}))
        .await;
    let token = |email: String| {
        let db = app.state.db.clone();
        let clock = app.state.clock.clone();
        async move {
            let id = kontor::modules::staff::service::id_by_email(&db, &email)
                .await
                .unwrap();
            kontor::modules::staff::service::create_token(&db, id, "t", &clock)
                .await
                .unwrap()
        }
    };
    let w = app.api(&token(writer).await);
    let r = app.api(&token(reader).await);
    let mut ids = Vec::new();
    for visibility in ["me", "admins", "all"] {
        let e: Value = w
            .post("/vault", json!({"customer_id": c, "server": format!("{visibility}.example"), "password": "pw", "visibility": visibility}))
            .await
            .json()
            .await
            .unwrap();
        ids.push(e["id"].as_i64().unwrap());
    }
    let servers = |v: Value| {
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["server"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        servers(w.json(&format!("/vault?customer_id={c}")).await).len(),
        3,
        "the creator sees all three"
    );
    assert_eq!(
        servers(r.json(&format!("/vault?customer_id={c}")).await),
        vec!["all.example"]
    );
    assert_eq!(
        servers(api.json(&format!("/vault?customer_id={c}")).await),
        vec!["admins.example", "all.example"]
    );
    assert_eq!(r.get(&format!("/vault/{}", ids[0])).await.status(), 404);
    assert_eq!(api.reveal(ids[0], ADMIN_PASSWORD).await.status(), 404);
    assert_eq!(
        r.patch(&format!("/vault/{}", ids[2]), json!({"server": "x"}))
            .await
            .status(),
        403,
        "only creator or admin"
    );
    assert_eq!(r.delete(&format!("/vault/{}", ids[2])).await.status(), 403);
    assert_eq!(
        api.patch(
            &format!("/vault/{}", ids[2]),
            json!({"description": "by admin"})
        )
        .await
        .status(),
        200
    );
    let e = api.json(&format!("/vault/{}", ids[2])).await;
    assert_eq!(
        (e["created_by"].as_str(), e["updated_by"].as_str()),
        (Some("writer Test"), Some("Admin"))
    );
    assert_eq!(w.delete(&format!("/vault/{}", ids[2])).await.status(), 204);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_refuses_to_start_with_a_wrong_or_missing_vault_key() {
    let app = spawn_app(Backend::Sqlite).await;
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Schlüssel KG"})).await;
    api.post(
        "/vault",
        json!({"customer_id": c, "server": "s", "password": "pw"}),
    )
    .await;
    let dir = app.data_dir.path().display().to_string();
    let config = |extra: Option<(&str, String)>| {
        let mut env = std::collections::HashMap::from([
            (
                "DATABASE_URL".to_string(),
                app.state.config.database_url.expose().clone(),
            ),
            ("KONTOR_DATA_DIR".to_string(), dir.clone()),
        ]);
        if let Some((k, v)) = extra {
            env.insert(k.to_string(), v);
        }
        kernel::config::Config::from_env_map(env).unwrap()
    };
    let wrong = kernel::crypto::VaultKey::generate().to_base64();
    let err = kontor::app::init(config(Some(("KONTOR_VAULT_KEY", wrong))))
        .await
        .err()
        .expect("a wrong key is refused");
    assert!(
        format!("{err:#}").contains("is not the key the vault was sealed with"),
        "{err:#}"
    );
    let file = app.data_dir.path().join("vault.key");
    let key = std::fs::read_to_string(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    let err = kontor::app::init(config(None))
        .await
        .err()
        .expect("a missing key is refused");
    assert!(format!("{err:#}").contains("there is no key"), "{err:#}");
    assert!(!file.exists(), "no new key is made up while entries exist");
    assert!(
        kontor::app::init(config(Some(("KONTOR_VAULT_KEY", key))))
            .await
            .is_ok(),
        "the right key from the environment works"
    );
}

on_both!(
    contacts_see_and_add_shared_entries_of_their_own_customer_only,
    a_sealed_password_opens_only_on_its_own_row_and_old_seals_are_bound_at_start
);

async fn sql(app: &TestApp, statement: &str, values: Vec<sea_orm::Value>) {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.state.db.get_database_backend();
    app.state
        .db
        .execute_raw(Statement::from_sql_and_values(backend, statement, values))
        .await
        .unwrap();
}

async fn sealed_of(app: &TestApp, id: i64) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.state.db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => "SELECT password_sealed FROM vault_entries WHERE id = $1",
        _ => "SELECT password_sealed FROM vault_entries WHERE id = ?",
    };
    app.state
        .db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [id.into()]))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "password_sealed")
        .unwrap()
}

/// A seal as version 1 wrote it: nonce and ciphertext without associated data.
fn unbound_seal(app: &TestApp, plain: &str) -> String {
    use base64::{Engine, engine::general_purpose::STANDARD};
    use chacha20poly1305::{
        XChaCha20Poly1305,
        aead::{Aead, AeadCore, KeyInit, OsRng},
    };
    let key = STANDARD.decode(app.state.vault_key.to_base64()).unwrap();
    let cipher = XChaCha20Poly1305::new_from_slice(&key).unwrap();
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let mut out = nonce.to_vec();
    out.extend(cipher.encrypt(&nonce, plain.as_bytes()).unwrap());
    STANDARD.encode(out)
}

async fn a_sealed_password_opens_only_on_its_own_row_and_old_seals_are_bound_at_start(
    app: TestApp,
) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Tausch GmbH"})).await;
    let mut ids = vec![];
    for (server, password, visibility) in [
        ("offen.example", "Offen-111", "all"),
        ("privat.example", "Privat-222", "me"),
    ] {
        let r = api
            .post(
                "/vault",
                json!({"customer_id": c, "server": server, "password": password, "visibility": visibility}),
            )
            .await;
        assert_eq!(r.status(), 201);
        ids.push(r.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    let (open, private) = (ids[0], ids[1]);
    let private_seal = sealed_of(&app, private).await;
    assert!(private_seal.starts_with("v2."), "{private_seal}");
    let placeholder = if app.state.config.is_sqlite() {
        "?"
    } else {
        "$1"
    };
    let by_id = if app.state.config.is_sqlite() {
        "?"
    } else {
        "$2"
    };
    let update =
        format!("UPDATE vault_entries SET password_sealed = {placeholder} WHERE id = {by_id}");
    sql(&app, &update, vec![private_seal.into(), open.into()]).await;

    let b = app.admin().await;
    let r = b
        .post(
            &format!("/vault/{open}/reveal"),
            &[("password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("gehört nicht zu ihm") && !page.contains("Privat-222"),
        "the swapped seal is refused, not revealed on the open row"
    );
    let r = api.reveal(open, ADMIN_PASSWORD).await;
    assert_eq!(r.status(), 409);
    assert!(!r.text().await.unwrap().contains("Privat-222"));

    // Rows sealed before associated data existed are bound at the next start.
    let old = unbound_seal(&app, "Alt-333");
    sql(&app, &update, vec![old.into(), open.into()]).await;
    let check = format!("UPDATE vault_meta SET key_check = {placeholder}");
    sql(
        &app,
        &check,
        vec![unbound_seal(&app, "kontor vault key check").into()],
    )
    .await;
    let restarted = app.second_instance().await;
    let sealed = sealed_of(&app, open).await;
    assert!(sealed.starts_with("v2."), "bound at start: {sealed}");
    let r: Value = Api {
        base: format!("{}/api/v1", restarted.base),
        ..app.admin_api().await
    }
    .post(
        &format!("/vault/{open}/reveal"),
        json!({"password": ADMIN_PASSWORD}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(r["password"], "Alt-333");
    use sea_orm::{ConnectionTrait, Statement};
    let check = app
        .state
        .db
        .query_one_raw(Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT key_check FROM vault_meta",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "key_check")
        .unwrap();
    assert!(check.starts_with("v2."), "the key check is bound too");
}

async fn contacts_see_and_add_shared_entries_of_their_own_customer_only(app: TestApp) {
    let api = app.admin_api().await;
    let a = api.customer(json!({"company": "A Tresor"})).await;
    let b = api.customer(json!({"company": "B Tresor"})).await;
    for (customer, email) in [(a, "anna@a.example"), (b, "ben@b.example")] {
        api.post("/contacts", json!({"customer_id": customer, "first_name": "X", "last_name": "Y", "email": email, "password": "contact-password-1"}))
            .await;
    }
    let shared: Value = api
        .post("/vault", json!({"customer_id": a, "server": "shared-a.example", "password": "A-geteilt", "shared_with_contacts": true}))
        .await
        .json()
        .await
        .unwrap();
    api.post(
        "/vault",
        json!({"customer_id": a, "server": "internal-a.example", "password": "intern"}),
    )
    .await;
    let other: Value = api
        .post("/vault", json!({"customer_id": b, "server": "shared-b.example", "password": "B-geteilt", "shared_with_contacts": true}))
        .await
        .json()
        .await
        .unwrap();
    let p = app.browser();
    assert_eq!(
        p.post(
            "/portal/login",
            &[
                ("email", "anna@a.example"),
                ("password", "contact-password-1")
            ]
        )
        .await
        .status(),
        303
    );
    let (_, page) = p.text("/portal/vault").await;
    assert!(
        page.contains("shared-a.example")
            && !page.contains("internal-a.example")
            && !page.contains("shared-b.example")
    );
    assert!(!page.contains("A-geteilt"));
    let id = shared["id"].as_i64().unwrap();
    let r = p
        .post(
            &format!("/portal/vault/{id}/reveal"),
            &[("password", "wrong")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = p
        .post(
            &format!("/portal/vault/{id}/reveal"),
            &[("password", "contact-password-1")],
        )
        .await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("<code id=\"revealed-password\">A-geteilt</code>")
    );
    // For five minutes the portal session reveals without asking again.
    let (_, page) = p.text("/portal/vault").await;
    assert!(!page.contains("name=\"password\" placeholder"));
    let again = p
        .post(&format!("/portal/vault/{id}/reveal"), &[("password", "")])
        .await;
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("<code id=\"revealed-password\">A-geteilt</code>")
    );
    let fresh = app.browser();
    fresh
        .post(
            "/portal/login",
            &[
                ("email", "anna@a.example"),
                ("password", "contact-password-1"),
            ],
        )
        .await;
    assert_eq!(
        fresh
            .post(&format!("/portal/vault/{id}/reveal"), &[("password", "")])
            .await
            .status(),
        422,
        "another session is not unlocked"
    );
    let guess = p
        .post(
            &format!("/portal/vault/{}/reveal", other["id"]),
            &[("password", "contact-password-1")],
        )
        .await;
    assert_eq!(
        guess.status(),
        404,
        "another customer's entry does not exist for this contact"
    );
    let r = p
        .post(
            "/portal/vault",
            &[
                ("server", "vpn.a.example"),
                ("username", "anna"),
                ("password", "Kunden-PW"),
                ("visibility", "all"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        p.post(
            "/portal/vault",
            &[("server", "x"), ("password", "y"), ("visibility", "me")]
        )
        .await
        .status(),
        422
    );
    let entries = api.json(&format!("/vault?customer_id={a}")).await;
    let added = entries["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["server"] == "vpn.a.example")
        .expect("staff see it")
        .clone();
    assert_eq!(added["created_by"], "X Y");
    assert_eq!(added["shared_with_contacts"], true);
    let revealed: Value = api
        .post(
            &format!("/vault/{}/reveal", added["id"]),
            json!({"password": ADMIN_PASSWORD}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(revealed["password"], "Kunden-PW");
}
