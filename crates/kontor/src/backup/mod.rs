//! `kontor backup FILE` and `kontor restore FILE`: one zip archive holding
//! every table as JSON lines (read in one consistent snapshot while the app
//! keeps serving), every stored file, the vault's key check and a manifest
//! with counts and SHA-256 checksums of every entry. Rows are written by
//! column type, not as SQL, so an archive of SQLite restores into
//! PostgreSQL and back. The vault key itself is only in the archive when
//! asked for (`--with-vault-key`).

use std::{
    collections::{BTreeMap, HashSet},
    fs::File,
    io::{BufWriter, Read, Write},
    path::{Path, PathBuf},
};

use anyhow::{Context, Result, anyhow, bail, ensure};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use kernel::{config::Config, crypto::VaultKey, storage::Storage};
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    AccessMode, ConnectionTrait, DbBackend, IsolationLevel, Statement, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use zip::{CompressionMethod, ZipArchive, ZipWriter, write::SimpleFileOptions};

use crate::state::AppState;

mod tables;

use tables::{
    Kind, MIGRATIONS_TABLE, TableEntry, applied, columns, dump, insert_order, load, quoted, tables,
};

/// The archive layout; a restore refuses any other.
const FORMAT: u32 = 1;
const MANIFEST: &str = "manifest.json";
const KEY_ENTRY: &str = "vault.key";
/// Daily backups are named by this and their day.
const SCHEDULED: &str = "kontor-backup-";

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Checksum {
    sha256: String,
    bytes: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    kontor_version: String,
    created_at: DateTime<Utc>,
    /// The database it was taken from ("Sqlite" or "Postgres").
    backend: String,
    /// The migrations the tables were in, in order.
    migrations: Vec<String>,
    tables: Vec<TableEntry>,
    files: u64,
    file_bytes: u64,
    /// The sealed check value the vault key must open (none: empty vault).
    vault_key_check: Option<String>,
    vault_key_included: bool,
    /// Every other entry of the archive.
    entries: BTreeMap<String, Checksum>,
}

/// What a backup or restore moved, for the command's last line.
#[derive(Debug)]
pub struct Summary {
    pub tables: usize,
    pub rows: u64,
    pub files: u64,
    pub file_bytes: u64,
    pub vault_key_included: bool,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} tables, {} rows, {} files ({} bytes); the vault key is {}",
            self.tables,
            self.rows,
            self.files,
            self.file_bytes,
            if self.vault_key_included {
                "in the archive: keep it as safe as the key itself"
            } else {
                "not in the archive: keep KONTOR_VAULT_KEY or the key file to restore vault entries"
            }
        )
    }
}

enum Piece {
    Start(String),
    Data(Vec<u8>),
}

/// The zip on its own thread (compression and file writes block).
fn writer(path: PathBuf, mut pieces: mpsc::Receiver<Piece>) -> Result<()> {
    let file = File::create(&path).with_context(|| format!("create {}", path.display()))?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(true);
    while let Some(piece) = pieces.blocking_recv() {
        match piece {
            Piece::Start(name) => zip.start_file(name.as_str(), options)?,
            Piece::Data(bytes) => zip.write_all(&bytes)?,
        }
    }
    zip.finish()?.flush()?;
    Ok(())
}

/// The entries on their way to the writer, each hashed as it goes.
struct Out {
    tx: mpsc::Sender<Piece>,
    sums: BTreeMap<String, Checksum>,
    current: Option<(String, Sha256, u64)>,
}

impl Out {
    async fn start(&mut self, name: String) -> Result<()> {
        self.close();
        self.send(Piece::Start(name.clone())).await?;
        self.current = Some((name, Sha256::new(), 0));
        Ok(())
    }

    async fn data(&mut self, bytes: Vec<u8>) -> Result<()> {
        let (_, hash, n) = self.current.as_mut().context("data before an entry")?;
        hash.update(&bytes);
        *n += bytes.len() as u64;
        self.send(Piece::Data(bytes)).await
    }

