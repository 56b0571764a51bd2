//! Business modules. Each registers itself with one [`ModuleDescriptor`]
//! line in [`MODULES`], the only place that names them all: its HTML and
//! API routers, its areas of the role grid, the customer-overview tabs,
//! portal and main menu entries, key figures and jobs it contributes.

use axum::Router;
use chrono::NaiveDate;
use futures::future::BoxFuture;
use kernel::AppResult;
use kernel::clock::Clock;
use sea_orm::{DatabaseConnection, DatabaseTransaction};

use crate::{
    common::{
        documents::{store, typed::DocumentType},
        ids::CustomerId,
    },
    policy::{self, Area, StaffActor},
    state::AppState,
};

pub mod activity;
pub mod attachables;
pub mod billing;
pub mod contacts;
pub mod credit_notes;
pub mod custom_fields;
pub mod customers;
pub mod dashboard;
pub mod estimates;
pub mod files;
pub mod invoices;
pub mod notes;
pub mod notifications;
pub mod payments;
pub mod portal;
pub mod proposals;
pub mod reminders;
pub mod search;
pub mod settings;
pub mod staff;
pub mod statement;
pub mod vault;

/// A tab on the customer overview, at `/customers/{id}/{key}`.
pub struct Tab {
    pub key: &'static str,
    pub label_key: &'static str,
    /// Position in the SPEC order of tabs.
    pub order: u16,
    /// The permission area whose records the tab lists; shown only to
    /// staff who may see some of them.
    pub module: Option<Area>,
}

/// A background task of the module: the worker runs it every round on
/// every instance, so it claims its work in the database (a
/// `kernel::jobs::Queue` or a conditional update) and returns how many
/// items it processed.
pub struct Job {
    pub name: &'static str,
    pub run: fn(AppState) -> kernel::jobs::TaskFuture,
}

/// A key figure's value for one customer: a count, or an amount in minor
/// units of the customer's currency.
pub enum FigureValue {
    Count(u64),
    Minor(i64),
}

/// A key figure as a module reports it; `id` names its element.
pub struct FigureShown {
    pub id: &'static str,
    pub label_key: &'static str,
    pub value: FigureValue,
}

/// What a module loads for the overview header: its figures for the
/// customer, only those the actor may see (none at all otherwise).
pub type FigureLoad = for<'a> fn(
    &'a DatabaseConnection,
    &'a StaffActor,
    CustomerId,
    NaiveDate,
) -> BoxFuture<'a, AppResult<Vec<FigureShown>>>;

/// A module's key figures on the customer overview, at `order` among all.
pub struct Figure {
    pub order: u16,
    pub load: FigureLoad,
}

pub use crate::common::search::{Hit, Named, Query};

/// How a module finds its records for the global search: at most `limit`
/// hits for the text, only records the actor may see.
pub type SearchFn = for<'a> fn(
    &'a DatabaseConnection,
    &'a StaffActor,
    &'a Query<'a>,
    u64,
) -> BoxFuture<'a, AppResult<Vec<Hit>>>;

/// A module's group of results in the global search, at `order` among all;
/// `kind` is its key in the API answer.
pub struct SearchProvider {
    pub kind: &'static str,
    pub label_key: &'static str,
    pub order: u16,
    pub find: SearchFn,
}

/// Whether the module keeps records of the customer for good (documents).
pub type KeepsFn = for<'a> fn(&'a DatabaseConnection, CustomerId) -> BoxFuture<'a, AppResult<bool>>;

/// Deletes the module's rows of the customer in the deleting transaction;
/// the storage keys it returns are removed once that has committed.
pub type DeletesFn = for<'a> fn(
    &'a DatabaseTransaction,
    CustomerId,
    &'a Clock,
) -> BoxFuture<'a, AppResult<Vec<String>>>;

/// What a module says when a customer is to be deleted.
pub enum CustomerLink {
    /// Kept for good: a customer with any of them is not deleted
    /// (deactivated instead) and keeps its currency.
    Keeps(KeepsFn),
    /// Goes with the customer.
    Deletes(DeletesFn),
}

