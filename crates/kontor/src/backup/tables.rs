//! The tables of a backup: which there are, their columns by type, their
//! rows as JSON lines out of the database and back into it in an order the
//! foreign keys accept.

use std::{
    collections::{HashMap, HashSet},
    fs::File,
};

use anyhow::{Context, Result, anyhow, bail, ensure};
use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};
use serde::{Deserialize, Serialize};
use zip::ZipArchive;

use super::{Manifest, Out};

/// Rows read per query of a table with an `id` (keyset, inside the snapshot).
const BATCH: u64 = 5_000;
/// Bound values per insert; both databases allow far more.
const VALUES_PER_INSERT: usize = 20_000;
/// The migrations' own bookkeeping is written by the migrations of the restore.
pub(super) const MIGRATIONS_TABLE: &str = "seaql_migrations";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Kind {
    Int,
    /// PostgreSQL's `integer`, read as such (its driver checks the width).
    Int32,
    Float,
    Bool,
    Text,
    Date,
    Time,
    Bytes,
}

impl Kind {
    fn of(declared: &str, backend: DbBackend) -> Kind {
        let t = declared.to_ascii_lowercase();
        if backend == DbBackend::Postgres && (t == "integer" || t == "smallint") {
            Kind::Int32
        } else if t.contains("bool") {
            Kind::Bool
        } else if t.contains("timestamp") || t.contains("datetime") {
            Kind::Time
        } else if t.contains("date") {
            Kind::Date
        } else if t.contains("int") {
            Kind::Int
        } else if t.contains("double") || t.contains("real") || t.contains("float") {
            Kind::Float
        } else if t.contains("blob") || t.contains("bytea") {
            Kind::Bytes
        } else {
            Kind::Text
        }
    }

    /// A column's value as JSON (text for dates, times and bytes).
    fn read(self, row: &QueryResult, i: usize) -> Result<serde_json::Value> {
        use serde_json::Value as J;
        let value = match self {
            Kind::Int => row.try_get_by_index::<Option<i64>>(i)?.map(J::from),
            Kind::Int32 => row.try_get_by_index::<Option<i32>>(i)?.map(J::from),
            Kind::Float => row.try_get_by_index::<Option<f64>>(i)?.map(J::from),
            Kind::Bool => row.try_get_by_index::<Option<bool>>(i)?.map(J::from),
            Kind::Text => row.try_get_by_index::<Option<String>>(i)?.map(J::from),
            Kind::Date => row
                .try_get_by_index::<Option<NaiveDate>>(i)?
                .map(|d| J::from(d.format("%Y-%m-%d").to_string())),
            Kind::Time => row
                .try_get_by_index::<Option<DateTime<Utc>>>(i)?
                // Microseconds: what PostgreSQL keeps, so an archive of
                // SQLite (nanoseconds) reads the same from either database.
                .map(|t| J::from(t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))),
            Kind::Bytes => row
                .try_get_by_index::<Option<Vec<u8>>>(i)?
                .map(|b| J::from(STANDARD.encode(b))),
        };
        Ok(value.unwrap_or(J::Null))
    }

    /// The JSON value bound as this column's type.
    fn bind(self, v: &serde_json::Value) -> Result<Value> {
        let bad = || anyhow!("a {self:?} column holds {v}");
        if v.is_null() {
            return Ok(match self {
                Kind::Int | Kind::Int32 => Value::BigInt(None),
                Kind::Float => Value::Double(None),
                Kind::Bool => Value::Bool(None),
                Kind::Text => Value::String(None),
                Kind::Date => Value::ChronoDate(None),
                Kind::Time => Value::ChronoDateTimeUtc(None),
                Kind::Bytes => Value::Bytes(None),
            });
        }
        Ok(match self {
            Kind::Int | Kind::Int32 => v.as_i64().ok_or_else(bad)?.into(),
            Kind::Float => v.as_f64().ok_or_else(bad)?.into(),
            Kind::Bool => v.as_bool().ok_or_else(bad)?.into(),
            Kind::Text => v.as_str().ok_or_else(bad)?.to_string().into(),
            Kind::Date => {
                NaiveDate::parse_from_str(v.as_str().ok_or_else(bad)?, "%Y-%m-%d")?.into()
            }
            Kind::Time => DateTime::parse_from_rfc3339(v.as_str().ok_or_else(bad)?)?
                .with_timezone(&Utc)
                .into(),
            Kind::Bytes => STANDARD.decode(v.as_str().ok_or_else(bad)?)?.into(),
        })
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct Column {
    pub(super) name: String,
    pub(super) kind: Kind,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct TableEntry {
    pub(super) name: String,
    pub(super) columns: Vec<Column>,
    pub(super) rows: u64,
}
/// Tables the database derives from others by triggers: restoring their
/// sources fills them again, so an archive holding them would count twice.
const DERIVED: [&str; 7] = [
    "statement_days",
    "open_invoice_sums",
    "open_invoice_totals",
    "invoiced_month_totals",
    "payment_month_totals",
    "invoice_day_totals",
    "credit_note_day_totals",
];

pub(super) async fn tables(db: &impl ConnectionTrait) -> Result<Vec<String>> {
    let backend = db.get_database_backend();
    let sql = match backend {
        // Virtual tables (full-text search) and their shadow tables are
        // rebuilt from their source after a restore.
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table' \
               AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND (sqlite_master.name = v.name \
               OR sqlite_master.name LIKE v.name || '\\_%' ESCAPE '\\')) ORDER BY name"
        }
        _ => {
            "SELECT table_name AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    let mut names = Vec::with_capacity(rows.len());
    for row in &rows {
        let name: String = row.try_get("", "name")?;
        if !DERIVED.contains(&name.as_str()) {
            names.push(name);
        }
    }
    Ok(names)
}

pub(super) async fn columns(db: &impl ConnectionTrait, table: &str) -> Result<Vec<Column>> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => "SELECT name, type FROM pragma_table_info($1) ORDER BY cid",
        _ => {
            "SELECT column_name AS name, data_type AS type FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            kernel::db::sql(backend, sql),
            [table.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Column {
                name: r.try_get::<String>("", "name")?,
                kind: Kind::of(&r.try_get::<String>("", "type")?, backend),
            })
        })
        .collect()
}

/// Names come from the database's own catalogue, never from input; quoted
/// all the same.
pub(super) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub(super) async fn applied(db: &impl ConnectionTrait) -> Result<Vec<String>> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT version FROM {MIGRATIONS_TABLE} ORDER BY version"),
        ))
        .await?;
    rows.iter()
        .map(|r| Ok(r.try_get::<String>("", "version")?))
        .collect()
}

