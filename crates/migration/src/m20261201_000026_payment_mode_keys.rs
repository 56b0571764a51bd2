//! Payment modes get a key (`ueberweisung`, `bar`) that API clients can
//! send as `payment_mode` instead of an id that differs per installation.
//! Existing modes get the key of their name; the key never changes after.

use sea_orm_migration::{
    prelude::*,
    sea_orm::{ConnectionTrait, FromQueryResult, Statement},
};

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(FromQueryResult)]
struct Mode {
    id: i64,
    name: String,
}

/// The key of a payment mode's name: lower case ASCII letters and digits,
/// German letters spelt out (`ü` → `ue`), everything else a single `-`.
pub fn payment_mode_key(name: &str) -> String {
    let mut key = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        let spelt = match c {
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            _ => "",
        };
        if !spelt.is_empty() {
            key.push_str(spelt);
        } else if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    let key = key.trim_end_matches('-');
    if key.is_empty() {
        "mode".into()
    } else {
        key.into()
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("payment_modes")
                .add_column(ColumnDef::new("mode_key").string().not_null().default(""))
                .take(),
        )
        .await?;
        let db = m.get_connection();
        let backend = m.get_database_backend();
        let modes = Mode::find_by_statement(Statement::from_string(
            backend,
            "SELECT id, name FROM payment_modes ORDER BY id",
        ))
        .all(db)
        .await?;
        let mut taken: Vec<String> = Vec::new();
        for mode in modes {
            let base = payment_mode_key(&mode.name);
            let mut key = base.clone();
            let mut n = 2;
            while taken.contains(&key) {
                key = format!("{base}-{n}");
                n += 1;
            }
            let sql = match backend {
                sea_orm_migration::sea_orm::DbBackend::Postgres => {
                    "UPDATE payment_modes SET mode_key = $1 WHERE id = $2"
                }
                _ => "UPDATE payment_modes SET mode_key = ? WHERE id = ?",
            };
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [key.clone().into(), mode.id.into()],
            ))
            .await?;
            taken.push(key);
        }
        m.create_index(
            index("payment_modes", "payment_modes_mode_key", &["mode_key"])
                .unique()
                .take(),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::payment_mode_key;

    #[test]
    fn keys_spell_out_german_letters() {
        assert_eq!(payment_mode_key("Überweisung"), "ueberweisung");
        assert_eq!(payment_mode_key(" Kreditkarte (Visa) "), "kreditkarte-visa");
        assert_eq!(payment_mode_key("Straße & Bar"), "strasse-bar");
        assert_eq!(payment_mode_key("€"), "mode");
    }
}
