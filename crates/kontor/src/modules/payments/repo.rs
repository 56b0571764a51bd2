//! Queries on `payments`.

use crate::common::filter::{CustomerSet, InvoiceScope, KeyedSum};
use chrono::{DateTime, NaiveDate, Utc};
use kernel::clock::Clock;
use kernel::{
    db::sql,
    money::{from_minor, minor_digits},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    Statement,
};

use super::model::{Payment, PaymentData, PaymentFilter, PaymentId};
use crate::modules::{
    billing::model::PaymentModeId, customers::model::CustomerId, invoices::model::InvoiceId,
    staff::model::StaffId,
};

pub mod payments {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "payments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub invoice_id: i64,
        pub customer_id: i64,
        pub amount: i64,
        pub date: String,
        pub payment_mode_id: Option<i64>,
        pub transaction_id: String,
        pub note: String,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    invoice_id: i64,
    customer_id: i64,
    amount: i64,
    date: String,
    payment_mode_id: Option<i64>,
    transaction_id: String,
    note: String,
    created_by: i64,
    number: Option<String>,
    currency: String,
}

impl Row {
    fn payment(self) -> Payment {
        Payment {
            id: PaymentId(self.id),
            invoice_id: InvoiceId(self.invoice_id),
            customer_id: CustomerId(self.customer_id),
            amount: from_minor(self.amount, minor_digits(&self.currency)),
            date: NaiveDate::parse_from_str(&self.date, "%Y-%m-%d").unwrap_or_default(),
            payment_mode: self.payment_mode_id.map(PaymentModeId),
            transaction_id: self.transaction_id,
            note: self.note,
            created_by: StaffId(self.created_by),
            invoice_number: self.number.unwrap_or_default(),
            currency: self.currency,
        }
    }
}

const SELECT: &str = "SELECT p.id, p.invoice_id, p.customer_id, p.amount, p.date, p.payment_mode_id, \
     p.transaction_id, p.note, p.created_by, i.number, i.currency \
     FROM payments p JOIN invoices i ON i.id = p.invoice_id";

async fn select(
    db: &impl ConnectionTrait,
    condition: &str,
    value: i64,
) -> Result<Vec<Payment>, DbErr> {
    let backend = db.get_database_backend();
    Ok(Row::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            &format!("{SELECT} WHERE {condition} = $1 ORDER BY p.date DESC, p.id DESC"),
        ),
        [value.into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .map(Row::payment)
    .collect())
}

pub async fn find(db: &impl ConnectionTrait, id: PaymentId) -> Result<Option<Payment>, DbErr> {
    Ok(select(db, "p.id", id.0).await?.into_iter().next())
}

pub async fn of_invoice(db: &impl ConnectionTrait, id: InvoiceId) -> Result<Vec<Payment>, DbErr> {
    select(db, "p.invoice_id", id.0).await
}

/// The WHERE clause of a payments list with its bound values (`$1`...;
/// the placeholders are generated, the values never spliced). Only the
/// filters in use are in it, so the database plans one query per
/// combination rather than one for every case.
fn customer_condition(
    customers: &CustomerSet,
    filter: &PaymentFilter,
) -> (String, Vec<sea_orm::Value>) {
    let mut values = Vec::new();
    let mut condition = customers.sql("p.customer_id", &mut values);
    let mut add = |clause: &str, value: sea_orm::Value| {
        values.push(value);
        condition.push_str(&format!(" AND {clause} ${}", values.len()));
    };
    if let Some(from) = filter.from {
        add("p.date >=", from.format("%Y-%m-%d").to_string().into());
    }
    if let Some(to) = filter.to {
        add("p.date <=", to.format("%Y-%m-%d").to_string().into());
    }
    if let Some(mode) = filter.mode {
        add("p.payment_mode_id =", mode.0.into());
    }
    (condition, values)
}

/// The customer's payments, newest first, within the filter.
pub async fn of_customer(
    db: &impl ConnectionTrait,
    id: CustomerId,
    filter: &PaymentFilter,
) -> Result<Vec<Payment>, DbErr> {
    let backend = db.get_database_backend();
    let (condition, values) = customer_condition(&CustomerSet::One(id.0), filter);
    Ok(Row::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            &format!("{SELECT} WHERE {condition} ORDER BY p.date DESC, p.id DESC"),
        ),
        values,
    ))
    .all(db)
    .await?
    .into_iter()
    .map(Row::payment)
    .collect())
}

#[derive(FromQueryResult)]
struct Sum {
    n: i64,
}

/// The paid sum of an invoice, in minor units.
pub async fn sum_of_invoice(db: &impl ConnectionTrait, id: InvoiceId) -> Result<i64, DbErr> {
    let backend = db.get_database_backend();
    Ok(Sum::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS n FROM payments WHERE invoice_id = $1",
        ),
        [id.0.into()],
    ))
    .one(db)
    .await?
    .map(|s| s.n)
    .unwrap_or(0))
}

fn fill(row: &mut payments::ActiveModel, d: &PaymentData, amount: i64, now: DateTime<Utc>) {
    row.amount = Set(amount);
    row.date = Set(d.date.format("%Y-%m-%d").to_string());
    row.payment_mode_id = Set(d.payment_mode.map(|m| m.0));
    row.transaction_id = Set(d.transaction_id.clone());
    row.note = Set(d.note.clone());
    row.updated_at = Set(now);
}

