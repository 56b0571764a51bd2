//! Building blocks every table shares.

use sea_orm_migration::{
    prelude::*,
    schema::{big_integer, big_pk_auto, timestamp_with_time_zone},
};

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
