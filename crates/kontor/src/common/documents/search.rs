//! Finding documents for the global search: by the start of their number,
//! or as the documents of customers whose name matched, in one query per
//! document type.

use std::collections::HashMap;

use kernel::db::sql;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, Statement, Value};

use super::kind::DocumentKind;
use crate::common::{filter::CustomerSet, ids::StaffId, search::Hit};

/// What the search shows of a document found.
#[derive(Debug, FromQueryResult)]
pub struct Found {
    pub id: i64,
    pub number: Option<String>,
    pub customer_id: i64,
    pub date: String,
    pub currency: String,
    pub total: i64,
}

/// What to look for, and among what.
pub struct Wanted<'a> {
    /// The start of the number, as typed.
    pub number: &'a str,
    /// Customers whose name matched: all their documents count.
    pub named: &'a [i64],
    /// The customers the actor sees.
    pub customers: &'a CustomerSet,
    /// Only documents the actor created or is the agent of ("view own").
    pub own: Option<StaffId>,
    pub limit: u64,
}

/// The smallest string after every string that starts with `prefix`
/// (`RE-2026` → `RE-2027`), the end of a range an index serves.
fn after_prefix(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(u32::from(last) + 1) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// The newest documents that match, at most `limit`.
pub async fn find(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    wanted: &Wanted<'_>,
) -> Result<Vec<Found>, DbErr> {
    let backend = db.get_database_backend();
    let number = wanted.number.trim();
    let mut values: Vec<Value> = Vec::new();
    let next = |values: &mut Vec<Value>, v: Value| {
        values.push(v);
        format!("${}", values.len())
    };
    let mut either = Vec::new();
    if let Some(end) = after_prefix(number).filter(|_| !number.is_empty()) {
        let column = if backend == DbBackend::Postgres {
            "number COLLATE \"C\""
        } else {
            "number"
        };
        let from = next(&mut values, number.into());
        let to = next(&mut values, end.into());
        either.push(format!("({column} >= {from} AND {column} < {to})"));
    }
    if !wanted.named.is_empty() {
        let ids: Vec<String> = wanted
            .named
            .iter()
            .map(|id| next(&mut values, (*id).into()))
            .collect();
        either.push(format!("customer_id IN ({})", ids.join(", ")));
    }
    if either.is_empty() {
        return Ok(Vec::new());
    }
    let mut conditions = vec![
        "number IS NOT NULL".to_string(),
        format!("({})", either.join(" OR ")),
    ];
    match wanted.customers {
        CustomerSet::All => {}
        CustomerSet::One(id) => {
            let id = next(&mut values, (*id).into());
            conditions.push(format!("customer_id = {id}"));
        }
        CustomerSet::Among(ids) if ids.is_empty() => return Ok(Vec::new()),
        CustomerSet::Among(ids) => {
            let ids: Vec<String> = ids
                .iter()
                .map(|id| next(&mut values, (*id).into()))
                .collect();
            conditions.push(format!("customer_id IN ({})", ids.join(", ")));
        }
    }
    if let Some(me) = wanted.own {
        let mine: Vec<String> = kind
            .own_columns()
            .iter()
            .map(|c| format!("{c} = {}", next(&mut values, me.0.into())))
            .collect();
        conditions.push(format!("({})", mine.join(" OR ")));
    }
    let limit = next(
        &mut values,
        i64::try_from(wanted.limit).unwrap_or(20).into(),
    );
    // The table name is the kind's own constant, never input.
    let text = format!(
        "SELECT id, number, customer_id, date, currency, total FROM {} WHERE {} \
         ORDER BY date DESC, id DESC LIMIT {limit}",
        kind.table,
        conditions.join(" AND "),
    );
    Found::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(backend, &text),
        values,
    ))
    .all(db)
    .await
}

impl Found {
    /// The hit: number, then customer, date and total; `path` is where the
    /// document's pages live (`/invoices`).
    pub fn hit(self, path: &str, companies: &HashMap<i64, String>) -> Hit {
        let total = kernel::money::to_api(
            kernel::money::from_minor(self.total, kernel::money::minor_digits(&self.currency)),
            kernel::money::minor_digits(&self.currency),
        );
        let company = companies
            .get(&self.customer_id)
            .cloned()
            .unwrap_or_default();
        Hit {
            id: self.id,
            url: format!("{path}/{}", self.id),
            title: self.number.unwrap_or_default(),
            detail: [company, self.date, format!("{total} {}", self.currency)]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::after_prefix;

    #[test]
    fn a_prefix_range_ends_after_every_string_it_starts() {
        assert_eq!(after_prefix("RE-2026").as_deref(), Some("RE-2027"));
        assert_eq!(after_prefix("GS-").as_deref(), Some("GS."));
        assert_eq!(after_prefix("").as_deref(), None);
    }
}