/// Whether the actor may see the record of this kind with the id.
pub type VisibleFn =
    for<'a> fn(&'a DatabaseConnection, &'a StaffActor, i64) -> BoxFuture<'a, AppResult<bool>>;

/// A kind of record that attachables name by `EntityRef` (activity,
/// notes): the record's module decides who sees it.
pub struct Record {
    pub kind: &'static str,
    /// Shown to whoever sees its customer (profile, contacts, files ...):
    /// no need to ask.
    pub with_customer: bool,
    pub visible: VisibleFn,
    /// The record's page, where what hangs on it is shown.
    pub page: Option<fn(i64) -> String>,
    /// What names the record where something attached to it is listed
    /// (a document's number); none when the actor may not see it.
    pub title: Option<TitleFn>,
}

/// The record's title for the actor, none when the actor may not see it.
pub type TitleFn = for<'a> fn(
    &'a DatabaseConnection,
    &'a StaffActor,
    i64,
) -> BoxFuture<'a, AppResult<Option<String>>>;

/// A number series of documents and the format it starts with.
pub struct Series {
    pub key: &'static str,
    pub default_format: &'static str,
    pub label_key: &'static str,
    pub order: u16,
}

/// A kind of mail with a template of its own; its built-in text is
/// `mail-template-{key}-subject` and `-body` in the locale files.
pub struct MailKind {
    pub key: &'static str,
    pub label_key: &'static str,
    /// Which placeholders it fills.
    pub help_key: &'static str,
    pub order: u16,
}

/// A panel of the dashboard as a module fills it for the actor.
pub struct Panel {
    /// Names its element.
    pub id: &'static str,
    pub title: String,
    /// Across the whole width (a chart) rather than one column.
    pub wide: bool,
    pub body: crate::common::attach::Rendered,
    /// Where its records are listed in full: the link and its text.
    pub more: Option<(String, String)>,
}

/// What a module shows the actor on the dashboard; none when the actor
/// may see nothing of it (or there is nothing to say).
pub type PanelLoad = for<'a> fn(
    &'a AppState,
    &'a crate::http::ctx::Ctx,
    &'a crate::http::identity::SignedIn,
) -> BoxFuture<'a, AppResult<Option<Panel>>>;

/// A module's panel on the dashboard at `/`, at `order` among all.
pub struct Widget {
    pub order: u16,
    pub load: PanelLoad,
}

/// What a module shows a contact on the portal's start page; none when
/// the contact may not use its area (or there is nothing to say).
pub type PortalPanelLoad = for<'a> fn(
    &'a AppState,
    &'a crate::http::ctx::Ctx,
    &'a portal::model::PortalUser,
) -> BoxFuture<'a, AppResult<Option<Panel>>>;

/// A page a staff member is sent to instead of the dashboard while the
/// module still needs something from them (the first-run setup), or none.
pub type FirstRun = for<'a> fn(
    &'a AppState,
    &'a crate::http::identity::SignedIn,
) -> BoxFuture<'a, AppResult<Option<&'static str>>>;

/// A module's panel on the portal's start page, at `order` among all.
pub struct PortalWidget {
    pub order: u16,
    pub load: PortalPanelLoad,
}

/// A page under Settings, a section of the `/settings` hub, shown to
/// staff who may see some of `area` (the settings, or the module's own
/// area for pages such as staff and roles).
pub struct SettingsPage {
    pub href: &'static str,
    pub label_key: &'static str,
    /// One line on the hub saying what is set there.
    pub hint_key: &'static str,
    /// Its symbol in the icon sprite.
    pub icon: &'static str,
    pub area: Area,
    pub order: u16,
}

/// The sections of the main menu, in their order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NavGroup {
    Start,
    Customers,
    Sales,
    Work,
    Support,
    Settings,
}

impl NavGroup {
    /// Its heading in the menu; the first group has none.
    pub fn label_key(self) -> Option<&'static str> {
        match self {
            NavGroup::Start => None,
            NavGroup::Customers => Some("nav-group-customers"),
            NavGroup::Sales => Some("nav-group-sales"),
            NavGroup::Work => Some("nav-group-work"),
            NavGroup::Support => Some("nav-group-support"),
            NavGroup::Settings => Some("nav-group-settings"),
        }
    }
}

