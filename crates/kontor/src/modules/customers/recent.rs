//! The customers each staff member opened last (for the dashboard).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, Statement};

use super::model::CustomerId;
use crate::modules::staff::model::StaffId;

/// Notes that the staff member opened the customer now.
pub async fn record_view(
    db: &impl ConnectionTrait,
    staff: StaffId,
    customer: CustomerId,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        kernel::db::sql(
            backend,
            "INSERT INTO recent_customers (staff_id, customer_id, viewed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (staff_id, customer_id) DO UPDATE SET viewed_at = excluded.viewed_at",
        ),
        [staff.0.into(), customer.0.into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// The customers the staff member opened last, the latest first: id and
/// company; at most `limit`.
pub async fn recent(
    db: &impl ConnectionTrait,
    staff: StaffId,
    limit: u64,
) -> Result<Vec<(i64, String)>, DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            kernel::db::sql(
                backend,
                "SELECT c.id, c.company FROM recent_customers r JOIN customers c ON c.id = r.customer_id \
                 WHERE r.staff_id = $1 ORDER BY r.viewed_at DESC LIMIT $2",
            ),
            [staff.0.into(), i64::try_from(limit).unwrap_or(5).into()],
        ))
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("", "id")?, row.try_get("", "company")?)))
        .collect()
}
