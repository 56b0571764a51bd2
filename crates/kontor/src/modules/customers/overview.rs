//! Loads the frame of every customer tab (`http::frame`): the header with
//! name, status and the key figures the modules contribute, and the tab
//! menu built from the module descriptors.

use kernel::AppResult;
use kernel::clock::Clock;
use sea_orm::DatabaseConnection;

use super::{
    model::{Customer, CustomerId},
    service,
};
use crate::{
    http::{
        ctx::Ctx,
        frame::{Header, Overview, Shown, TabLink},
        identity::SignedIn,
    },
    modules::{FigureValue, contacts::service as contacts, customer_tabs, figures},
    policy::{self, Action},
};

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
    Ok(load_with_customer(db, c, me, id, active_tab, clock)
        .await?
        .0)
}

/// The frame and the whole customer, for the customer's own tabs.
pub async fn load_with_customer(
    db: &DatabaseConnection,
    c: &Ctx,
    me: &SignedIn,
    id: CustomerId,
    active_tab: &str,
    clock: &Clock,
) -> AppResult<(Overview, Customer)> {
    let today = clock.today();
    let ids = [id];
    // One round trip's time instead of one per figure: the figures are
    // only shown once `get` has allowed the customer, and its answer (a 404
    // outside the actor's scope) comes before any other error.
    let (customer, primaries, figured) = futures::join!(
        service::get(db, &me.actor, id),
        contacts::primary_of(db, &ids),
        futures::future::join_all(
            figures()
                .into_iter()
                .map(|f| (f.load)(db, &me.actor, id, today))
        ),
    );
    let customer = customer?;
    let primaries = primaries?;
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
    let mut shown = Vec::new();
    for figure in figured {
        shown.extend(figure?.into_iter().map(|f| Shown {
            id: f.id,
            label: c.t(f.label_key),
            value: match f.value {
                FigureValue::Count(n) => n.to_string(),
                FigureValue::Minor(minor) => c.amount(
                    &kernel::money::from_minor(minor, digits),
                    &customer.currency,
                ),
            },
        }));
    }
    let frame = Overview {
        customer: Header {
            id: customer.id,
            company: customer.company.clone(),
            number: customer.number.clone(),
            active: customer.active,
            groups: customer.groups.clone(),
            currency: customer.currency.clone(),
        },
        tabs,
        figures: shown,
        primary_contact: primaries.get(&id.0).cloned(),
        can_edit: service::may(&me.actor, Action::Edit),
        can_delete: service::may(&me.actor, Action::Delete),
    };
    Ok((frame, customer))
}