/// An entry of the main menu, shown to staff who may see some of `area`
/// (any staff member for `None`).
#[derive(Clone, Copy)]
pub struct NavLink {
    pub href: &'static str,
    pub label_key: &'static str,
    /// Its symbol in the icon sprite.
    pub icon: &'static str,
    pub group: NavGroup,
    pub area: Option<Area>,
    pub order: u16,
}

/// An entry of the portal menu; `area` names the contact permission it
/// needs (`None`: every contact).
pub struct PortalLink {
    pub href: &'static str,
    pub label_key: &'static str,
    /// Its symbol in the icon sprite.
    pub icon: &'static str,
    pub area: Option<&'static str>,
    pub order: u16,
}

pub struct ModuleDescriptor {
    pub key: &'static str,
    pub html: fn() -> Router<AppState>,
    pub api: fn() -> Router<AppState>,
    /// Its API operations with their schemas, merged into
    /// `/api/v1/openapi.json`.
    pub openapi: fn() -> utoipa::openapi::OpenApi,
    /// Its areas of the role grid.
    pub permissions: &'static [Area],
    pub tabs: &'static [Tab],
    pub portal: &'static [PortalLink],
    pub nav: &'static [NavLink],
    pub jobs: &'static [Job],
    pub figures: &'static [Figure],
    pub search: &'static [SearchProvider],
    pub customer_links: &'static [CustomerLink],
    pub records: &'static [Record],
    /// Its number series, listed in Settings > Billing.
    pub series: &'static [Series],
    /// Its mail templates (de and en), listed in Settings > Billing.
    pub mail_templates: &'static [MailKind],
    /// Its pages under Settings.
    pub settings: &'static [SettingsPage],
    /// Its panels on the dashboard.
    pub dashboard: &'static [Widget],
    /// Its panels on the portal's start page.
    pub portal_dashboard: &'static [PortalWidget],
    /// What it needs done before the dashboard makes sense.
    pub first_run: &'static [FirstRun],
}

impl ModuleDescriptor {
    /// What a module without routes or entries contributes: descriptors
    /// name what they have and take the rest from here.
    pub const BASE: ModuleDescriptor = ModuleDescriptor {
        key: "",
        html: Router::new,
        api: Router::new,
        openapi: crate::api::openapi::none,
        permissions: &[],
        tabs: &[],
        portal: &[],
        nav: &[],
        jobs: &[],
        figures: &[],
        search: &[],
        customer_links: &[],
        records: &[],
        series: &[],
        mail_templates: &[],
        settings: &[],
        dashboard: &[],
        portal_dashboard: &[],
        first_run: &[],
    };
}

pub const MODULES: &[ModuleDescriptor] = &[
    staff::DESCRIPTOR,
    customers::DESCRIPTOR,
    contacts::DESCRIPTOR,
    notes::DESCRIPTOR,
    activity::DESCRIPTOR,
    custom_fields::DESCRIPTOR,
    search::DESCRIPTOR,
    portal::DESCRIPTOR,
    billing::DESCRIPTOR,
    files::DESCRIPTOR,
    invoices::DESCRIPTOR,
    payments::DESCRIPTOR,
    credit_notes::DESCRIPTOR,
    estimates::DESCRIPTOR,
    proposals::DESCRIPTOR,
    statement::DESCRIPTOR,
    vault::DESCRIPTOR,
    reminders::DESCRIPTOR,
    notifications::DESCRIPTOR,
    settings::DESCRIPTOR,
    dashboard::DESCRIPTOR,
];

/// The overview tabs of all modules, in SPEC order.
pub fn customer_tabs() -> Vec<&'static Tab> {
    let mut tabs: Vec<&Tab> = MODULES.iter().flat_map(|m| m.tabs.iter()).collect();
    tabs.sort_by_key(|t| t.order);
    tabs
}

