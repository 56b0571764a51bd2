//! The last TOTP time step each account used, so a code seen once (over
//! a shoulder, in a second session) cannot be used again in its window.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "CREATE TABLE totp_steps (\
                   principal_kind VARCHAR(32) NOT NULL, \
                   principal_id BIGINT NOT NULL, \
                   last_step BIGINT NOT NULL, \
                   PRIMARY KEY (principal_kind, principal_id))",
            )
            .await
            .map(drop)
    }
}
