//! Sums the database keeps in step with a source table: triggers add each
//! counting row of the source to its group (`n` and `total`) and take it
//! off again, inside the very transaction that changes the source row,
//! whatever code (or a restore) writes it. A sum maintained by each write
//! path of several modules would drift the first time one of them forgot.
//! Updates that change neither the group, the amount nor whether the row
//! counts leave the sums untouched, so they take no lock there.

use sea_orm_migration::{
    prelude::*,
    schema::{big_integer, string},
    sea_orm::{ConnectionTrait, DbBackend, DbErr},
};

/// A table of kept sums of a customer's rows: `customer_id`, the text
/// columns `groups` that with it make the key, then `n` and `total`; it
/// goes with its customer.
pub fn sums_table(name: &'static str, groups: &[&'static str]) -> TableCreateStatement {
    let mut table = Table::create();
    let mut key = Index::create();
    table.table(name).col(big_integer("customer_id"));
    key.col("customer_id");
    for g in groups {
        table.col(string(*g));
        key.col(*g);
    }
    table
        .col(big_integer("n"))
        .col(big_integer("total"))
        .primary_key(&mut key)
        .foreign_key(
            ForeignKey::create()
                .from(name, "customer_id")
                .to("customers", "id")
                .on_delete(ForeignKeyAction::Cascade),
        )
        .take()
}

/// A table of kept sums over all customers: the text columns `groups`
/// make the key, then `n` and `total`.
pub fn totals_table(name: &'static str, groups: &[&'static str]) -> TableCreateStatement {
    let mut table = Table::create();
    let mut key = Index::create();
    table.table(name);
    for g in groups {
        table.col(string(*g));
        key.col(*g);
    }
    table
        .col(big_integer("n"))
        .col(big_integer("total"))
        .primary_key(&mut key)
        .take()
}

/// One source of a table of kept sums. Expressions name the source row
/// as `R` (`R.total`); the triggers read them on `OLD` and `NEW`.
pub struct Kept {
    /// The table of sums: the key columns, then `n` and `total`.
    pub sums: &'static str,
    /// Names this source's triggers and functions: `{table}_{name}`.
    pub name: &'static str,
    pub table: &'static str,
    /// Each key column of the sums and the expression filling it.
    pub key: &'static [(&'static str, &'static str)],
    pub amount: &'static str,
    /// When a source row counts.
    pub counts: &'static str,
}

fn on(expression: &str, row: &str) -> String {
    expression.replace("R.", &format!("{row}."))
}

impl Kept {
    fn group(&self, row: &str) -> String {
        self.key
            .iter()
            .map(|(column, expression)| format!("{column} = {}", on(expression, row)))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    fn columns(&self) -> String {
        self.key
            .iter()
            .map(|(column, _)| *column)
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn values(&self, row: &str) -> String {
        self.key
            .iter()
            .map(|(_, expression)| on(expression, row))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Takes row `row` off its group (if `when`, an SQL condition, holds).
    fn take(&self, row: &str, when: &str) -> String {
        let (sums, group) = (self.sums, self.group(row));
        format!(
            "UPDATE {sums} SET n = n - 1, total = total - ({}) WHERE {group} AND {when}; \
             DELETE FROM {sums} WHERE {group} AND n = 0;",
            on(self.amount, row)
        )
    }

    /// Adds row `row` to its group; `filter` ends the SELECT (SQLite needs
    /// a WHERE there to read ON CONFLICT as the upsert).
    fn add(&self, row: &str, filter: &str) -> String {
        let (sums, columns) = (self.sums, self.columns());
        format!(
            "INSERT INTO {sums} ({columns}, n, total) SELECT {}, 1, {} {filter} \
             ON CONFLICT ({columns}) DO UPDATE \
             SET n = {sums}.n + 1, total = {sums}.total + excluded.total;",
            self.values(row),
            on(self.amount, row)
        )
    }

    fn unchanged(&self) -> String {
        let same = |e: &str| format!("({}) = ({})", on(e, "OLD"), on(e, "NEW"));
        self.key
            .iter()
            .map(|(_, e)| same(e))
            .chain([same(self.amount), same(self.counts)])
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    fn sqlite(&self) -> Vec<String> {
        let t = format!("{}_{}", self.table, self.name);
        let table = self.table;
        let (old, new) = (on(self.counts, "OLD"), on(self.counts, "NEW"));
        vec![
            format!(
                "CREATE TRIGGER {t}_insert AFTER INSERT ON {table} WHEN {new} BEGIN {} END",
                self.add("NEW", "WHERE TRUE")
            ),
            format!(
                "CREATE TRIGGER {t}_delete AFTER DELETE ON {table} WHEN {old} BEGIN {} END",
                self.take("OLD", "TRUE")
            ),
            format!(
                "CREATE TRIGGER {t}_update AFTER UPDATE ON {table} WHEN NOT ({}) BEGIN {} {} END",
                self.unchanged(),
                self.take("OLD", &format!("({old})")),
                self.add("NEW", &format!("WHERE {new}"))
            ),
        ]
    }

    fn postgres(&self) -> Vec<String> {
        let t = format!("{}_{}", self.table, self.name);
        let table = self.table;
        // Nested IFs: PL/pgSQL does not promise to stop at the first false
        // operand, and OLD or NEW is NULL for an insert or a delete.
        vec![
            format!(
                "CREATE FUNCTION {t}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 IF TG_OP = 'UPDATE' THEN IF {} THEN RETURN NULL; END IF; END IF; \
                 IF TG_OP <> 'INSERT' THEN IF {} THEN {} END IF; END IF; \
                 IF TG_OP <> 'DELETE' THEN IF {} THEN {} END IF; END IF; \
                 RETURN NULL; END $$",
                self.unchanged(),
                on(self.counts, "OLD"),
                self.take("OLD", "TRUE"),
                on(self.counts, "NEW"),
                self.add("NEW", "")
            ),
            format!(
                "CREATE TRIGGER {t} AFTER INSERT OR UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION {t}()"
            ),
        ]
    }

    fn backfill(&self) -> String {
        // PostgreSQL refuses a constant in GROUP BY: group by what varies.
        let varying: Vec<String> = self
            .key
            .iter()
            .filter(|(_, e)| e.contains("R."))
            .map(|(_, e)| (*e).to_owned())
            .collect();
        format!(
            "INSERT INTO {} ({}, n, total) SELECT {}, COUNT(*), SUM({}) FROM {} R \
             WHERE {} GROUP BY {}",
            self.sums,
            self.columns(),
            self.values("R"),
            self.amount,
            self.table,
            self.counts,
            varying.join(", ")
        )
    }

    /// Fills the sums from the rows there are and installs the triggers.
    pub async fn install(&self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        db.execute_unprepared(&self.backfill()).await?;
        let triggers = match db.get_database_backend() {
            DbBackend::Sqlite => self.sqlite(),
            _ => self.postgres(),
        };
        for sql in triggers {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