/// The dashboard panels of all modules, in order.
pub fn widgets() -> Vec<&'static Widget> {
    let mut widgets: Vec<&Widget> = MODULES.iter().flat_map(|m| m.dashboard.iter()).collect();
    widgets.sort_by_key(|w| w.order);
    widgets
}

/// The first page some module needs the staff member on before the
/// dashboard, if any.
pub async fn first_run(
    state: &AppState,
    me: &crate::http::identity::SignedIn,
) -> AppResult<Option<&'static str>> {
    for check in MODULES.iter().flat_map(|m| m.first_run.iter()) {
        if let Some(href) = check(state, me).await? {
            return Ok(Some(href));
        }
    }
    Ok(None)
}

/// The panels of the portal's start page, in order.
pub fn portal_widgets() -> Vec<&'static PortalWidget> {
    let mut widgets: Vec<&PortalWidget> = MODULES
        .iter()
        .flat_map(|m| m.portal_dashboard.iter())
        .collect();
    widgets.sort_by_key(|w| w.order);
    widgets
}

/// The areas the modules add to the role grid.
pub fn permission_areas() -> impl Iterator<Item = Area> {
    MODULES.iter().flat_map(|m| m.permissions.iter().copied())
}

/// The background tasks of all modules.
pub fn jobs() -> impl Iterator<Item = &'static Job> {
    MODULES.iter().flat_map(|m| m.jobs.iter())
}

/// The key figures of all modules, in order.
pub fn figures() -> Vec<&'static Figure> {
    let mut figures: Vec<&Figure> = MODULES.iter().flat_map(|m| m.figures.iter()).collect();
    figures.sort_by_key(|f| f.order);
    figures
}

/// The global-search providers of all modules, in order.
pub fn search_providers() -> Vec<&'static SearchProvider> {
    let mut providers: Vec<&SearchProvider> =
        MODULES.iter().flat_map(|m| m.search.iter()).collect();
    providers.sort_by_key(|p| p.order);
    providers
}

/// What every module says when a customer is to be deleted.
pub fn customer_links() -> impl Iterator<Item = &'static CustomerLink> {
    MODULES.iter().flat_map(|m| m.customer_links.iter())
}

/// A lookup's answer as a [`VisibleFn`] gives it: found is seen, not found
/// or not allowed is not, anything else an error.
pub fn seen<T>(found: AppResult<T>) -> AppResult<bool> {
    match found {
        Ok(_) => Ok(true),
        Err(kernel::AppError::NotFound | kernel::AppError::Forbidden) => Ok(false),
        Err(e) => Err(e),
    }
}

/// A record of the customer: seen by whoever sees the customer.
pub const fn of_customer(kind: &'static str) -> Record {
    Record {
        kind,
        with_customer: true,
        visible: |_, _, _| Box::pin(async { Ok(true) }),
        page: None,
        title: None,
    }
}

/// The kind of record `kind` names, as its module registered it.
pub fn record(kind: &str) -> Option<&'static Record> {
    MODULES
        .iter()
        .flat_map(|m| m.records.iter())
        .find(|r| r.kind == kind)
}

/// The main menu as the actor sees it, in order: the modules' entries and,
/// when some settings page is open to the actor, one entry for the hub.
pub fn nav_links(actor: &StaffActor) -> Vec<NavLink> {
    let mut links: Vec<NavLink> = MODULES
        .iter()
        .flat_map(|m| m.nav.iter())
        .filter(|l| l.area.is_none_or(|area| policy::may_see_some(actor, area)))
        .copied()
        .collect();
    if !settings_pages(actor).is_empty() {
        links.push(SETTINGS_LINK);
    }
    links.sort_by_key(|l| (l.group, l.order));
    links
}

/// The hub of every settings page, last in the menu.
pub const SETTINGS_LINK: NavLink = NavLink {
    href: "/settings",
    label_key: "nav-settings",
    icon: "gear",
    group: NavGroup::Settings,
    area: None,
    order: 0,
};

