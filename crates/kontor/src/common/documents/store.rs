//! One repository for every document type: the header columns all types
//! share and their item lines, in the kind's own tables. A type's own
//! columns travel beside them (`extra`), so a document is still read and
//! written in one statement. Amounts cross this boundary as minor units.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::money::{from_minor, minor_digits};
use sea_orm::{
    ConnectionTrait, DbErr, QueryResult, Value,
    sea_query::{Alias, Asterisk, Cond, Expr, ExprTrait, Func, Order, Query, SelectStatement},
};

use super::{
    body::DocumentBody,
    kind::{DRAFT, DocumentKind},
};
use crate::common::{
    filter::{CustomerSet, DocumentFilter, StatusKey},
    ids::{CustomerId, StaffId},
    lines::{StoredAmounts, discount},
};

fn name(n: &'static str) -> Alias {
    Alias::new(n)
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

/// A type's own columns and their values, written with the header.
pub type Extra = Vec<(&'static str, Value)>;

/// The header columns a draft's body fills.
fn body_columns(kind: &DocumentKind, d: &DocumentBody, now: DateTime<Utc>) -> Result<Extra, DbErr> {
    let a = StoredAmounts::of(d)?;
    let mut columns: Extra = vec![
        ("date", iso(d.date).into()),
        ("currency", d.currency.clone().into()),
        ("discount_percent_bp", a.discount_percent_bp.into()),
        ("discount_amount", a.discount_amount.into()),
        ("discount_after_tax", d.discount_after_tax.into()),
        ("adjustment", a.adjustment.into()),
        ("subtotal", a.subtotal.into()),
        ("discount_total", a.discount_total.into()),
        ("tax_total", a.tax_total.into()),
        ("total", a.total.into()),
        ("client_note", d.client_note.clone().into()),
        ("terms", d.terms.clone().into()),
        ("updated_at", now.into()),
    ];
    if let Some(due) = kind.due_column {
        columns.push((due, d.due_date.map(iso).into()));
    }
    if kind.sales_agent {
        columns.push(("sales_agent_id", d.sales_agent_id.map(|s| s.0).into()));
    }
    Ok(columns)
}

/// A new draft with its lines; its id.
pub async fn insert(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    customer: CustomerId,
    d: &DocumentBody,
    by: StaffId,
    extra: Extra,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let mut columns: Extra = vec![
        ("customer_id", customer.0.into()),
        ("status", DRAFT.into()),
        ("created_by", by.0.into()),
        ("created_at", now.into()),
    ];
    columns.extend(body_columns(kind, d, now)?);
    columns.extend(extra);
    let (names, values): (Vec<_>, Vec<_>) = columns
        .into_iter()
        .map(|(n, v)| (name(n), Expr::val(v)))
        .unzip();
    let mut insert = Query::insert();
    insert
        .into_table(name(kind.table))
        .columns(names)
        .values(values)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .returning_col(name("id"));
    let row = db
        .query_one(&insert)
        .await?
        .ok_or_else(|| DbErr::RecordNotInserted)?;
    let id = row.try_get::<i64>("", "id")?;
    kind.lines.replace(db, id, d, now).await?;
    Ok(id)
}

/// Replaces a draft's body and lines; 0 when it is no draft (any more).
pub async fn update_draft(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    id: i64,
    d: &DocumentBody,
    extra: Extra,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut columns = body_columns(kind, d, now)?;
    columns.extend(extra);
    let changed = set_where(
        db,
        kind,
        id,
        columns,
        Some(Expr::col(name("status")).eq(DRAFT)),
    )
    .await?;
    if changed > 0 {
        kind.lines.replace(db, id, d, now).await?;
    }
    Ok(changed)
}

/// Sets columns of one document, where `only` holds; the rows changed.
pub async fn set_where(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    id: i64,
    columns: Extra,
    only: Option<Expr>,
) -> Result<u64, DbErr> {
    let mut update = Query::update();
    update
        .table(name(kind.table))
        .values(columns.into_iter().map(|(n, v)| (name(n), Expr::val(v))))
        .and_where(Expr::col(name("id")).eq(id));
    if let Some(condition) = only {
        update.and_where(condition);
    }
    Ok(db.execute(&update).await?.rows_affected())
}

/// Only documents that are not drafts.
pub fn issued_only() -> Expr {
    Expr::col(name("status")).ne(DRAFT)
}

/// The header of a document as every type has it.
#[derive(Clone, Debug)]
pub struct Head {
    pub id: i64,
    pub number: Option<String>,
    pub customer_id: CustomerId,
    pub status: String,
    pub body: DocumentBody,
    pub created_by: StaffId,
    pub issued_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
}

fn date_of(row: &QueryResult, column: &str) -> Result<Option<NaiveDate>, DbErr> {
    Ok(row
        .try_get::<Option<String>>("", column)?
        .as_deref()
        .map(parse_date))
}

/// The document with its lines, and its row for the type's own columns.
pub async fn find(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    id: i64,
) -> Result<Option<(Head, QueryResult)>, DbErr> {
    let mut select = Query::select();
    select
        .column(Asterisk)
        .from(name(kind.table))
        .and_where(Expr::col(name("id")).eq(id));
    let Some(row) = db.query_one(&select).await? else {
        return Ok(None);
    };
    let currency: String = row.try_get("", "currency")?;
    let digits = minor_digits(&currency);
    let items = kind.lines.load(db, id, digits).await?;
    let head = Head {
        id,
        number: row.try_get("", "number")?,
        customer_id: CustomerId(row.try_get("", "customer_id")?),
        status: row.try_get("", "status")?,
        body: DocumentBody {
            date: date_of(&row, "date")?.unwrap_or_default(),
            due_date: match kind.due_column {
                Some(due) => date_of(&row, due)?,
                None => None,
            },
            items,
            discount: discount(
                row.try_get("", "discount_percent_bp")?,
                row.try_get("", "discount_amount")?,
                digits,
            ),
            discount_after_tax: row.try_get("", "discount_after_tax")?,
            adjustment: from_minor(row.try_get("", "adjustment")?, digits),
            client_note: row.try_get("", "client_note")?,
            terms: row.try_get("", "terms")?,
            sales_agent_id: if kind.sales_agent {
                row.try_get::<Option<i64>>("", "sales_agent_id")?
                    .map(StaffId)
            } else {
                None
            },
            currency,
        },
        created_by: StaffId(row.try_get("", "created_by")?),
        issued_at: row.try_get("", "issued_at")?,
        sent_at: row.try_get("", "sent_at")?,
    };
    Ok(Some((head, row)))
}

/// A line of a document list, with its row for the type's own columns.
#[derive(Clone, Debug)]
pub struct Listed {
    pub id: i64,
    pub customer_id: i64,
    pub number: Option<String>,
    pub status: String,
    pub date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub currency: String,
    pub total_minor: i64,
}

/// Which documents a list covers.
pub struct Among<'a, S> {
    pub customers: &'a CustomerSet,
    pub filter: &'a DocumentFilter<S>,
    /// Only those this staff member created or is the agent of.
    pub own: Option<StaffId>,
}

fn condition<S: StatusKey>(kind: &DocumentKind, among: &Among<'_, S>) -> Cond {
    let mut c = match among.customers {
        CustomerSet::One(id) => Cond::all().add(Expr::col(name("customer_id")).eq(*id)),
        CustomerSet::Among(ids) => {
            Cond::all().add(Expr::col(name("customer_id")).is_in(ids.iter().copied()))
        }
        CustomerSet::All => Cond::all(),
    };
    if let Some(s) = among.filter.status {
        c = c.add(Expr::col(name("status")).eq(s.as_key()));
    }
    // ISO dates order as text.
    if let Some(from) = among.filter.from {
        c = c.add(Expr::col(name("date")).gte(iso(from)));
    }
    if let Some(to) = among.filter.to {
        c = c.add(Expr::col(name("date")).lte(iso(to)));
    }
    if let Some(me) = among.own {
        let mine = kind.own_columns().iter().fold(Cond::any(), |any, column| {
            any.add(Expr::col(name(column)).eq(me.0))
        });
        c = c.add(mine);
    }
    c
}

fn listed(kind: &DocumentKind, row: &QueryResult) -> Result<Listed, DbErr> {
    Ok(Listed {
        id: row.try_get("", "id")?,
        customer_id: row.try_get("", "customer_id")?,
        number: row.try_get("", "number")?,
        status: row.try_get("", "status")?,
        date: date_of(row, "date")?.unwrap_or_default(),
        due_date: match kind.due_column {
            Some(due) => date_of(row, due)?,
            None => None,
        },
        currency: row.try_get("", "currency")?,
        total_minor: row.try_get("", "total")?,
    })
}

fn newest_first(select: &mut SelectStatement) {
    select
        .order_by(name("date"), Order::Desc)
        .order_by(name("id"), Order::Desc);
}

/// The documents of the list, newest first, each with its row; a page of
/// them when `page` is `(page, per_page)`.
pub async fn list<S: StatusKey>(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    among: &Among<'_, S>,
    page: Option<(u64, u64)>,
) -> Result<Vec<(Listed, QueryResult)>, DbErr> {
    let mut select = Query::select();
    select
        .column(Asterisk)
        .from(name(kind.table))
        .cond_where(condition(kind, among));
    newest_first(&mut select);
    if let Some((page, per_page)) = page {
        select
            .offset((page.clamp(1, kernel::web::MAX_PAGE) - 1) * per_page)
            .limit(per_page);
    }
    db.query_all(&select)
        .await?
        .into_iter()
        .map(|row| Ok((listed(kind, &row)?, row)))
        .collect()
}

/// How many documents the list covers, and the sums of their totals per
/// currency (the withdrawn ones' aside).
pub async fn count_and_sums<S: StatusKey>(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    among: &Among<'_, S>,
) -> Result<(u64, Sums), DbErr> {
    // Across every customer the database's kept day sums answer; a
    // customer's own documents are few enough to count.
    let everything = matches!(among.customers, CustomerSet::All) && among.own.is_none();
    let (table, n) = if everything {
        (kind.day_totals, Expr::from(Func::sum(Expr::col(name("n")))))
    } else {
        (kind.table, Expr::from(Func::count(Expr::col(Asterisk))))
    };
    let mut select = Query::select();
    select
        .column(name("currency"))
        .expr_as(Func::cast_as(n, name("BIGINT")), name("n"))
        .expr_as(
            Func::cast_as(
                Func::coalesce([
                    Expr::from(Func::sum(
                        Expr::case(Expr::col(name("status")).eq(kind.void_status), 0)
                            .finally(Expr::col(name("total"))),
                    )),
                    Expr::val(0),
                ]),
                name("BIGINT"),
            ),
            name("total"),
        )
        .from(name(table))
        .cond_where(condition(kind, among))
        .group_by_col(name("currency"))
        .order_by(name("currency"), Order::Asc);
    let mut count = 0;
    let mut sums = Sums::new();
    for row in db.query_all(&select).await? {
        let n: i64 = row.try_get("", "n")?;
        count += u64::try_from(n).unwrap_or(0);
        sums.push((row.try_get("", "currency")?, row.try_get("", "total")?));
    }
    Ok((count, sums))
}

/// Sums of document totals (minor units) per currency, by currency.
pub type Sums = Vec<(String, i64)>;

/// The sums per currency of listed documents (the withdrawn ones' aside).
pub fn sums_of<'a>(kind: &DocumentKind, listed: impl Iterator<Item = &'a Listed>) -> Sums {
    let mut sums: std::collections::BTreeMap<&str, i64> = Default::default();
    for l in listed {
        let sum = sums.entry(l.currency.as_str()).or_default();
        if l.status != kind.void_status {
            *sum += l.total_minor;
        }
    }
    sums.into_iter().map(|(c, s)| (c.to_string(), s)).collect()
}