    fn close(&mut self) {
        if let Some((name, hash, bytes)) = self.current.take() {
            let sha256 = hex::encode(hash.finalize());
            self.sums.insert(name, Checksum { sha256, bytes });
        }
    }

    async fn send(&self, piece: Piece) -> Result<()> {
        self.tx
            .send(piece)
            .await
            .map_err(|_| anyhow!("the archive writer stopped"))
    }
}

/// Today's backup into `KONTOR_BACKUP_DIR`, once a day across instances,
/// keeping the newest `KONTOR_BACKUP_KEEP`; how many were written (0 or 1).
pub async fn scheduled(state: &AppState) -> Result<usize> {
    let Some(dir) = &state.config.backup_dir else {
        return Ok(0);
    };
    let today = state.clock.today().format("%Y-%m-%d").to_string();
    if !kernel::settings::claim(&state.db, "backup.day", &today, state.clock.now()).await? {
        return Ok(0);
    }
    std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    let path = dir.join(format!("{SCHEDULED}{today}.zip"));
    let summary = backup(state, &path, false)
        .await
        .with_context(|| format!("the daily backup to {}", path.display()))?;
    tracing::info!(path = %path.display(), "daily backup written: {summary}");
    let mut old: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(SCHEDULED) && n.ends_with(".zip"))
        })
        .collect();
    // The names sort by their day.
    old.sort();
    let surplus = old.len().saturating_sub(state.config.backup_keep);
    for stale in &old[..surplus] {
        std::fs::remove_file(stale).with_context(|| format!("remove {}", stale.display()))?;
    }
    Ok(1)
}

/// Writes the archive to `path` (through a temporary file next to it, so a
/// failed backup leaves no half archive under the name).
pub async fn backup(state: &AppState, path: &Path, with_vault_key: bool) -> Result<Summary> {
    let partial = path.with_extension("partial");
    let (tx, rx) = mpsc::channel::<Piece>(8);
    let target = partial.clone();
    let written = tokio::task::spawn_blocking(move || writer(target, rx));
    let mut out = Out {
        tx,
        sums: BTreeMap::new(),
        current: None,
    };
    let filled = fill(state, &mut out, with_vault_key).await;
    drop(out);
    let written = written.await.context("the archive writer stopped")?;
    match filled.and_then(|summary| written.map(|()| summary)) {
        Ok(summary) => {
            std::fs::rename(&partial, path).with_context(|| format!("write {}", path.display()))?;
            Ok(summary)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// Every entry, then the manifest with their checksums (a reader finds it
/// through the zip's directory and checks it before anything else).
async fn fill(state: &AppState, out: &mut Out, with_vault_key: bool) -> Result<Summary> {
    let db = &state.db;
    let backend = db.get_database_backend();
    // One snapshot for every table: writes that land meanwhile are either
    // wholly in the archive or not at all.
    let txn = match backend {
        DbBackend::Postgres => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await?
        }
        _ => db.begin().await?,
    };
    let mut entries = Vec::new();
    let mut rows_total = 0;
    for table in tables(&txn).await? {
        if table == MIGRATIONS_TABLE {
            continue;
        }
        let columns = columns(&txn, &table).await?;
        out.start(format!("tables/{table}.jsonl")).await?;
        let rows = dump(&txn, &table, &columns, out).await?;
        rows_total += rows;
        entries.push(TableEntry {
            name: table,
            columns,
            rows,
        });
    }
    let migrations = applied(&txn).await?;
    let vault_key_check = txn
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT key_check FROM vault_meta",
        ))
        .await?
        .map(|r| r.try_get::<String>("", "key_check"))
        .transpose()?;
    txn.commit().await?;

    let (mut files, mut file_bytes) = (0, 0);
    let mut listing = state.storage.list();
    while let Some(object) = listing.next().await {
        let (key, _) = object?;
        // A file removed since the listing has left the database too.
        let Some(mut body) = state.storage.read(&key).await? else {
            continue;
        };
        out.start(format!("files/{key}")).await?;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.with_context(|| format!("read {key}"))?;
            file_bytes += chunk.len() as u64;
            out.data(chunk.to_vec()).await?;
        }
        files += 1;
    }
    if with_vault_key {
        out.start(KEY_ENTRY.into()).await?;
        out.data(state.vault_key.to_base64().into_bytes()).await?;
    }
    let summary = Summary {
        tables: entries.len(),
        rows: rows_total,
        files,
        file_bytes,
        vault_key_included: with_vault_key,
    };
    let manifest = Manifest {
        format: FORMAT,
        kontor_version: env!("CARGO_PKG_VERSION").into(),
        created_at: state.clock.now(),
        backend: format!("{backend:?}"),
        migrations,
        tables: entries,
        files,
        file_bytes,
        vault_key_check,
        vault_key_included: with_vault_key,
        entries: {
            out.close();
            std::mem::take(&mut out.sums)
        },
    };
    out.send(Piece::Start(MANIFEST.into())).await?;
    out.send(Piece::Data(serde_json::to_vec_pretty(&manifest)?))
        .await?;
    Ok(summary)
}