pub async fn insert(
    db: &impl ConnectionTrait,
    invoice: InvoiceId,
    customer: CustomerId,
    d: &PaymentData,
    amount: i64,
    by: StaffId,
    now: DateTime<Utc>,
) -> Result<PaymentId, DbErr> {
    let mut row = payments::ActiveModel {
        invoice_id: Set(invoice.0),
        customer_id: Set(customer.0),
        created_by: Set(by.0),
        created_at: Set(now),
        ..Default::default()
    };
    fill(&mut row, d, amount, now);
    Ok(PaymentId(row.insert(db).await?.id))
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: PaymentId,
    d: &PaymentData,
    amount: i64,
    clock: &Clock,
) -> Result<(), DbErr> {
    let mut row = payments::ActiveModel {
        id: Set(id.0),
        ..Default::default()
    };
    fill(&mut row, d, amount, clock.now());
    row.update(db).await?;
    Ok(())
}

pub async fn delete(db: &impl ConnectionTrait, id: PaymentId) -> Result<(), DbErr> {
    payments::Entity::delete_by_id(id.0).exec(db).await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct CountSum {
    currency: String,
    n: i64,
    total: i64,
}

/// One page of the customers' payments within the filter, newest first,
/// with the count of all of them and their sums per currency (minor
/// units); `own` keeps those on invoices that staff member created or is
/// the sales agent of.
pub async fn page_of_customer(
    db: &impl ConnectionTrait,
    customers: &CustomerSet,
    filter: &PaymentFilter,
    own: Option<StaffId>,
    page: u64,
    per_page: u64,
) -> Result<(Vec<Payment>, u64, Vec<(String, i64)>), DbErr> {
    let backend = db.get_database_backend();
    let (mut condition, mut values) = customer_condition(customers, filter);
    if let Some(me) = own {
        values.push(me.0.into());
        let n = values.len();
        condition.push_str(&format!(
            " AND (i.created_by = ${n} OR i.sales_agent_id = ${n})"
        ));
    }
    let next = values.len();
    let mut paged = values.clone();
    paged.push(i64::try_from(per_page).unwrap_or(50).into());
    paged.push(
        i64::try_from((page.clamp(1, kernel::web::MAX_PAGE) - 1) * per_page)
            .unwrap_or(0)
            .into(),
    );
    let rows = Row::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            &format!(
                "{SELECT} WHERE {condition} ORDER BY p.date DESC, p.id DESC LIMIT ${} OFFSET ${}",
                next + 1,
                next + 2
            ),
        ),
        paged,
    ))
    .all(db);
    let totals = CountSum::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            &format!(
                "SELECT i.currency, CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(p.amount) AS BIGINT) AS total \
                 FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE {condition} \
                 GROUP BY i.currency ORDER BY i.currency"
            ),
        ),
        values,
    ))
    .all(db);
    let (rows, totals) = futures::try_join!(rows, totals)?;
    let rows = rows.into_iter().map(Row::payment).collect();
    let n = totals.iter().map(|t| t.n).sum::<i64>();
    let sums = totals.into_iter().map(|t| (t.currency, t.total)).collect();
    Ok((rows, u64::try_from(n).unwrap_or(0), sums))
}

/// What came in during the month (`2026-12`, from its first day
/// `first`) on the invoices in scope, per currency.
pub async fn month_sums(
    db: &impl ConnectionTrait,
    scope: &InvoiceScope,
    month: &str,
    first: &str,
) -> Result<Vec<KeyedSum>, DbErr> {
    let backend = db.get_database_backend();
    let (query, values) = if scope.is_everything() {
        (
            "SELECT currency, month AS key, n, total FROM payment_month_totals WHERE month = $1"
                .to_string(),
            vec![month.into()],
        )
    } else {
        let mut values: Vec<sea_orm::Value> = vec![first.into()];
        let condition = scope.sql("i", &mut values);
        (
            format!(
                "SELECT i.currency, SUBSTR(p.date, 1, 7) AS key, CAST(1 AS BIGINT) AS n, p.amount AS total \
                 FROM payments p JOIN invoices i ON i.id = p.invoice_id \
                 WHERE p.date >= $1 AND {condition}"
            ),
            values,
        )
    };
    KeyedSum::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(backend, &query),
        values,
    ))
    .all(db)
    .await
}

/// The latest payments on invoices in scope, at most `limit`.
pub async fn latest(
    db: &impl ConnectionTrait,
    scope: &InvoiceScope,
    limit: u64,
) -> Result<Vec<Payment>, DbErr> {
    let backend = db.get_database_backend();
    let mut values = Vec::new();
    let condition = scope.sql("i", &mut values);
    values.push(i64::try_from(limit).unwrap_or(5).into());
    let query = format!(
        "{SELECT} WHERE {condition} ORDER BY p.date DESC, p.id DESC LIMIT ${}",
        values.len()
    );
    Ok(Row::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(backend, &query),
        values,
    ))
    .all(db)
    .await?
    .into_iter()
    .map(Row::payment)
    .collect())
}
