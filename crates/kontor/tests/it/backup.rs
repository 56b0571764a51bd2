//! Backup and restore: an archive taken while the app is written to holds
//! one consistent snapshot; it restores on a fresh data directory and
//! database of either kind with every table, file and vault entry intact;
//! a truncated or changed archive, a wrong key and a non-empty target are
//! refused before anything is written.

use std::{
    collections::{BTreeMap, HashMap},
    io::{Read, Write},
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
};

use reqwest::multipart::{Form, Part};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(a_backup_under_load_restores_on_both_databases_and_bad_archives_are_refused);

/// The tables of an archive, by their checksum.
fn tables(sums: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    sums.iter()
        .filter(|(name, _)| name.starts_with("tables/"))
        .map(|(n, s)| (n.clone(), s.clone()))
        .collect()
}

fn targets() -> Vec<Backend> {
    let mut all = vec![Backend::Sqlite];
    all.extend(pg_url().map(Backend::Postgres));
    all
}

/// A fresh data directory and database, and the settings naming them.
async fn fresh_target(
    backend: Backend,
    key: &str,
) -> (
    tempfile::TempDir,
    String,
    Option<(String, String)>,
    kernel::config::Config,
) {
    let dir = tempfile::tempdir().unwrap();
    let (url, cleanup) = fresh_database(backend, dir.path()).await;
    let mut env = test_env(&url, dir.path());
    env.insert("KONTOR_VAULT_KEY".into(), key.into());
    let config = kernel::config::Config::from_env_map(env).unwrap();
    (dir, url, cleanup, config)
}

async fn table_count(config: &kernel::config::Config) -> usize {
    let db = kernel::db::connect(config.database_url.expose())
        .await
        .unwrap();
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
        _ => {
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        }
    };
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .len()
}