/// Whether the customer has any document of the kind, draft or issued.
pub async fn any_of_customer(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    customer: CustomerId,
) -> Result<bool, DbErr> {
    let mut select = Query::select();
    select
        .column(name("id"))
        .from(name(kind.table))
        .and_where(Expr::col(name("customer_id")).eq(customer.0))
        .limit(1);
    Ok(db.query_one(&select).await?.is_some())
}

/// Deletes a draft with its lines; 0 when it is no draft.
pub async fn delete_draft(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    id: i64,
) -> Result<u64, DbErr> {
    let mut delete = Query::delete();
    delete
        .from_table(name(kind.table))
        .and_where(Expr::col(name("id")).eq(id))
        .and_where(Expr::col(name("status")).eq(DRAFT));
    Ok(db.execute(&delete).await?.rows_affected())
}

/// Turns a draft into an issued document with its number (and the type's
/// own columns); 0 when it was no draft any more (issued meanwhile).
pub async fn mark_issued(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    id: i64,
    number: &str,
    extra: Extra,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut columns: Extra = vec![
        ("number", number.into()),
        ("status", kind.issued_status.into()),
        ("issued_at", now.into()),
        ("updated_at", now.into()),
    ];
    columns.extend(extra);
    set_where(
        db,
        kind,
        id,
        columns,
        Some(Expr::col(name("status")).eq(DRAFT)),
    )
    .await
}

