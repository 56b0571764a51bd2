//! The use cases every document type shares, once: who sees a document,
//! the lists, creating and changing drafts, deleting them, and issuing
//! (the next number of the kind's series taken in the same transaction
//! that marks the draft issued, so numbers have no gaps and no twins even
//! when two tabs or two instances issue at once). Issued documents are
//! never edited, deleted or renumbered.
//!
//! What the core needs from the modules around it (the customer, tax
//! rates, the series, the activity log) it asks through [`Services`],
//! which the billing module provides; `common/` names no module.

use std::future::Future;

use axum::{extract::Multipart, http::HeaderMap};

use kernel::{
    AppError, AppResult, FieldErrors, clock::Clock, i18n::Locale, mail::OutgoingMail, web::Page,
};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, QueryResult};

use super::{
    Letterhead,
    body::{BodyInput, DocumentBody, Rules},
    kind::{DRAFT, DocumentKind},
    parties::Parties,
    store::{self, Among, Extra, Head, Listed},
};
use crate::{
    common::{
        attach::{NoteForm, ReminderForm, Rendered},
        csv_io,
        entity_ref::EntityRef,
        filter::{CustomerSet, DocumentFilter, StatusKey},
        ids::{CustomerId, StaffId},
        sending::{Dispatch, MailTemplate, Outgoing, Recipient},
        series,
    },
    http::{ctx::Ctx, form::FormState, frame::Overview, identity::SignedIn},
    policy::{self, Action, StaffActor},
    state::AppState,
};

/// What the document core asks of the modules around it.
pub trait Services: Sync {
    /// The customer's currency, when the actor may see the customer (else
    /// not found).
    fn currency(
        &self,
        db: &DatabaseConnection,
        actor: &StaffActor,
        customer: CustomerId,
    ) -> impl Future<Output = AppResult<String>> + Send;

    /// Not found unless the actor may see the customer.
    fn ensure_visible(
        &self,
        db: &DatabaseConnection,
        actor: &StaffActor,
        customer: CustomerId,
    ) -> impl Future<Output = AppResult<()>> + Send;

    /// The customers a list covers: the one asked for, or all the actor sees.
    fn visible_set(
        &self,
        db: &DatabaseConnection,
        actor: &StaffActor,
        customer: Option<CustomerId>,
    ) -> impl Future<Output = AppResult<CustomerSet>> + Send;

    /// The tax rates (basis points) a new line may use.
    fn tax_rates(
        &self,
        db: &DatabaseConnection,
    ) -> impl Future<Output = AppResult<Vec<i32>>> + Send;

    /// Whether the staff member is active (may be a sales agent).
    fn is_active_staff(
        &self,
        db: &DatabaseConnection,
        id: StaffId,
    ) -> impl Future<Output = AppResult<bool>> + Send;

    /// Creates the number series with its default format if it is missing.
    fn ensure_series(
        &self,
        db: &DatabaseConnection,
        series: &'static str,
        clock: &Clock,
    ) -> impl Future<Output = AppResult<()>> + Send;

    /// What the law asks of the sender of an issued document and the
    /// company settings lack (see [`super::parties::Company::gaps`]).
    fn seller_gaps(
        &self,
        db: &DatabaseConnection,
    ) -> impl Future<Output = AppResult<Vec<&'static str>>> + Send;

    /// The company names of the customers, by id.
    fn companies(
        &self,
        db: &DatabaseConnection,
        ids: &[i64],
    ) -> impl Future<Output = AppResult<std::collections::HashMap<i64, String>>> + Send;

    /// The customer's number, when the actor may see the customer.
    fn customer_number(
        &self,
        db: &DatabaseConnection,
        actor: &StaffActor,
        customer: CustomerId,
    ) -> impl Future<Output = AppResult<String>> + Send;

    /// The customer's overview frame with the tab chosen.
    fn overview(
        &self,
        state: &AppState,
        c: &Ctx,
        me: &SignedIn,
        customer: CustomerId,
        tab: &'static str,
    ) -> impl Future<Output = AppResult<Overview>> + Send;

    /// Adds a note to the record (of the customer).
    fn add_note(
        &self,
        db: &DatabaseConnection,
        actor: &StaffActor,
        record: (EntityRef, CustomerId),
        form: &NoteForm,
        clock: &Clock,
    ) -> impl Future<Output = AppResult<()>> + Send;

