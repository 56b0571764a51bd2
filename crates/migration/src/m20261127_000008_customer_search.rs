//! An index for the customers search, which looks for a substring anywhere
//! in `search_text`: a trigram full-text table on SQLite (kept in step by
//! the customers repository), a trigram GIN index on PostgreSQL.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match m.get_database_backend() {
            DbBackend::Sqlite => {
                db.execute_unprepared("CREATE VIRTUAL TABLE customer_search USING fts5(search_text, tokenize = 'trigram')")
                    .await?;
                db.execute_unprepared("INSERT INTO customer_search (rowid, search_text) SELECT id, search_text FROM customers")
                    .await?;
            }
            _ => {
                db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                    .await?;
                db.execute_unprepared("CREATE INDEX customers_search_trgm ON customers USING gin (search_text gin_trgm_ops)")
                    .await?;
            }
        }
        Ok(())
    }
}
