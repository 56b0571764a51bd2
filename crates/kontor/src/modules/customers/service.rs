//! Use cases on customers. Every function takes the acting staff member and
//! goes through the policy module before touching data.

use kernel::clock::Clock;
use kernel::{
    AppError, AppResult, FieldErrors,
    error::OnConstraint,
    storage::Storage,
    web::{ListQuery, Page},
};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{
    group_repo,
    model::{
        Customer, CustomerData, CustomerFilter, CustomerId, CustomerInput, CustomerRow, Group,
        GroupId, search_text,
    },
    recent, repo,
};
use crate::{
    common::{documents::parties::Addressee, entity_ref::EntityRef},
    modules::{
        activity::model::Author,
        activity::service as activity,
        contacts::{model::Contact, service as contacts},
        custom_fields::{model::CustomField, service as custom_fields},
        staff::service as staff,
    },
    policy::{self, Action, CustomerScope, StaffActor},
};

pub use super::overview::load as overview;
use crate::{
    common::documents::{
        kind::DocumentKind,
        search::{self, Wanted},
    },
    modules::{CustomerLink, Hit, Named, Query, customer_links},
};

pub const KIND: &str = "customer";

pub fn entity(id: CustomerId) -> EntityRef {
    EntityRef::new(KIND, id.0)
}

pub fn scope(actor: &StaffActor) -> AppResult<CustomerScope> {
    policy::customer_scope(actor).ok_or(AppError::Forbidden)
}

pub fn may(actor: &StaffActor, action: Action) -> bool {
    policy::can(actor, policy::CUSTOMERS, action)
}

/// The company name, for the portal header of one of its contacts.
pub async fn company_of(db: &impl ConnectionTrait, id: CustomerId) -> AppResult<String> {
    Ok(repo::find(db, CustomerScope::All, id)
        .await?
        .map(|m| m.company)
        .unwrap_or_default())
}

/// The customer's custom field definitions.
pub async fn fields(db: &impl ConnectionTrait) -> AppResult<Vec<CustomField>> {
    custom_fields::definitions(db, KIND).await
}

async fn load(
    db: &impl ConnectionTrait,
    scope: CustomerScope,
    defs: &[CustomField],
    id: CustomerId,
) -> AppResult<Customer> {
    let mut customer = repo::load(db, scope, id).await?.ok_or(AppError::NotFound)?;
    customer.custom_fields = custom_fields::values(db, defs, id.0).await?;
    Ok(customer)
}

/// The customer if the actor may see it; 404 otherwise.
pub async fn get(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    id: CustomerId,
) -> AppResult<Customer> {
    load(db, scope(actor)?, &fields(db).await?, id).await
}

/// The custom fields shown as list columns.
pub async fn list_fields(db: &impl ConnectionTrait) -> AppResult<Vec<CustomField>> {
    Ok(fields(db)
        .await?
        .into_iter()
        .filter(|d| d.show_in_list)
        .collect())
}

/// What the change history compares: the fields and the custom fields.
fn history(c: &Customer, defs: &[CustomField]) -> Vec<(String, String)> {
    let own = c
        .history_fields()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v));
    own.chain(custom_fields::history(defs, &c.custom_fields))
        .collect()
}