/// The archive again with one entry's bytes changed and the manifest kept.
fn tampered(from: &Path, to: &Path, entry: &str) {
    let mut source = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..source.len() {
        let mut e = source.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        if name == entry {
            bytes = String::from_utf8(bytes)
                .unwrap()
                .replace("Sicherung GmbH", "Fälschung GmbH")
                .into_bytes();
        }
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}

async fn a_backup_under_load_restores_on_both_databases_and_bad_archives_are_refused(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Sicherung GmbH"})).await;
    let r = api
        .post(
            "/notes",
            json!({"customer_id": c, "body": "Gesichert **fett**"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let r = api
        .post(
            "/vault",
            json!({"customer_id": c, "server": "db.sicher.example", "password": "Tresor-Geheim-1", "visibility": "all"}),
        )
        .await;
    let entry = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let draft: Value = api
        .post(
            "/invoices",
            json!({"customer_id": c, "date": "2026-11-20", "items": [{"description": "Sicherung", "quantity": "1", "rate": "99", "taxes": ["19"]}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let invoice = draft["id"].as_i64().unwrap();
    api.issue("invoices", invoice).await;
    let original_pdf = api.bytes(&format!("/invoices/{invoice}/pdf")).await;
    let content: Vec<u8> = (0..300_000u32).map(|n| (n % 251) as u8).collect();
    let form = Form::new().text("customer_id", c.to_string()).part(
        "file",
        Part::bytes(content.clone()).file_name("vertrag.bin"),
    );
    let r = api.upload(form).await;
    assert_eq!(r.status(), 201);
    let file = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    // Customers keep being created while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU64::new(0));
    let load = tokio::spawn({
        let (stop, written) = (stop.clone(), written.clone());
        let api = app.admin_api().await;
        async move {
            while !stop.load(Ordering::Relaxed) {
                let r = api
                    .post("/customers", json!({"company": "Laufend AG"}))
                    .await;
                assert_eq!(r.status(), 201);
                written.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    while written.load(Ordering::Relaxed) < 5 {
        tokio::task::yield_now().await;
    }
    let work = tempfile::tempdir().unwrap();
    let archive = work.path().join("kontor-backup.zip");
    let summary = kontor::backup::backup(&app.state, &archive, false)
        .await
        .expect("backup while writing");
    stop.store(true, Ordering::Relaxed);
    load.await.unwrap();
    assert!(
        !summary.vault_key_included && summary.files >= 2,
        "{summary}"
    );
    let sums = kontor::backup::verify(&archive).expect("a sound archive");
    assert!(
        !sums.contains_key("vault.key"),
        "no vault key in the archive unless asked for"
    );
    let key = app.state.vault_key.to_base64();

    for target in targets() {
        let (dir, url, cleanup, config) = fresh_target(target, &key).await;
        let restored = kontor::backup::restore(&config, &archive)
            .await
            .expect("restore on a fresh target");
        assert_eq!(restored.files, summary.files);
        let again = spawn_on(
            dir,
            url,
            cleanup,
            HashMap::from([("KONTOR_VAULT_KEY".to_string(), key.clone())]),
        )
        .await;
        // Every table holds the same rows: a backup of the copy matches.
        let copy = work.path().join("copy.zip");
        kontor::backup::backup(&again.state, &copy, false)
            .await
            .unwrap();
        assert_eq!(
            tables(&kontor::backup::verify(&copy).unwrap()),
            tables(&sums),
            "every table's rows are the same after the restore"
        );
        let api = again.admin_api().await;
        let found = api.json("/customers?q=Sicherung").await;
        assert_eq!(
            found["data"][0]["company"], "Sicherung GmbH",
            "search works on the copy"
        );
        let revealed: Value = api
            .reveal(entry, ADMIN_PASSWORD)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(revealed["password"], "Tresor-Geheim-1");
        let bytes = api.bytes(&format!("/files/{file}/download")).await;
        assert_eq!(bytes.as_slice(), content.as_slice(), "the file's bytes");
        let pdf = api.bytes(&format!("/invoices/{invoice}/pdf")).await;
        assert_eq!(pdf, original_pdf, "the archived invoice PDF");
        let created = api
            .post("/customers", json!({"company": "Nach der Rücksicherung"}))
            .await;
        assert_eq!(created.status(), 201, "new rows get new ids");
        // A target that is not empty is refused.
        let err = kontor::backup::restore(&again.state.config, &archive)
            .await
            .unwrap_err();
        assert!(format!("{err:#}").contains("not empty"), "{err:#}");
    }

    // Truncated, changed, or with the wrong key: refused, nothing written.
    let bytes = std::fs::read(&archive).unwrap();
    let cut = work.path().join("cut.zip");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let changed = work.path().join("changed.zip");
    tampered(&archive, &changed, "tables/customers.jsonl");
    let wrong_key = kernel::crypto::VaultKey::generate().to_base64();
    for (file, key, expected) in [
        (&cut, key.as_str(), "damaged"),
        (&changed, key.as_str(), "does not match its checksum"),
        (&archive, wrong_key.as_str(), "does not open"),
    ] {
        let (_dir, _url, cleanup, config) = fresh_target(Backend::Sqlite, key).await;
        let err = kontor::backup::restore(&config, file).await.unwrap_err();
        assert!(format!("{err:#}").contains(expected), "{expected}: {err:#}");
        assert_eq!(table_count(&config).await, 0, "nothing written");
        assert!(cleanup.is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_backup_is_written_once_a_day_and_old_ones_go_sqlite() {
    the_daily_backup_is_written_once_a_day_and_old_ones_go(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_backup_is_written_once_a_day_and_old_ones_go_postgres() {
    if let Some(url) = pg_url() {
        the_daily_backup_is_written_once_a_day_and_old_ones_go(Backend::Postgres(url)).await;
    }
}

async fn the_daily_backup_is_written_once_a_day_and_old_ones_go(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_with(
        backend,
        HashMap::from([
            (
                "KONTOR_BACKUP_DIR".to_string(),
                dir.path().display().to_string(),
            ),
            ("KONTOR_BACKUP_KEEP".to_string(), "2".to_string()),
        ]),
    )
    .await;
    let names = || {
        let mut n: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    app.run_pending_jobs().await;
    // Another instance on the same database does not write it again.
    let other = app.second_instance().await;
    let round = kontor::app::worker(&other.state).run_once().await;
    assert!(round.failed.is_empty(), "{:?}", round.failed);
    app.run_pending_jobs().await;
    assert_eq!(names(), ["kontor-backup-2026-11-27.zip"], "once a day");
    for _ in 0..2 {
        app.state.clock.advance(chrono::Duration::days(1));
        app.run_pending_jobs().await;
    }
    assert_eq!(
        names(),
        [
            "kontor-backup-2026-11-28.zip",
            "kontor-backup-2026-11-29.zip"
        ],
        "the newest two stay"
    );
    kontor::backup::verify(&dir.path().join("kontor-backup-2026-11-29.zip")).expect("sound");
}

use crate::files::s3_settings;

on_both!(with s3_settings => a_backup_carries_the_files_of_an_s3_bucket);

async fn a_backup_carries_the_files_of_an_s3_bucket(app: TestApp) {
    if app.state.config.storage_url.is_none() {
        return;
    }
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Wolkensicherung AG"})).await;
    let content: Vec<u8> = (0..100_000u32).map(|n| (n % 241) as u8).collect();
    let form = Form::new()
        .text("customer_id", c.to_string())
        .part("file", Part::bytes(content.clone()).file_name("wolke.bin"));
    let r = api.upload(form).await;
    assert_eq!(r.status(), 201);
    let file = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let work = tempfile::tempdir().unwrap();
    let archive = work.path().join("wolke.zip");
    let summary = kontor::backup::backup(&app.state, &archive, false)
        .await
        .unwrap();
    assert_eq!(summary.files, 1, "{summary}");

    let key = app.state.vault_key.to_base64();
    let bucket = s3_settings();
    let dir = tempfile::tempdir().unwrap();
    let (url, cleanup) = fresh_database(Backend::Sqlite, dir.path()).await;
    let mut env = test_env(&url, dir.path());
    env.extend(bucket.clone());
    env.insert("KONTOR_VAULT_KEY".into(), key.clone());
    let config = kernel::config::Config::from_env_map(env).unwrap();
    kontor::backup::restore(&config, &archive)
        .await
        .expect("restore into a new bucket");
    let mut settings = bucket.clone();
    settings.insert("KONTOR_VAULT_KEY".into(), key.clone());
    let again = spawn_on(dir, url, cleanup, settings).await;
    let api = again.admin_api().await;
    let bytes = api.bytes(&format!("/files/{file}/download")).await;
    assert_eq!(
        bytes.as_slice(),
        content.as_slice(),
        "the file came back into the bucket"
    );

    let other = tempfile::tempdir().unwrap();
    let (url, _) = fresh_database(Backend::Sqlite, other.path()).await;
    let mut env = test_env(&url, other.path());
    env.extend(bucket);
    env.insert("KONTOR_VAULT_KEY".into(), key);
    let config = kernel::config::Config::from_env_map(env).unwrap();
    let err = kontor::backup::restore(&config, &archive)
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("is not empty"), "{err:#}");
}
