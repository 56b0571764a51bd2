//! Building blocks every table shares.

use sea_orm_migration::{prelude::*, schema::*};

/// A table with `id` (i64), `created_at` and `updated_at` (UTC).
pub fn table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(big_pk_auto("id"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .take()
}

/// A required reference to another table's `id`.
pub fn reference(column: &'static str) -> ColumnDef {
    big_integer(column)
}

pub fn fk(
    from_table: &'static str,
    column: &'static str,
    to_table: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, column)
        .to(to_table, "id")
        .on_delete(on_delete)
        .take()
}

pub fn index(
    table: &'static str,
    name: &'static str,
    columns: &[&'static str],
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for c in columns {
        index.col(*c);
    }
    index
}

/// The columns every business document starts with (its header and the
/// body's sums), up to its due column's name `due` and its sales agent.
pub fn document_head<'a>(
    t: &'a mut TableCreateStatement,
    due: &'static str,
) -> &'a mut TableCreateStatement {
    t.col(reference("customer_id"))
        .col(string_null("number").unique_key())
        .col(string("status"))
        .col(string("date"))
        .col(string_null(due))
        .col(string("currency"))
        .col(integer_null("discount_percent_bp"))
        .col(big_integer_null("discount_amount"))
        .col(boolean("discount_after_tax").default(false))
        .col(big_integer("adjustment").default(0))
        .col(big_integer("subtotal").default(0))
        .col(big_integer("discount_total").default(0))
        .col(big_integer("tax_total").default(0))
        .col(big_integer("total").default(0))
        .col(text("client_note").default(""))
        .col(text("terms").default(""))
        .col(big_integer_null("sales_agent_id"))
}

/// The columns every business document ends with: the one it was made
/// from, who created it, when it was issued and sent.
pub fn document_tail(t: &mut TableCreateStatement) -> &mut TableCreateStatement {
    t.col(string_null("source_kind"))
        .col(big_integer_null("source_id"))
        .col(big_integer("created_by"))
        .col(timestamp_with_time_zone_null("issued_at"))
        .col(timestamp_with_time_zone_null("sent_at"))
}

/// What the customer's answer on a secret link leaves on the document:
/// who accepted, when, from where, the drawn signature (a storage key), or
/// the reason of a decline; `answered_by` is the staff member who recorded
/// an answer given another way (by phone).
pub fn answer_columns(t: &mut TableCreateStatement) -> &mut TableCreateStatement {
    t.col(string("public_token").unique_key())
        .col(string("public_token_hash").unique_key())
        .col(string_null("accepted_name"))
        .col(string_null("accepted_email"))
        .col(timestamp_with_time_zone_null("accepted_at"))
        .col(string_null("accepted_ip"))
        .col(text_null("accepted_user_agent"))
        .col(string_null("signature_key"))
        .col(timestamp_with_time_zone_null("declined_at"))
        .col(text_null("decline_reason"))
        .col(big_integer_null("answered_by"))
        .col(timestamp_with_time_zone_null("reminded_at"))
}

/// A document's item lines, `{key}_items` referring to `{key}s`, with
/// their index.
pub fn document_items(
    items: &'static str,
    column: &'static str,
    documents: &'static str,
) -> TableCreateStatement {
    table(items)
        .col(reference(column))
        .col(integer("position"))
        .col(text("description"))
        .col(text("long_description").default(""))
        .col(big_integer("quantity_milli"))
        .col(string("unit").default(""))
        .col(big_integer("rate"))
        .col(integer_null("tax1_bp"))
        .col(integer_null("tax2_bp"))
        .col(big_integer("net"))
        .foreign_key(&mut fk(items, column, documents, ForeignKeyAction::Cascade))
        .take()
}
