//! The count and sum of each kind of statement movement per customer and
//! day, so that a statement of tens of thousands of movements finds where
//! each page starts from a few hundred rows instead of summing every
//! movement on every page.
//!
//! Triggers keep the table in step with its five sources inside the very
//! transaction that changes a source row, whatever code (or a restore)
//! writes it: a sum maintained by each write path of three modules would
//! drift the first time one of them forgot. Updates that change neither
//! customer, day, amount nor whether the row counts leave the table
//! untouched, so marking an invoice paid takes no lock here.

use sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A source of movements: its table, the movement kind, the amount column
/// and the condition (on row `R`) under which a row is a movement.
struct Source {
    table: &'static str,
    kind: &'static str,
    amount: &'static str,
    counts: &'static str,
}

const SOURCES: [Source; 5] = [
    Source {
        table: "invoices",
        kind: "invoice",
        amount: "total",
        counts: "R.status <> 'draft'",
    },
    Source {
        table: "payments",
        kind: "payment",
        amount: "amount",
        counts: "TRUE",
    },
    Source {
        table: "credit_notes",
        kind: "credit_note",
        amount: "total",
        counts: "R.status NOT IN ('draft', 'void')",
    },
    Source {
        table: "credit_applications",
        kind: "credit_applied",
        amount: "amount",
        counts: "TRUE",
    },
    Source {
        table: "credit_refunds",
        kind: "refund",
        amount: "amount",
        counts: "TRUE",
    },
];

impl Source {
    fn counts(&self, row: &str) -> String {
        self.counts.replace("R.", &format!("{row}."))
    }

    /// Takes row `row` off its day (if `when`, an SQL condition, holds).
    fn take(&self, row: &str, when: &str) -> String {
        let Self { kind, amount, .. } = self;
        format!(
            "UPDATE statement_days SET n = n - 1, total = total - {row}.{amount} \
             WHERE customer_id = {row}.customer_id AND date = {row}.date AND kind = '{kind}' \
             AND {when}; \
             DELETE FROM statement_days WHERE customer_id = {row}.customer_id \
             AND date = {row}.date AND kind = '{kind}' AND n = 0;"
        )
    }

    /// Adds row `row` to its day; `filter` ends the SELECT (SQLite needs a
    /// WHERE there to read ON CONFLICT as the upsert).
    fn add(&self, row: &str, filter: &str) -> String {
        let Self { kind, amount, .. } = self;
        format!(
            "INSERT INTO statement_days (customer_id, date, kind, n, total) \
             SELECT {row}.customer_id, {row}.date, '{kind}', 1, {row}.{amount} {filter} \
             ON CONFLICT (customer_id, date, kind) DO UPDATE \
             SET n = statement_days.n + 1, total = statement_days.total + excluded.total;"
        )
    }

    fn unchanged(&self) -> String {
        let amount = self.amount;
        format!(
            "OLD.customer_id = NEW.customer_id AND OLD.date = NEW.date \
             AND OLD.{amount} = NEW.{amount} AND ({}) = ({})",
            self.counts("OLD"),
            self.counts("NEW")
        )
    }

    fn sqlite(&self) -> Vec<String> {
        let t = self.table;
        let (old, new) = (self.counts("OLD"), self.counts("NEW"));
        vec![
            format!(
                "CREATE TRIGGER {t}_days_insert AFTER INSERT ON {t} WHEN {new} BEGIN {} END",
                self.add("NEW", "WHERE TRUE")
            ),
            format!(
                "CREATE TRIGGER {t}_days_delete AFTER DELETE ON {t} WHEN {old} BEGIN {} END",
                self.take("OLD", "TRUE")
            ),
            format!(
                "CREATE TRIGGER {t}_days_update AFTER UPDATE ON {t} WHEN NOT ({}) BEGIN \
                 {} {} END",
                self.unchanged(),
                self.take("OLD", &format!("({old})")),
                self.add("NEW", &format!("WHERE {new}"))
            ),
        ]
    }

    fn postgres(&self) -> Vec<String> {
        let t = self.table;
        // Nested IFs: PL/pgSQL does not promise to stop at the first false
        // operand, and OLD or NEW is NULL for an insert or a delete.
        vec![
            format!(
                "CREATE FUNCTION {t}_days() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 IF TG_OP = 'UPDATE' THEN IF {} THEN RETURN NULL; END IF; END IF; \
                 IF TG_OP <> 'INSERT' THEN IF {} THEN {} END IF; END IF; \
                 IF TG_OP <> 'DELETE' THEN IF {} THEN {} END IF; END IF; \
                 RETURN NULL; END $$",
                self.unchanged(),
                self.counts("OLD"),
                self.take("OLD", "TRUE"),
                self.counts("NEW"),
                self.add("NEW", "")
            ),
            format!(
                "CREATE TRIGGER {t}_days AFTER INSERT OR UPDATE OR DELETE ON {t} \
                 FOR EACH ROW EXECUTE FUNCTION {t}_days()"
            ),
        ]
    }

    fn backfill(&self) -> String {
        let Self {
            table,
            kind,
            amount,
            ..
        } = self;
        format!(
            "INSERT INTO statement_days (customer_id, date, kind, n, total) \
             SELECT customer_id, date, '{kind}', COUNT(*), SUM({amount}) FROM {table} R \
             WHERE {} GROUP BY customer_id, date",
            self.counts
        )
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("statement_days")
                .col(big_integer("customer_id"))
                .col(string("date"))
                .col(string("kind"))
                .col(big_integer("n"))
                .col(big_integer("total"))
                .primary_key(Index::create().col("customer_id").col("date").col("kind"))
                .foreign_key(
                    ForeignKey::create()
                        .from("statement_days", "customer_id")
                        .to("customers", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        let db = m.get_connection();
        for source in &SOURCES {
            db.execute_unprepared(&source.backfill()).await?;
            let triggers = match db.get_database_backend() {
                DbBackend::Sqlite => source.sqlite(),
                _ => source.postgres(),
            };
            for sql in triggers {
                db.execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }
}
