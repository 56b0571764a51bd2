//! The command line, run as the real binary against a real database.

use std::process::Command;

use sea_orm::{ConnectionTrait, Database, Statement};

use crate::helpers::*;

/// Runs `kontor ARGS` with the database and data directory given.
pub fn kontor(database_url: &str, data_dir: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kontor"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("KONTOR_DATA_DIR", data_dir)
        .env_remove("KONTOR_ADMIN_EMAIL")
        .env_remove("KONTOR_ADMIN_PASSWORD")
        .current_dir(data_dir)
        .output()
        .expect("run the kontor binary");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

async fn staff_emails(url: &str) -> Vec<String> {
    let db = Database::connect(url).await.expect("connect");
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT email FROM staff ORDER BY id",
    ))
    .await
    .expect("staff")
    .iter()
    .map(|r| r.try_get::<String>("", "email").expect("email"))
    .collect()
}

async fn the_first_staff_member_from_the_cli_is_the_only_one(backend: Backend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (url, cleanup) = fresh_database(backend, dir.path()).await;
    let (ok, out) = kontor(
        &url,
        dir.path(),
        &[
            "staff",
            "create",
            "--email",
            "owner@firma.example",
            "--name",
            "Olga Owner",
            "--password",
            "owner-password-1",
        ],
    );
    assert!(ok, "{out}");
    assert!(out.contains("is an admin"), "{out}");
    assert!(
        !out.contains("one-time password"),
        "no second account: {out}"
    );
    assert_eq!(staff_emails(&url).await, ["owner@firma.example"]);
    let (ok, out) = kontor(
        &url,
        dir.path(),
        &[
            "staff",
            "create",
            "--email",
            "clerk@firma.example",
            "--name",
            "Carl Clerk",
            "--password",
            "clerk-password-1",
        ],
    );
    assert!(ok && !out.contains("is an admin"), "{out}");
    assert_eq!(
        staff_emails(&url).await,
        ["owner@firma.example", "clerk@firma.example"]
    );
    if let Some((server, name)) = cleanup {
        drop_database(server, name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_staff_member_from_the_cli_is_the_only_one_sqlite() {
    the_first_staff_member_from_the_cli_is_the_only_one(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_staff_member_from_the_cli_is_the_only_one_postgres() {
    if let Some(url) = pg_url() {
        the_first_staff_member_from_the_cli_is_the_only_one(Backend::Postgres(url)).await;
    }
}

/// `kontor backup --with-vault-key` and `kontor restore` as an owner runs
/// them: the restored directory gets the key and starts with the vault.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_with_the_vault_key_restores_a_directory_that_starts() {
    let app = spawn_app(Backend::Sqlite).await;
    let api = app.admin_api().await;
    let c = api
        .customer(serde_json::json!({"company": "Umzug KG"}))
        .await;
    let r = api
        .post(
            "/vault",
            serde_json::json!({"customer_id": c, "server": "alt.example", "password": "Umzug-Geheim-9"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let source = app.data_dir.path();
    let url = app.state.config.database_url.expose().clone();
    let archive = source.join("sicherung.zip");
    let archive_arg = archive.display().to_string();
    let (ok, out) = kontor(&url, source, &["backup", &archive_arg]);
    assert!(
        ok && out.contains("the vault key is not in the archive"),
        "{out}"
    );
    let (ok, out) = kontor(&url, source, &["backup", &archive_arg, "--with-vault-key"]);
    assert!(
        ok && out.contains("the vault key is in the archive"),
        "{out}"
    );

    let target = tempfile::tempdir().expect("tempdir");
    let target_url = format!(
        "sqlite://{}?mode=rwc",
        target.path().join("kontor.db").display()
    );
    let (ok, out) = kontor(&target_url, target.path(), &["restore", &archive_arg]);
    assert!(ok && out.contains("restored from"), "{out}");
    assert_eq!(
        std::fs::read_to_string(target.path().join("vault.key")).expect("the key came along"),
        app.state.vault_key.to_base64()
    );
    let (ok, out) = kontor(&target_url, target.path(), &["restore", &archive_arg]);
    assert!(!ok && out.contains("the database is not empty"), "{out}");
    let (ok, out) = kontor(&target_url, target.path(), &["migrate"]);
    assert!(ok, "the restored directory starts with its vault: {out}");
}