/// Whether a module keeps records of the customer for good (invoices,
/// credit notes): then the customer stays, and its currency with it.
async fn has_documents(db: &DatabaseConnection, id: CustomerId) -> AppResult<bool> {
    for link in customer_links() {
        if let CustomerLink::Keeps(keeps) = link
            && keeps(db, id).await?
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Checks that the actor may see the customer without loading all of it.
/// The customers whose records a list may show to the actor: every one, or
/// those a "view own" staff member administers; `one` narrows it to a
/// customer the actor must be able to see.
pub async fn visible_set(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    one: Option<CustomerId>,
) -> AppResult<crate::common::filter::CustomerSet> {
    use crate::common::filter::CustomerSet;
    if let Some(id) = one {
        ensure_visible(db, actor, id).await?;
        return Ok(CustomerSet::One(id.0));
    }
    Ok(match scope(actor)? {
        CustomerScope::All => CustomerSet::All,
        CustomerScope::Administered(staff) => CustomerSet::Among(
            repo::administered_by(db, staff)
                .await?
                .into_iter()
                .map(|c| c.0)
                .collect(),
        ),
    })
}

pub async fn ensure_visible(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    id: CustomerId,
) -> AppResult<()> {
    repo::find(db, scope(actor)?, id)
        .await?
        .map(|_| ())
        .ok_or(AppError::NotFound)
}

/// The company names of the customers, by id (for lists whose rows the
/// caller has already checked).
pub async fn companies(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, String>> {
    Ok(repo::companies(db, ids).await?)
}

/// Notes that the staff member opened the customer, for the dashboard.
pub async fn viewed(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    id: CustomerId,
    clock: &Clock,
) -> AppResult<()> {
    Ok(recent::record_view(db, actor.id, id, clock.now()).await?)
}

/// The customers the actor opened last and still sees, the latest first:
/// id and company; at most five.
pub async fn recently_viewed(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
) -> AppResult<Vec<(i64, String)>> {
    let recent = recent::recent(db, actor.id, 20).await?;
    let allowed: Option<std::collections::HashSet<i64>> = match scope(actor)? {
        CustomerScope::All => None,
        CustomerScope::Administered(staff) => Some(
            repo::administered_by(db, staff)
                .await?
                .into_iter()
                .map(|c| c.0)
                .collect(),
        ),
    };
    Ok(recent
        .into_iter()
        .filter(|(id, _)| allowed.as_ref().is_none_or(|ids| ids.contains(id)))
        .take(5)
        .collect())
}

/// Visible and the actor may edit customers (contacts, admins, coordinates).
pub async fn ensure_editable(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    id: CustomerId,
) -> AppResult<()> {
    ensure_visible(db, actor, id).await?;
    policy::require(actor, policy::CUSTOMERS, Action::Edit)
}

/// How far a search list counts its matches: a thousand past the end of
/// the page, in whole thousands. A broad term ("müller") matches thousands
/// of customers; counting them all and sorting them by name would cost more
/// than the whole page is allowed to, and nobody pages through them.
pub fn search_count_cap(query: &ListQuery) -> Option<u64> {
    query.search()?;
    let seen = query.offset() + query.per_page();
    Some((seen / 1000 + 1) * 1000 + 1)
}

/// The list as the staff web app shows it: a search without a chosen
/// order lists the newest matches first.
pub fn interactive(mut query: ListQuery) -> ListQuery {
    if query.search().is_some() && query.sort.is_none() {
        query.sort = Some(repo::NEWEST.to_owned());
    }
    query
}

/// The customers the actor may see whose name, number, VAT id, city or
/// contacts match `q`, newest first: what the global search starts from.
pub async fn matching(
    db: &DatabaseConnection,
    actor: &StaffActor,
    q: &str,
    limit: u64,
) -> AppResult<Vec<Named>> {
    let query = interactive(ListQuery {
        q: Some(q.to_string()),
        per_page: Some(limit),
        ..Default::default()
    });
    // The total is not shown: counting one match is enough.
    Ok(list(db, actor, &query, &Default::default(), &[], Some(1))
        .await?
        .data
        .into_iter()
        .map(|r| Named {
            id: r.id,
            company: r.company,
            number: r.number,
            city: r.city,
        })
        .collect())
}

/// A document type's hits in the global search: by the start of their
/// number, and the documents of the customers whose name matches, newest
/// first; only documents of customers the actor sees, and with "view own"
/// only the actor's own.
pub async fn search_documents(
    db: &DatabaseConnection,
    actor: &StaffActor,
    query: &Query<'_>,
    limit: u64,
    kind: &DocumentKind,
) -> AppResult<Vec<Hit>> {
    if !policy::may_see_some(actor, kind.area) {
        return Ok(Vec::new());
    }
    let customers = visible_set(db, actor, None).await?;
    let named: Vec<i64> = query.customers.iter().map(|c| c.id.0).collect();
    let wanted = Wanted {
        number: query.text,
        named: &named,
        customers: &customers,
        own: (!policy::can(actor, kind.area, Action::View)).then_some(actor.id),
        limit,
    };
    let found = search::find(db, kind, &wanted).await?;
    let mut companies: std::collections::HashMap<i64, String> = query
        .customers
        .iter()
        .map(|c| (c.id.0, c.company.clone()))
        .collect();
    let mut others: Vec<i64> = found
        .iter()
        .map(|f| f.customer_id)
        .filter(|id| !companies.contains_key(id))
        .collect();
    if !others.is_empty() {
        others.sort_unstable();
        others.dedup();
        companies.extend(repo::companies(db, &others).await?);
    }
    Ok(found
        .into_iter()
        .map(|f| f.hit(kind.path, &companies))
        .collect())
}

/// The global search's customers: those the search matched.
pub async fn search(
    _db: &DatabaseConnection,
    _actor: &StaffActor,
    query: &Query<'_>,
    limit: u64,
) -> AppResult<Vec<Hit>> {
    Ok(query
        .customers
        .iter()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|c| Hit {
            id: c.id.0,
            url: format!("/customers/{}", c.id.0),
            detail: [c.number.as_str(), c.city.as_str()]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
            title: c.company.clone(),
        })
        .collect())
}

/// A page of the customers the actor may see, with the values of the
/// custom fields given as `columns` (see [`list_fields`]); `count_up_to`
/// as in [`search_count_cap`], `None` for the exact total.
pub async fn list(
    db: &DatabaseConnection,
    actor: &StaffActor,
    query: &ListQuery,
    filter: &CustomerFilter,
    columns: &[CustomField],
    count_up_to: Option<u64>,
) -> AppResult<Page<CustomerRow>> {
    let page = repo::list(db, scope(actor)?, query, filter, count_up_to).await?;
    let ids: Vec<CustomerId> = page.data.iter().map(|m| CustomerId(m.id)).collect();
    let raw_ids: Vec<i64> = ids.iter().map(|i| i.0).collect();
    let (primaries, mut values) = futures::try_join!(
        contacts::primary_of(db, &ids),
        custom_fields::values_many(db, columns, &raw_ids)
    )?;
    Ok(page.map(|m| {
        let primary = primaries.get(&m.id);
        CustomerRow {
            id: CustomerId(m.id),
            number: m.number.unwrap_or_default(),
            company: m.company,
            vat_id: m.vat_id,
            city: if m.billing_city.is_empty() {
                m.city
            } else {
                m.billing_city
            },
            phone: m.phone,
            active: m.active,
            primary_contact: primary.map(|p| p.0.clone()),
            primary_email: primary.map(|p| p.1.clone()),
            custom_fields: values.remove(&m.id).unwrap_or_default(),
        }
    }))
}

pub async fn export(
    db: &DatabaseConnection,
    actor: &StaffActor,
    query: &ListQuery,
    filter: &CustomerFilter,
) -> AppResult<(Vec<Customer>, Vec<CustomField>)> {
    let mut customers = repo::all_matching(db, scope(actor)?, query, filter).await?;
    let defs = fields(db).await?;
    let ids: Vec<i64> = customers.iter().map(|c| c.id.0).collect();
    let mut values = custom_fields::values_many(db, &defs, &ids).await?;
    for c in &mut customers {
        c.custom_fields = values.remove(&c.id.0).unwrap_or_default();
    }
    Ok((customers, defs))
}

async fn check_admins(
    db: &impl ConnectionTrait,
    data: &CustomerData,
    errors: &mut FieldErrors,
) -> AppResult<()> {
    if data.admin_ids.is_empty() {
        return Ok(());
    }
    let active: Vec<_> = staff::directory_ids(db).await?;
    if data.admin_ids.iter().any(|id| !active.contains(id)) {
        errors.add("admin_ids", "error-unknown-staff");
    }
    Ok(())
}

/// Writes groups and admins; unknown group names are a field error.
async fn save_relations(
    db: &impl ConnectionTrait,
    id: CustomerId,
    data: &CustomerData,
    clock: &Clock,
) -> AppResult<()> {
    let unknown = group_repo::set_groups(db, id, &data.groups).await?;
    if !unknown.is_empty() {
        return Err(AppError::field("groups", "error-unknown-group"));
    }
    repo::set_admins(db, id, &data.admin_ids, clock.now()).await?;
    Ok(())
}

/// Rebuilds the text the list search looks in: customer fields plus the
/// names and emails of its contacts.
pub async fn refresh_search_text(db: &impl ConnectionTrait, id: CustomerId) -> AppResult<()> {
    let Some(m) = repo::find(db, CustomerScope::All, id).await? else {
        return Ok(());
    };
    let own = [
        m.company,
        m.vat_id,
        m.number.unwrap_or_default(),
        m.city,
        m.billing_city,
        m.zip,
        m.phone,
    ];
    let text = search_text(own.into_iter().chain(contacts::search_terms(db, id).await?));
    repo::set_search_text(db, id, text).await?;
    Ok(())
}

/// Validates customer data, custom fields and admins together, so the
/// user sees every problem at once.
async fn parse(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    defs: &[CustomField],
    input: &CustomerInput,
    current: Option<&Customer>,
) -> AppResult<(CustomerData, crate::modules::custom_fields::model::Values)> {
    let (data, mut errors) = match CustomerData::parse(input, current) {
        Ok(d) => (Some(d), FieldErrors::new()),
        Err(e) => (None, e),
    };
    let empty = Default::default();
    let custom = custom_fields::parse(
        defs,
        input.custom_fields.as_ref(),
        current.map(|c| &c.custom_fields).unwrap_or(&empty),
        actor,
        &mut errors,
    );
    if let Some(d) = &data {
        check_admins(db, d, &mut errors).await?;
    }
    match data {
        Some(d) if errors.is_empty() => Ok((d, custom)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Creates a customer. Staff with only "view own" become its admin, so they
/// can see what they just created.
pub async fn create(
    db: &DatabaseConnection,
    actor: &StaffActor,
    input: &CustomerInput,
    clock: &Clock,
) -> AppResult<CustomerId> {
    policy::require(actor, policy::CUSTOMERS, Action::Create)?;
    let defs = fields(db).await?;
    let input = super::defaults::fill(db, input).await?;
    let (data, custom) = parse(db, actor, &defs, &input, None).await?;
    let mut data = data;
    if scope(actor)? != CustomerScope::All && !data.admin_ids.contains(&actor.id) {
        data.admin_ids.push(actor.id);
    }
    let txn = kernel::db::begin_write(db).await?;
    let id = repo::insert(&txn, &data, clock.now())
        .await
        .on_unique("number", "error-number-taken")?;
    save_relations(&txn, id, &data, clock).await?;
    custom_fields::save(&txn, &defs, id.0, &custom, clock).await?;
    refresh_search_text(&txn, id).await?;
    activity::record(
        &txn,
        entity(id),
        Some(id.0),
        &Author::staff(actor),
        "created",
        &data.company,
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: CustomerId,
    input: &CustomerInput,
    clock: &Clock,
) -> AppResult<()> {
    let defs = fields(db).await?;
    let current = load(db, scope(actor)?, &defs, id).await?;
    policy::require(actor, policy::CUSTOMERS, Action::Edit)?;
    let (data, custom) = parse(db, actor, &defs, input, Some(&current)).await?;
    if data.currency != current.currency && has_documents(db, id).await? {
        return Err(AppError::field("currency", "error-currency-fixed"));
    }
    let txn = kernel::db::begin_write(db).await?;
    repo::update(&txn, id, &data, clock)
        .await
        .on_unique("number", "error-number-taken")?;
    save_relations(&txn, id, &data, clock).await?;
    custom_fields::save(&txn, &defs, id.0, &custom, clock).await?;
    refresh_search_text(&txn, id).await?;
    let after = load(&txn, CustomerScope::All, &defs, id).await?;
    activity::record_changes(
        &txn,
        entity(id),
        Some(id.0),
        &Author::staff(actor),
        &history(&current, &defs),
        &history(&after, &defs),
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The customer of a portal contact (its own company, whatever staff scope).
pub async fn of_contact(db: &impl ConnectionTrait, contact: &Contact) -> AppResult<Customer> {
    load(db, CustomerScope::All, &[], contact.customer_id).await
}

/// The addressee of a document the caller has already been allowed to
/// see, with the custom fields that go on documents.
pub async fn for_document(
    db: &impl ConnectionTrait,
    id: CustomerId,
) -> AppResult<(Customer, Vec<CustomField>)> {
    let defs: Vec<CustomField> = fields(db)
        .await?
        .into_iter()
        .filter(|f| f.show_on_pdf)
        .collect();
    Ok((load(db, CustomerScope::All, &defs, id).await?, defs))
}

/// The customer as a document addresses them, in their language, with the
/// custom fields shown on documents.
pub async fn addressee(db: &impl ConnectionTrait, id: CustomerId) -> AppResult<Addressee> {
    let (customer, fields) = for_document(db, id).await?;
    let l = customer.language;
    let shown = fields
        .iter()
        .filter_map(|f| {
            let value = f.display(customer.custom_fields.get(&f.key)?, l);
            (!value.is_empty()).then(|| (f.label.clone(), value))
        })
        .collect();
    Ok(Addressee {
        lines: address_block(&customer),
        fields: shown,
        number: customer.number,
        language: l,
        currency: customer.currency,
        vat_id: customer.vat_id,
    })
}

/// The address block: the company and its billing address (the main
/// address when no billing address is set).
fn address_block(customer: &Customer) -> Vec<String> {
    let billing_address = if customer.billing.is_empty() {
        &customer.address
    } else {
        &customer.billing
    };
    [
        customer.company.clone(),
        billing_address.street.clone(),
        format!("{} {}", billing_address.zip, billing_address.city)
            .trim()
            .to_owned(),
        billing_address.country.clone(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// The primary contact changes the company's billing and shipping
/// addresses in the portal (when the installation allows it; the portal
/// checks). Nothing else of the customer can change this way.
pub async fn update_addresses_by_contact(
    db: &DatabaseConnection,
    contact: &Contact,
    input: &CustomerInput,
    clock: &Clock,
) -> AppResult<()> {
    let id = contact.customer_id;
    let defs = fields(db).await?;
    let current = load(db, CustomerScope::All, &defs, id).await?;
    let limited = CustomerInput {
        billing_street: input.billing_street.clone(),
        billing_zip: input.billing_zip.clone(),
        billing_city: input.billing_city.clone(),
        billing_state: input.billing_state.clone(),
        billing_country: input.billing_country.clone(),
        shipping_same_as_billing: input.shipping_same_as_billing,
        shipping_street: input.shipping_street.clone(),
        shipping_zip: input.shipping_zip.clone(),
        shipping_city: input.shipping_city.clone(),
        shipping_state: input.shipping_state.clone(),
        shipping_country: input.shipping_country.clone(),
        ..Default::default()
    };
    let data = CustomerData::parse(&limited, Some(&current)).map_err(AppError::Validation)?;
    let txn = kernel::db::begin_write(db).await?;
    repo::update(&txn, id, &data, clock)
        .await
        .on_unique("number", "error-number-taken")?;
    refresh_search_text(&txn, id).await?;
    let after = load(&txn, CustomerScope::All, &defs, id).await?;
    let author = Author::contact(contact);
    activity::record_changes(
        &txn,
        entity(id),
        Some(id.0),
        &author,
        &history(&current, &defs),
        &history(&after, &defs),
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Sets or clears the map position (from the map tab).
pub async fn set_coordinates(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: CustomerId,
    lat: &str,
    lng: &str,
    clock: &Clock,
) -> AppResult<()> {
    let input = CustomerInput {
        latitude: Some(super::model::Coordinate::Text(lat.to_string())),
        longitude: Some(super::model::Coordinate::Text(lng.to_string())),
        ..Default::default()
    };
    let current = get(db, actor, id).await?;
    policy::require(actor, policy::CUSTOMERS, Action::Edit)?;
    let data = CustomerData::parse(&input, Some(&current)).map_err(AppError::Validation)?;
    let txn = kernel::db::begin_write(db).await?;
    repo::set_coordinates(&txn, id, data.latitude, data.longitude, clock.now()).await?;
    let after = repo::load(&txn, CustomerScope::All, id)
        .await?
        .ok_or(AppError::NotFound)?;
    activity::record_changes(
        &txn,
        entity(id),
        Some(id.0),
        &Author::staff(actor),
        &current.history_fields(),
        &after.history_fields(),
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Looks the customer's address up with the configured geocoder and stores
/// the coordinates. A customer without an address, or an address the
/// service does not know, is a field error; the service failing is a
/// conflict the user can retry.
pub async fn geocode(
    db: &DatabaseConnection,
    geocoder: &kernel::geocode::Geocoder,
    actor: &StaffActor,
    id: CustomerId,
    clock: &Clock,
) -> AppResult<()> {
    let customer = get(db, actor, id).await?;
    policy::require(actor, policy::CUSTOMERS, Action::Edit)?;
    let address = if customer.billing.is_empty() {
        &customer.address
    } else {
        &customer.billing
    };
    if address.is_empty() {
        return Err(AppError::field("address", "error-geocode-no-address"));
    }
    let found = match geocoder.lookup(&address.one_line()).await {
        Ok(found) => found,
        Err(e) => {
            tracing::warn!(error = ?e, "geocoding failed");
            return Err(AppError::Conflict("error-geocode-failed".into()));
        }
    };
    let (lat, lng) = found.ok_or_else(|| AppError::field("address", "error-geocode-not-found"))?;
    set_coordinates(db, actor, id, &lat.to_string(), &lng.to_string(), clock).await
}

/// Activates or deactivates the selected customers the actor may see;
/// each one whose status really changes gets a history row.
pub async fn set_active(
    db: &DatabaseConnection,
    actor: &StaffActor,
    ids: &[i64],
    active: bool,
    clock: &Clock,
) -> AppResult<u64> {
    policy::require(actor, policy::CUSTOMERS, Action::Edit)?;
    let scope = scope(actor)?;
    let txn = kernel::db::begin_write(db).await?;
    let mut changed = Vec::new();
    for id in ids {
        if let Some(m) = repo::find(&txn, scope, CustomerId(*id)).await?
            && m.active != active
        {
            changed.push(m.id);
        }
    }
    let n = repo::set_active(&txn, scope, &changed, active, clock.now()).await?;
    let author = Author::staff(actor);
    let (old, new) = ((!active).to_string(), active.to_string());
    for id in &changed {
        activity::record_changes(
            &txn,
            entity(CustomerId(*id)),
            Some(*id),
            &author,
            &[("active", old.clone())],
            &[("active", new.clone())],
            clock,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(n)
}

/// Deletes a customer with its contacts, notes, custom values and
/// memberships. (The billing modules refuse this while financial documents
/// exist; until then there are none.)
/// Deletes the customer with everything attached; its stored files are
/// removed once the rows are gone.
pub async fn delete(
    db: &DatabaseConnection,
    storage: &Storage,
    actor: &StaffActor,
    id: CustomerId,
    clock: &Clock,
) -> AppResult<()> {
    let current = get(db, actor, id).await?;
    policy::require(actor, policy::CUSTOMERS, Action::Delete)?;
    // Financial documents are kept for good; such a customer is deactivated.
    if has_documents(db, id).await? {
        return Err(AppError::Conflict("error-customer-has-documents".into()));
    }
    let txn = kernel::db::begin_write(db).await?;
    let mut objects = Vec::new();
    for link in customer_links() {
        if let CustomerLink::Deletes(delete) = link {
            objects.extend(delete(&txn, id, clock).await?);
        }
    }
    custom_fields::delete_values_of(&txn, KIND, id.0, clock).await?;
    repo::delete(&txn, id).await?;
    activity::record(
        &txn,
        entity(id),
        None,
        &Author::staff(actor),
        "deleted",
        &current.company,
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    for key in objects {
        if let Err(e) = storage.delete(&key).await {
            tracing::warn!(error = %e, key, "could not remove a stored object of a deleted customer");
        }
    }
    Ok(())
}

pub async fn groups(db: &DatabaseConnection) -> AppResult<Vec<Group>> {
    Ok(group_repo::groups(db).await?)
}

pub async fn create_group(
    db: &DatabaseConnection,
    actor: &StaffActor,
    name: &str,
    clock: &Clock,
) -> AppResult<GroupId> {
    policy::require(actor, policy::CUSTOMERS, Action::Edit)?;
    let mut errors = FieldErrors::new();
    let name = kernel::types::text(&mut errors, "name", name, true, 100);
    errors.into_result()?;
    group_repo::insert_group(db, &name, clock.now())
        .await
        .on_unique("name", "error-name-taken")
}

pub async fn delete_group(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: GroupId,
) -> AppResult<()> {
    policy::require(actor, policy::CUSTOMERS, Action::Edit)?;
    if group_repo::delete_group(db, id).await? == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Seeds many valid customers at once, without audit rows (demo data and
/// benchmarks). Each needs a number; `search_text` must be what
/// [`refresh_search_text`] would build. Returns the ids in input order.
pub async fn seed(
    db: &impl ConnectionTrait,
    rows: &[(CustomerData, String)],
    clock: &Clock,
) -> AppResult<Vec<CustomerId>> {
    Ok(repo::insert_many(db, rows, clock.now()).await?)
}

/// Rebuilds the search index from the customers (after a restore).
pub async fn rebuild_search(db: &impl sea_orm::ConnectionTrait) -> AppResult<()> {
    Ok(repo::rebuild_search(db).await?)
}
