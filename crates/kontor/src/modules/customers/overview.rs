//! The frame of every customer tab: header with name, status and key
//! figures, and the tab menu built from the module descriptors.

use kernel::AppResult;
use kernel::clock::Clock;
use sea_orm::DatabaseConnection;

use super::{
    model::{Customer, CustomerId},
    service,
};
use crate::{
    http::{ctx::Ctx, identity::SignedIn},
    modules::{
        contacts::service as contacts, credit_notes::service as credit_notes, customer_tabs,
        invoices::service as invoices,
    },
    policy::{self, Action},
};

pub struct TabLink {
    pub href: String,
    pub label: String,
    pub active: bool,
}

pub struct Overview {
    pub customer: Customer,
    pub tabs: Vec<TabLink>,
    pub primary_contact: Option<(String, String)>,
    pub contact_count: u64,
    pub can_edit: bool,
    pub can_delete: bool,
    /// Outstanding and overdue amounts, formatted, for staff who see all invoices.
    pub open_amounts: Option<(String, String)>,
    /// Unused credit on open credit notes, for staff who see all of them.
    pub credits_available: Option<String>,
}

impl Overview {
    pub fn href(&self, tab: &str) -> String {
        if tab.is_empty() {
            format!("/customers/{}", self.customer.id.0)
        } else {
            format!("/customers/{}/{tab}", self.customer.id.0)
        }
    }
}

/// Loads the frame for `active_tab` (its key in the module descriptor); 404
/// when the actor may not see the customer.
pub async fn load(
    db: &DatabaseConnection,
    c: &Ctx,
    me: &SignedIn,
    id: CustomerId,
    active_tab: &str,
    clock: &Clock,
) -> AppResult<Overview> {
    let today = clock.today();
    let ids = [id];
    // One round trip's time instead of five: the figures are only shown
    // once `get` has allowed the customer, and its answer (a 404 outside
    // the actor's scope) comes before any other error.
    let (customer, primaries, open_amounts, credits, contact_count) = futures::join!(
        service::get(db, &me.actor, id),
        contacts::primary_of(db, &ids),
        invoices::open_amounts(db, &me.actor, id, today),
        credit_notes::available(db, &me.actor, id),
        contacts::count_of(db, id),
    );
    let customer = customer?;
    let (primaries, open_amounts, credits, contact_count) =
        (primaries?, open_amounts?, credits?, contact_count?);
    let base = format!("/customers/{}", id.0);
    let tabs = customer_tabs()
        .into_iter()
        .filter(|t| t.module.is_none_or(|m| policy::may_see_some(&me.actor, m)))
        .map(|t| TabLink {
            href: if t.key.is_empty() {
                base.clone()
            } else {
                format!("{base}/{}", t.key)
            },
            label: c.t(t.label_key),
            active: t.key == active_tab,
        })
        .collect();
    let digits = kernel::money::minor_digits(&customer.currency);
    let show = |minor| {
        c.amount(
            &kernel::money::from_minor(minor, digits),
            &customer.currency,
        )
    };
    let open_amounts = open_amounts.map(|(open, overdue)| (show(open), show(overdue)));
    let credits_available = credits.map(show);
    Ok(Overview {
        open_amounts,
        credits_available,
        primary_contact: primaries.get(&id.0).cloned(),
        contact_count,
        can_edit: service::may(&me.actor, Action::Edit),
        can_delete: service::may(&me.actor, Action::Delete),
        customer,
        tabs,
    })
}
