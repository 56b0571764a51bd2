//! A reference to any record, so notes, activity and change history attach
//! to customers, contacts and (later) documents through one shape.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct EntityRef {
    pub kind: &'static str,
    pub id: i64,
}

impl EntityRef {
    pub const fn new(kind: &'static str, id: i64) -> Self {
        Self { kind, id }
    }
}
