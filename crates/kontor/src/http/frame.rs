//! The frame of every customer tab (`components/overview.html`): the
//! header with the customer's name, status, key figures and primary
//! contact, and the tab menu. The customers module loads it; the tabs of
//! every module render inside it.

use crate::common::ids::CustomerId;

/// What the header shows of the customer.
pub struct Header {
    pub id: CustomerId,
    pub company: String,
    pub number: String,
    pub active: bool,
    pub groups: Vec<String>,
    /// The currency every document of the customer is in.
    pub currency: String,
}

pub struct TabLink {
    pub href: String,
    pub label: String,
    pub active: bool,
}

/// A key figure as shown: its element id, label and formatted value.
pub struct Shown {
    pub id: &'static str,
    pub label: String,
    pub value: String,
}

pub struct Overview {
    pub customer: Header,
    pub tabs: Vec<TabLink>,
    /// The key figures of the modules, those the actor may see.
    pub figures: Vec<Shown>,
    pub primary_contact: Option<(String, String)>,
    pub can_edit: bool,
    pub can_delete: bool,
}