/// The settings pages the actor may open, in order.
pub fn settings_pages(actor: &StaffActor) -> Vec<&'static SettingsPage> {
    let mut pages: Vec<&SettingsPage> = MODULES
        .iter()
        .flat_map(|m| m.settings.iter())
        .filter(|p| policy::may_see_some(actor, p.area))
        .collect();
    pages.sort_by_key(|p| p.order);
    pages
}

/// Whether `path` lies under one of the settings pages (or the hub).
pub fn is_settings_path(path: &str) -> bool {
    under(path, SETTINGS_LINK.href)
        || MODULES
            .iter()
            .flat_map(|m| m.settings.iter())
            .any(|p| under(path, p.href))
}

/// Whether `path` is `prefix` or a page below it (the root only itself).
pub fn under(path: &str, prefix: &str) -> bool {
    match path.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || (prefix != "/" && rest.starts_with('/')),
        None => false,
    }
}

/// The portal menu of all modules, in order.
pub fn portal_links() -> Vec<&'static PortalLink> {
    let mut links: Vec<&PortalLink> = MODULES.iter().flat_map(|m| m.portal.iter()).collect();
    links.sort_by_key(|l| l.order);
    links
}

/// A document type in the global search: its documents by number and by
/// customer name, `kind` naming the group of hits.
pub const fn document_search<T: DocumentType>(
    kind: &'static str,
    label_key: &'static str,
    order: u16,
) -> SearchProvider {
    SearchProvider {
        kind,
        label_key,
        order,
        find: |db, actor, query, limit| {
            Box::pin(customers::service::search_documents(
                db,
                actor,
                query,
                limit,
                T::KIND,
            ))
        },
    }
}

/// Documents are kept for good: a customer with any is not deleted.
pub const fn keeps_documents<T: DocumentType>() -> CustomerLink {
    CustomerLink::Keeps(|db, customer| {
        Box::pin(async move { Ok(store::any_of_customer(db, T::KIND, customer).await?) })
    })
}

/// A document type as a record attachables hang on: seen by whoever may
/// see the document, shown on its page.
pub const fn document_record<T: DocumentType>() -> Record {
    Record {
        kind: T::KIND.key,
        with_customer: false,
        visible: |db, actor, id| {
            Box::pin(async move {
                if policy::can(actor, T::KIND.area, policy::Action::View) {
                    return Ok(true);
                }
                seen(T::get(db, actor, id).await)
            })
        },
        page: Some(|id| T::KIND.page(id)),
        title: Some(|db, actor, id| {
            Box::pin(async move {
                match T::get(db, actor, id).await {
                    Ok(doc) => Ok(Some(T::head(&doc).number.unwrap_or(format!("#{id}")))),
                    Err(kernel::AppError::NotFound | kernel::AppError::Forbidden) => Ok(None),
                    Err(e) => Err(e),
                }
            })
        }),
    }
}

/// Every module's number series, in their order.
pub fn series() -> Vec<&'static Series> {
    let mut all: Vec<&Series> = MODULES.iter().flat_map(|m| m.series.iter()).collect();
    all.sort_by_key(|s| s.order);
    all
}

/// Every module's mail kinds, in their order.
pub fn mail_kinds() -> Vec<&'static MailKind> {
    let mut all: Vec<&MailKind> = MODULES
        .iter()
        .flat_map(|m| m.mail_templates.iter())
        .collect();
    all.sort_by_key(|k| k.order);
    all
}

/// What a thing attached to a record shows of it: its title and page.
pub struct Attached {
    pub title: String,
    pub url: Option<String>,
}

/// The record `kind` `id` as the actor sees it where something attached
/// to it is listed: `Ok(None)` when the actor may not see it; a record of
/// the customer itself needs no title.
pub async fn attached(
    db: &DatabaseConnection,
    actor: &StaffActor,
    kind: &str,
    id: i64,
) -> AppResult<Option<Option<Attached>>> {
    let Some(r) = record(kind) else {
        return Ok(None);
    };
    let Some(title) = r.title else {
        return Ok(Some(None));
    };
    Ok(title(db, actor, id).await?.map(|title| {
        Some(Attached {
            title,
            url: r.page.map(|page| page(id)),
        })
    }))
}