/// A table's rows as JSON arrays, one per line; tables with an `id` are
/// read in batches by it.
pub(super) async fn dump(
    db: &impl ConnectionTrait,
    table: &str,
    columns: &[Column],
    out: &mut Out,
) -> Result<u64> {
    let backend = db.get_database_backend();
    let list = columns
        .iter()
        .map(|c| quoted(&c.name))
        .collect::<Vec<_>>()
        .join(", ");
    let keyed = columns
        .iter()
        .position(|c| c.name == "id" && matches!(c.kind, Kind::Int | Kind::Int32));
    let mut last: Option<i64> = None;
    let mut count = 0;
    loop {
        let sql = match keyed {
            Some(_) => format!(
                "SELECT {list} FROM {} WHERE id > $1 ORDER BY id LIMIT {BATCH}",
                quoted(table)
            ),
            // Ordered by every column, so the same rows give the same bytes.
            None => format!(
                "SELECT {list} FROM {} ORDER BY {}",
                quoted(table),
                (1..=columns.len())
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let values: Vec<Value> = match keyed {
            Some(_) => vec![last.unwrap_or(i64::MIN).into()],
            None => vec![],
        };
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                kernel::db::sql(backend, &sql),
                values,
            ))
            .await?;
        let mut lines = Vec::with_capacity(rows.len() * 128);
        for row in &rows {
            let values = columns
                .iter()
                .enumerate()
                .map(|(i, c)| c.kind.read(row, i))
                .collect::<Result<Vec<_>>>()
                .with_context(|| format!("read a row of {table}"))?;
            serde_json::to_writer(&mut lines, &values)?;
            lines.push(b'\n');
        }
        count += rows.len() as u64;
        out.data(lines).await?;
        match keyed {
            Some(i) if rows.len() as u64 == BATCH => {
                last = match rows.last() {
                    Some(r) => Some(columns[i].kind.read(r, i)?.as_i64().context("an id")?),
                    None => None,
                };
            }
            _ => return Ok(count),
        }
    }
}