    /// Sets a reminder on the record (of the customer).
    fn add_reminder(
        &self,
        state: &AppState,
        actor: &StaffActor,
        record: (EntityRef, CustomerId),
        form: &ReminderForm,
    ) -> impl Future<Output = AppResult<()>> + Send;

    /// Stores the files of a multipart upload on the record (of the
    /// customer); how many.
    fn attach_files(
        &self,
        state: &AppState,
        actor: &StaffActor,
        record: (EntityRef, CustomerId),
        headers: &HeaderMap,
        multipart: Multipart,
    ) -> impl Future<Output = AppResult<usize>> + Send;

    /// The notes, files and reminders on the record (and its page's URL,
    /// where their forms post), rendered, with the note and reminder forms
    /// as given.
    fn attached(
        &self,
        state: &AppState,
        c: &Ctx,
        me: &SignedIn,
        record: (EntityRef, &str),
        forms: (FormState, FormState),
    ) -> impl Future<Output = AppResult<Rendered>> + Send;

    /// Sender and addressee of the customer's documents.
    fn parties(
        &self,
        state: &AppState,
        customer: CustomerId,
    ) -> impl Future<Output = AppResult<Parties>> + Send;

    /// The head of the customer's records printed from the browser, in
    /// the reader's language.
    fn letterhead(
        &self,
        state: &AppState,
        customer: CustomerId,
        locale: Locale,
    ) -> impl Future<Output = AppResult<Letterhead>> + Send;

    /// The title and page of the record a document was made from, when
    /// the actor may see it.
    fn origin(
        &self,
        db: &DatabaseConnection,
        actor: &StaffActor,
        source: (String, i64),
    ) -> impl Future<Output = AppResult<Option<(String, String)>>> + Send;

    /// The customer's contacts a document of `area` may be mailed to.
    fn recipients(
        &self,
        db: &DatabaseConnection,
        actor: &StaffActor,
        customer: (CustomerId, &str),
    ) -> impl Future<Output = AppResult<Vec<Recipient>>> + Send;

    /// What a document's mail is written with: the customer's company
    /// name and language, the kind's template in that language, and our
    /// company name.
    fn mail_context(
        &self,
        db: &DatabaseConnection,
        customer: CustomerId,
        kind: &'static str,
    ) -> impl Future<Output = AppResult<(String, Locale, MailTemplate, String)>> + Send;

    /// Queues the mail and records the dispatch, in the caller's
    /// transaction.
    fn queue_mail(
        &self,
        txn: &DatabaseTransaction,
        outgoing: &Outgoing,
        mail: &OutgoingMail,
        to: &Dispatch<'_>,
        clock: &Clock,
    ) -> impl Future<Output = AppResult<()>> + Send;

    /// Writes the activity log entry (action, detail) of a change made by
    /// `by`, from `ip` when it came over the web from outside.
    fn record_by(
        &self,
        txn: &DatabaseTransaction,
        record: (EntityRef, CustomerId),
        by: &By<'_>,
        entry: (&str, &str),
        from: (Option<&str>, &Clock),
    ) -> impl Future<Output = AppResult<()>> + Send;

    /// The customer's company name and language.
    fn customer_of(
        &self,
        db: &DatabaseConnection,
        customer: CustomerId,
    ) -> impl Future<Output = AppResult<(String, Locale)>> + Send;

    /// Our company's name.
    fn company_name(
        &self,
        db: &DatabaseConnection,
    ) -> impl Future<Output = AppResult<String>> + Send;

    /// The email addresses a customer's documents of `area` go to when no
    /// one chooses (reminders).
    fn document_emails(
        &self,
        db: &DatabaseConnection,
        customer: (CustomerId, &str),
    ) -> impl Future<Output = AppResult<Vec<String>>> + Send;

    /// Tells staff what happened to a document of their customer, in the
    /// app and by email, in the caller's transaction.
    fn tell_staff(
        &self,
        txn: &DatabaseTransaction,
        staff: &[StaffId],
        customer: CustomerId,
        notice: &Notice<'_>,
        clock: &Clock,
    ) -> impl Future<Output = AppResult<()>> + Send;