/// Records that the issued document went to the customer.
pub async fn set_sent(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    id: i64,
    at: DateTime<Utc>,
) -> Result<u64, DbErr> {
    set_where(
        db,
        kind,
        id,
        vec![("sent_at", at.into()), ("updated_at", at.into())],
        Some(issued_only()),
    )
    .await
}

/// Takes the document's row lock until the transaction ends, so changes
/// to what is paid or used on it run one after the other. SQLite
/// serialises writers anyway; the update there takes its write lock early.
pub async fn lock(db: &impl ConnectionTrait, kind: &DocumentKind, id: i64) -> Result<(), DbErr> {
    let mut update = Query::update();
    update
        .table(name(kind.table))
        .value(name("updated_at"), Expr::col(name("updated_at")))
        .and_where(Expr::col(name("id")).eq(id));
    db.execute(&update).await?;
    Ok(())
}

/// The record the document was made from (an invoice of an estimate), as
/// its kind and id.
pub async fn source(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    id: i64,
) -> Result<Option<(String, i64)>, DbErr> {
    let mut select = Query::select();
    select
        .columns([name("source_kind"), name("source_id")])
        .from(name(kind.table))
        .and_where(Expr::col(name("id")).eq(id));
    let Some(row) = db.query_one(&select).await? else {
        return Ok(None);
    };
    let kind: Option<String> = row.try_get("", "source_kind")?;
    let id: Option<i64> = row.try_get("", "source_id")?;
    Ok(kind.zip(id))
}

/// The columns naming the record a new document is made from.
pub fn source_columns(kind: &DocumentKind, id: i64) -> Extra {
    vec![("source_kind", kind.key.into()), ("source_id", id.into())]
}