/// Checks an archive as a restore would and names each entry's SHA-256.
pub fn verify(path: &Path) -> Result<BTreeMap<String, String>> {
    let (_, manifest) = verified(path)?;
    Ok(manifest
        .entries
        .into_iter()
        .map(|(name, sum)| (name, sum.sha256))
        .collect())
}

/// Reads and checks the whole archive: the manifest, then every entry's
/// size and checksum. Nothing is written before this has passed.
fn verified(path: &Path) -> Result<(ZipArchive<File>, Manifest)> {
    let file = File::open(path).with_context(|| format!("open {}", path.display()))?;
    let mut zip = ZipArchive::new(file).context("the archive is damaged or not a Kontor backup")?;
    let manifest: Manifest = {
        let mut entry = zip
            .by_name(MANIFEST)
            .context("the archive has no manifest: not a Kontor backup")?;
        let mut text = Vec::new();
        entry.read_to_end(&mut text)?;
        serde_json::from_slice(&text).context("the manifest is damaged")?
    };
    ensure!(
        manifest.format == FORMAT,
        "the archive has format {}, this Kontor reads format {FORMAT}",
        manifest.format
    );
    let mut seen = HashSet::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        let name = entry.name()?.to_string();
        if name == MANIFEST {
            continue;
        }
        let expected = manifest.entries.get(&name).with_context(|| {
            format!("the archive holds {name}, which its manifest does not list")
        })?;
        let mut hash = Sha256::new();
        let mut buffer = vec![0; 64 * 1024];
        let mut bytes = 0u64;
        loop {
            let n = entry
                .read(&mut buffer)
                .with_context(|| format!("{name} is damaged"))?;
            if n == 0 {
                break;
            }
            hash.update(&buffer[..n]);
            bytes += n as u64;
        }
        ensure!(
            bytes == expected.bytes && hex::encode(hash.finalize()) == expected.sha256,
            "{name} does not match its checksum: the archive was changed or is damaged"
        );
        seen.insert(name);
    }
    if let Some(missing) = manifest.entries.keys().find(|n| !seen.contains(*n)) {
        bail!("the archive lacks {missing}: it is incomplete");
    }
    Ok((zip, manifest))
}