    /// Writes the activity log entry (action, detail) of a staff
    /// member's change.
    fn record(
        &self,
        txn: &DatabaseTransaction,
        entity: EntityRef,
        customer: CustomerId,
        actor: &StaffActor,
        entry: (&str, &str),
        clock: &Clock,
    ) -> impl Future<Output = AppResult<()>> + Send;
}

/// Who made a change the activity log records.
pub enum By<'a> {
    Staff(&'a StaffActor),
    /// A portal contact.
    Contact {
        id: i64,
        name: String,
    },
    /// A visitor on a secret link, by the name they gave.
    Public(String),
    /// The worker.
    System,
}

/// What staff are told: the message (`{mail}-subject`, `-text`, `-action`
/// with `name`, `number`, `company`, `who`), the page it links to, and
/// what makes the notification one.
pub struct Notice<'a> {
    pub mail: &'a str,
    pub number: &'a str,
    pub who: &'a str,
    /// The document's page, and its full address for the mail.
    pub link: &'a str,
    pub url: &'a str,
    pub once: &'a str,
}

/// The refusal when a change needs a draft.
pub fn issued(kind: &DocumentKind) -> AppError {
    AppError::Conflict(kind.issued_error())
}

pub fn entity(kind: &DocumentKind, id: i64) -> EntityRef {
    EntityRef::new(kind.key, id)
}

pub fn may(kind: &DocumentKind, actor: &StaffActor, action: Action) -> bool {
    policy::can(actor, kind.area, action)
}

/// Who sees which documents of a list.
pub struct Scope {
    customers: CustomerSet,
    own: Option<StaffId>,
}

impl Scope {
    pub fn among<'a, St>(&'a self, filter: &'a DocumentFilter<St>) -> Among<'a, St> {
        Among {
            customers: &self.customers,
            filter,
            own: self.own,
        }
    }
}