/// Tables in an order that inserts every referenced row before the rows
/// referring to it (foreign keys of the restored schema).
pub(super) async fn insert_order<'m>(
    db: &impl ConnectionTrait,
    manifest: &'m Manifest,
) -> Result<Vec<&'m TableEntry>> {
    let backend = db.get_database_backend();
    let mut needs: HashMap<String, HashSet<String>> = HashMap::new();
    for t in &manifest.tables {
        let sql = match backend {
            DbBackend::Sqlite => "SELECT \"table\" AS target FROM pragma_foreign_key_list($1)",
            _ => {
                "SELECT DISTINCT ccu.table_name AS target FROM information_schema.table_constraints tc \
                 JOIN information_schema.constraint_column_usage ccu \
                   ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
                 WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() \
                   AND tc.table_name = $1"
            }
        };
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                kernel::db::sql(backend, sql),
                [t.name.clone().into()],
            ))
            .await?;
        let targets = rows
            .iter()
            .map(|r| r.try_get::<String>("", "target"))
            .collect::<Result<HashSet<_>, _>>()?;
        needs.insert(t.name.clone(), targets);
    }
    let mut done: HashSet<&str> = HashSet::new();
    let mut order = Vec::new();
    while order.len() < manifest.tables.len() {
        let before = order.len();
        for t in &manifest.tables {
            let ready = needs[&t.name]
                .iter()
                .all(|n| n == &t.name || done.contains(n.as_str()) || !needs.contains_key(n));
            if !done.contains(t.name.as_str()) && ready {
                done.insert(&t.name);
                order.push(t);
            }
        }
        ensure!(
            order.len() > before,
            "the tables' foreign keys form a cycle"
        );
    }
    Ok(order)
}

/// Inserts a table's rows in batches; the restored table must have every
/// column the archive has (the same migrations made both).
pub(super) async fn load(
    db: &impl ConnectionTrait,
    zip: &mut ZipArchive<File>,
    table: &TableEntry,
) -> Result<u64> {
    let backend = db.get_database_backend();
    let present: HashSet<String> = columns(db, &table.name)
        .await?
        .into_iter()
        .map(|c| c.name)
        .collect();
    if let Some(c) = table.columns.iter().find(|c| !present.contains(&c.name)) {
        bail!("the restored table {} has no column {}", table.name, c.name);
    }
    let list = table
        .columns
        .iter()
        .map(|c| quoted(&c.name))
        .collect::<Vec<_>>()
        .join(", ");
    let per_insert = (VALUES_PER_INSERT / table.columns.len().max(1)).max(1);
    let entry = zip
        .by_name(&format!("tables/{}.jsonl", table.name))
        .with_context(|| format!("the archive lacks the table {}", table.name))?;
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(entry));
    let mut rows = 0;
    loop {
        let batch = lines
            .by_ref()
            .take(per_insert)
            .collect::<std::io::Result<Vec<String>>>()?;
        if batch.is_empty() {
            break;
        }
        let mut values = Vec::with_capacity(batch.len() * table.columns.len());
        let mut groups = Vec::with_capacity(batch.len());
        for line in &batch {
            let row: Vec<serde_json::Value> = serde_json::from_str(line)
                .with_context(|| format!("a row of {} is damaged", table.name))?;
            ensure!(
                row.len() == table.columns.len(),
                "a row of {} has the wrong width",
                table.name
            );
            let start = values.len();
            for (c, v) in table.columns.iter().zip(&row) {
                values.push(
                    c.kind
                        .bind(v)
                        .with_context(|| format!("{}.{}", table.name, c.name))?,
                );
            }
            groups.push(format!(
                "({})",
                (start + 1..=values.len())
                    .map(|n| format!("${n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let sql = format!(
            "INSERT INTO {} ({list}) VALUES {}",
            quoted(&table.name),
            groups.join(", ")
        );
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            kernel::db::sql(backend, &sql),
            values,
        ))
        .await
        .with_context(|| format!("restore {}", table.name))?;
        rows += batch.len() as u64;
    }
    ensure!(
        rows == table.rows,
        "{} has {rows} rows in the archive, its manifest says {}",
        table.name,
        table.rows
    );
    Ok(rows)
}