/// The vault key the restored data needs: the archive's, else the target's
/// configured one; it must open the archive's key check.
fn vault_key(
    zip: &mut ZipArchive<File>,
    manifest: &Manifest,
    config: &Config,
) -> Result<Option<VaultKey>> {
    let from_archive = if manifest.vault_key_included {
        let mut text = String::new();
        zip.by_name(KEY_ENTRY)?.read_to_string(&mut text)?;
        Some(VaultKey::from_base64(&text).context("the archive's vault key")?)
    } else {
        None
    };
    let configured = match &config.vault_key {
        Some(text) => Some(VaultKey::from_base64(text.expose()).context("KONTOR_VAULT_KEY")?),
        None => VaultKey::from_file(&config.vault_key_file, false)?,
    };
    let Some(check) = &manifest.vault_key_check else {
        return Ok(from_archive.or(configured));
    };
    let opens = |key: &VaultKey| crate::modules::vault::service::key_opens(key, check);
    match (from_archive, configured) {
        (Some(a), Some(c)) if a.to_base64() != c.to_base64() => bail!(
            "the archive brings a vault key, but another one is configured (KONTOR_VAULT_KEY or {}): remove it first",
            config.vault_key_file.display()
        ),
        (Some(key), _) | (None, Some(key)) => {
            ensure!(
                opens(&key),
                "the vault key does not open this archive's vault: give the key it was made with (KONTOR_VAULT_KEY)"
            );
            Ok(Some(key))
        }
        (None, None) => bail!(
            "the archive's vault needs its key: set KONTOR_VAULT_KEY or put the key file at {} (or back up with --with-vault-key)",
            config.vault_key_file.display()
        ),
    }
}

/// Restores the archive into the configured database and file store, both
/// of which must be empty. Checks everything first, writes after.
pub async fn restore(config: &Config, path: &Path) -> Result<Summary> {
    let (mut zip, manifest) = verified(path)?;
    let key = vault_key(&mut zip, &manifest, config)?;
    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    ensure!(
        known.starts_with(&manifest.migrations),
        "the archive comes from a newer or different Kontor ({} migrations this one does not know): restore it with that version",
        manifest
            .migrations
            .iter()
            .filter(|m| !known.contains(m))
            .count()
    );
    let db = kernel::db::connect(config.database_url.expose()).await?;
    ensure!(
        tables(&db).await?.is_empty(),
        "the database is not empty: restore needs a new, empty database"
    );
    let storage = Storage::open(config)?;
    ensure!(
        storage.list().next().await.is_none(),
        "the file store ({}) is not empty: restore needs an empty one",
        storage.label()
    );

    Migrator::up(&db, Some(manifest.migrations.len() as u32))
        .await
        .context("create the tables as the archive has them")?;
    let txn = kernel::db::begin_write(&db).await?;
    let order = insert_order(&txn, &manifest).await?;
    // The migrations seed some rows (payment modes, settings); the
    // archive's rows replace them.
    for table in order.iter().rev() {
        txn.execute_unprepared(&format!("DELETE FROM {}", quoted(&table.name)))
            .await?;
    }
    let mut rows = 0;
    for table in order {
        rows += load(&txn, &mut zip, table).await?;
    }
    if txn.get_database_backend() == DbBackend::Postgres {
        let serial = |t: &&TableEntry| {
            t.columns
                .iter()
                .any(|c| c.name == "id" && matches!(c.kind, Kind::Int | Kind::Int32))
        };
        for table in manifest.tables.iter().filter(serial) {
            // Ids were written as they were; the next new row continues after them.
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                format!(
                    "SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {}",
                    quoted(&table.name)
                ),
                [table.name.clone().into()],
            ))
            .await?;
        }
    }
    txn.commit().await?;
    Migrator::up(&db, None)
        .await
        .context("run the newer migrations")?;
    crate::modules::customers::service::rebuild_search(&db).await?;

    let mut files = 0;
    let mut file_bytes = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        let Some(key) = entry.name()?.strip_prefix("files/").map(str::to_string) else {
            continue;
        };
        let mut upload = storage.create(&key).await?;
        let mut buffer = vec![0; 256 * 1024];
        loop {
            let n = entry.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            file_bytes += n as u64;
            upload
                .write(bytes::Bytes::copy_from_slice(&buffer[..n]))
                .await?;
        }
        upload.finish().await?;
        files += 1;
    }
    if let Some(key) = key.filter(|_| manifest.vault_key_included)
        && config.vault_key.is_none()
        && !config.vault_key_file.exists()
    {
        key.save(&config.vault_key_file)?;
    }
    Ok(Summary {
        tables: manifest.tables.len(),
        rows,
        files,
        file_bytes,
        vault_key_included: manifest.vault_key_included,
    })
}