/// The body and the type's own columns, or every field that failed in
/// either.
fn both(
    body: AppResult<DocumentBody>,
    extra: AppResult<Extra>,
) -> AppResult<(DocumentBody, Extra)> {
    match (body, extra) {
        (Ok(body), Ok(extra)) => Ok((body, extra)),
        (Err(AppError::Validation(mut a)), Err(AppError::Validation(b))) => {
            for (field, key) in b.0 {
                a.add(&field, &key);
            }
            Err(AppError::Validation(a))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// One document kind's use cases on a database.
pub struct Core<'a, S> {
    pub svc: &'a S,
    pub kind: &'a DocumentKind,
    pub db: &'a DatabaseConnection,
}

impl<S: Services> Core<'_, S> {
    /// Whether the actor may see the document: its customer visible, and
    /// with "view own" one the actor created or is the agent of; else not
    /// found.
    pub async fn visible(&self, actor: &StaffActor, head: &Head) -> AppResult<()> {
        self.svc
            .ensure_visible(self.db, actor, head.customer_id)
            .await?;
        let agent = head.body.sales_agent_id;
        if policy::may_see_document(actor, self.kind.area, head.created_by, agent) {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// The scope of a list of one customer or (None) of every customer the
    /// actor sees; forbidden to staff who see none of the kind.
    pub async fn scope(
        &self,
        actor: &StaffActor,
        customer: Option<CustomerId>,
    ) -> AppResult<Scope> {
        let customers = self.svc.visible_set(self.db, actor, customer).await?;
        if !policy::may_see_some(actor, self.kind.area) {
            return Err(AppError::Forbidden);
        }
        Ok(Scope {
            customers,
            own: (!may(self.kind, actor, Action::View)).then_some(actor.id),
        })
    }

    /// The customer's documents the actor may see that pass the filter
    /// (all of them, unpaged), with their rows for the type's own columns.
    pub async fn list<St: StatusKey>(
        &self,
        actor: &StaffActor,
        customer: CustomerId,
        filter: &DocumentFilter<St>,
    ) -> AppResult<Vec<(Listed, QueryResult)>> {
        let scope = self.scope(actor, Some(customer)).await?;
        Ok(store::list(self.db, self.kind, &scope.among(filter), None).await?)
    }

    /// The documents of every customer the actor sees that pass the
    /// filter, for an export; refused (400, `error-export-too-many`) when
    /// they are more than [`csv_io::EXPORT_MAX`].
    pub async fn export<St: StatusKey>(
        &self,
        actor: &StaffActor,
        filter: &DocumentFilter<St>,
    ) -> AppResult<Vec<(Listed, QueryResult)>> {
        let scope = self.scope(actor, None).await?;
        let among = scope.among(filter);
        let (count, _) = store::count_and_sums(self.db, self.kind, &among).await?;
        if count > csv_io::EXPORT_MAX {
            return Err(AppError::BadRequest("error-export-too-many".into()));
        }
        Ok(store::list(self.db, self.kind, &among, None).await?)
    }

    /// One page (`(page, per_page)`) of the list with the count and the
    /// sums per currency (minor units) of all that pass the filter.
    pub async fn page<St: StatusKey + Sync>(
        &self,
        actor: &StaffActor,
        customer: Option<CustomerId>,
        filter: &DocumentFilter<St>,
        (page, per_page): (u64, u64),
    ) -> AppResult<(Page<(Listed, QueryResult)>, store::Sums)> {
        let scope = self.scope(actor, customer).await?;
        let among = scope.among(filter);
        let page = page.clamp(1, kernel::web::MAX_PAGE);
        let (data, (total, sum)) = if page == 1 {
            // Most customers have fewer documents than fit on a page: a first
            // page that is not full is the whole list, and counts itself.
            let data = store::list(self.db, self.kind, &among, Some((page, per_page))).await?;
            let shown = data.len() as u64;
            let counted = if shown < per_page {
                (
                    shown,
                    store::sums_of(self.kind, data.iter().map(|(l, _)| l)),
                )
            } else {
                store::count_and_sums(self.db, self.kind, &among).await?
            };
            (data, counted)
        } else {
            futures::try_join!(
                store::list(self.db, self.kind, &among, Some((page, per_page))),
                store::count_and_sums(self.db, self.kind, &among),
            )?
        };
        let page = Page {
            data,
            page,
            per_page,
            total,
        };
        Ok((page, sum))
    }

    /// The draft body from the input, with the customer's currency and the
    /// active tax rates; a kind without due date or agent ignores those.
    pub async fn parse(
        &self,
        actor: &StaffActor,
        customer: CustomerId,
        input: &BodyInput,
        current: Option<&DocumentBody>,
        clock: &Clock,
    ) -> AppResult<DocumentBody> {
        let (currency, rates) = futures::try_join!(
            self.svc.currency(self.db, actor, customer),
            self.svc.tax_rates(self.db)
        )?;
        let rules = Rules {
            currency: &currency,
            tax_rates: &rates,
            today: clock.today(),
            lines_required: !self.kind.prose,
        };
        let mut input = input.clone();
        if self.kind.due_column.is_none() {
            input.due_date = Some(String::new());
        }
        if !self.kind.sales_agent {
            input.sales_agent_id = None;
        }
        let body = DocumentBody::parse(&input, current, &rules).map_err(AppError::Validation)?;
        if let Some(agent) = body.sales_agent_id
            && !self.svc.is_active_staff(self.db, agent).await?
        {
            return Err(AppError::field("sales_agent_id", "error-invalid"));
        }
        Ok(body)
    }

    async fn record(
        &self,
        txn: &DatabaseTransaction,
        actor: &StaffActor,
        head: (i64, CustomerId),
        entry: (&str, &str),
        clock: &Clock,
    ) -> AppResult<()> {
        let (id, customer) = head;
        let entity = entity(self.kind, id);
        self.svc
            .record(txn, entity, customer, actor, entry, clock)
            .await
    }

    /// A new draft for the customer with the type's own columns (checked
    /// by the type: their failures are shown with the body's); its id.
    pub async fn create(
        &self,
        actor: &StaffActor,
        customer: CustomerId,
        input: &BodyInput,
        extra: AppResult<Extra>,
        clock: &Clock,
    ) -> AppResult<i64> {
        policy::require(actor, self.kind.area, Action::Create)?;
        let body = self.parse(actor, customer, input, None, clock).await;
        let (body, extra) = both(body, extra)?;
        let txn = kernel::db::begin_write(self.db).await?;
        let id = store::insert(
            &txn,
            self.kind,
            customer,
            &body,
            actor.id,
            extra,
            clock.now(),
        )
        .await?;
        self.record(&txn, actor, (id, customer), ("created", ""), clock)
            .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Changes a draft the actor sees (`current`); an issued one is refused.
    pub async fn update(
        &self,
        actor: &StaffActor,
        current: &Head,
        input: &BodyInput,
        extra: AppResult<Extra>,
        clock: &Clock,
    ) -> AppResult<()> {
        policy::require(actor, self.kind.area, Action::Edit)?;
        if current.status != DRAFT {
            return Err(issued(self.kind));
        }
        let customer = current.customer_id;
        let body = self
            .parse(actor, customer, input, Some(&current.body), clock)
            .await;
        let (body, extra) = both(body, extra)?;
        let txn = kernel::db::begin_write(self.db).await?;
        // A draft issued meanwhile stays as issued.
        if store::update_draft(&txn, self.kind, current.id, &body, extra, clock.now()).await? == 0 {
            return Err(issued(self.kind));
        }
        self.record(&txn, actor, (current.id, customer), ("updated", ""), clock)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Deletes a draft the actor sees; its customer.
    pub async fn delete(
        &self,
        actor: &StaffActor,
        current: &Head,
        clock: &Clock,
    ) -> AppResult<CustomerId> {
        policy::require(actor, self.kind.area, Action::Delete)?;
        let txn = kernel::db::begin_write(self.db).await?;
        if store::delete_draft(&txn, self.kind, current.id).await? == 0 {
            return Err(issued(self.kind));
        }
        let customer = current.customer_id;
        self.record(&txn, actor, (current.id, customer), ("deleted", ""), clock)
            .await?;
        txn.commit().await?;
        Ok(customer)
    }

    /// Issues a draft the actor sees, setting the type's own columns with
    /// it; its number.
    pub async fn issue(
        &self,
        actor: &StaffActor,
        current: &Head,
        extra: Extra,
        clock: &Clock,
    ) -> AppResult<String> {
        policy::require(actor, self.kind.area, Action::Edit)?;
        if current.status != DRAFT {
            return Err(issued(self.kind));
        }
        let gaps = self.svc.seller_gaps(self.db).await?;
        if !gaps.is_empty() {
            return Err(seller_missing(&gaps));
        }
        self.svc
            .ensure_series(self.db, self.kind.series, clock)
            .await?;
        let mut extra = extra;
        if self.kind.issue_on_send {
            extra.push(("sent_at", clock.now().into()));
        }
        let txn = kernel::db::begin_write(self.db).await?;
        let date = current.body.date;
        let number = take_number(&txn, self.kind, current.id, date, extra, clock).await?;
        let head = (current.id, current.customer_id);
        self.record(&txn, actor, head, ("issued", &number), clock)
            .await?;
        txn.commit().await?;
        Ok(number)
    }
}

/// Issuing refused for the company details the law asks for: each missing
/// one named as `company.<field>`.
fn seller_missing(gaps: &[&str]) -> AppError {
    let mut fields = FieldErrors::new();
    for gap in gaps {
        fields.add(&format!("{SELLER_PREFIX}{gap}"), "error-seller-required");
    }
    AppError::Validation(fields)
}

/// How a refusal for missing company details names its fields.
pub const SELLER_PREFIX: &str = "company.";

/// Gives the draft the next number of the kind's series and marks it
/// issued, inside the caller's transaction (rolling back gives the number
/// back when the draft was issued meanwhile).
pub async fn take_number(
    txn: &impl ConnectionTrait,
    kind: &DocumentKind,
    id: i64,
    date: chrono::NaiveDate,
    extra: Extra,
    clock: &Clock,
) -> AppResult<String> {
    let (_, number) = series::next(txn, kind.series, date, clock.now()).await?;
    let marked = match store::mark_issued(txn, kind, id, &number, extra, clock.now()).await {
        Err(e) if is_duplicate(&e) => {
            return Err(AppError::Conflict("error-series-duplicate".into()));
        }
        other => other?,
    };
    if marked == 0 {
        return Err(issued(kind));
    }
    Ok(number)
}

fn is_duplicate(e: &DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
