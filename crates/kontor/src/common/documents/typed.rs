//! What the core does with a whole document of any type: issuing with the
//! PDF rendered and archived, the PDF download, the zip of a list, sending
//! by email with the archived PDF attached, marking it sent. A type says
//! how to load its documents and what its PDF and mail show besides the
//! header ([`DocumentType`]); the rest is here once.
//!
//! An issued document is rendered once, when it is issued, in the
//! customer's language, and archived in the file storage: what was sent is
//! what is kept (GoBD), so later downloads, zips and emails stream the
//! archived file even after the company details change. A draft is
//! rendered on every download and marked as a draft.

use std::future::Future;

use chrono::{DateTime, NaiveDate, Utc};
use kernel::{AppError, AppResult, clock::Clock, csv_dialect::Dialect, i18n::Locale};
use rust_decimal::Decimal;
use sea_orm::DatabaseConnection;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use super::{
    Listed, Sheet, archived_bytes, archived_download, archived_zip,
    body::BodyInput,
    file_name,
    flow::{self, Core, Services},
    kind::{DRAFT, DocumentKind},
    render as render_sheet, sheet_document,
    store::{self, Extra, Head},
};
use crate::{
    common::{
        csv_io,
        filter::{DocumentFilter, StatusKey},
        ids::CustomerId,
        sending::{Dispatch, MailTemplate, Outgoing, Recipient, SendInput},
    },
    http::download::Download,
    policy::{self, Action, StaffActor},
    state::AppState,
};

/// What a type's PDF shows besides its header and body.
pub struct SheetParts {
    pub title_key: &'static str,
    pub number_key: &'static str,
    pub date_key: &'static str,
    pub due_date: Option<NaiveDate>,
    /// What is left to pay: a payment block with the GiroCode when positive.
    pub to_pay: Option<Decimal>,
    /// The document this one refers to: label key and number.
    pub refers_to: Option<(&'static str, String)>,
    /// An opening sentence (key), e.g. what a cancellation cancels.
    pub intro_key: Option<&'static str>,
}

/// A document type as the core handles it whole.
pub trait DocumentType: Send + Sync + 'static {
    const KIND: &'static DocumentKind;
    /// The type's document, as its module loads it.
    type Doc: Send + Sync + 'static;
    /// Its statuses, as `?status=` and the API name them.
    type Status: StatusKey + ToSchema + Send + Sync;
    type Svc: Services + 'static;
    const SVC: &'static Self::Svc;

    /// The document as the actor may see it (else not found).
    fn get(
        db: &DatabaseConnection,
        actor: &StaffActor,
        id: i64,
    ) -> impl Future<Output = AppResult<Self::Doc>> + Send;

    fn head(doc: &Self::Doc) -> Head;

    fn sheet(doc: &Self::Doc) -> SheetParts;

    /// The placeholders its mail template fills besides `number`,
    /// `customer` and `company`, in the customer's language.
    fn mail_fields(doc: &Self::Doc, locale: Locale) -> Vec<(&'static str, String)>;

    /// The type's own input fields (`customer_id` among them), sent with
    /// the body by the API and the draft form.
    type Fields: DeserializeOwned + Send + Sync + 'static;

    /// The type's own columns of a new draft, from its fields (checked:
    /// their failures are shown with the body's).
    fn new_columns(
        db: &DatabaseConnection,
        actor: &StaffActor,
        customer: CustomerId,
        fields: &Self::Fields,
    ) -> impl Future<Output = AppResult<Extra>> + Send;

    /// The type's own columns of a changed draft.
    fn changed_columns(
        db: &DatabaseConnection,
        actor: &StaffActor,
        doc: &Self::Doc,
        fields: &Self::Fields,
    ) -> impl Future<Output = AppResult<Extra>> + Send;

    /// The body as the type completes it from its own fields before it is
    /// checked (an estimate's `expiry_date` and its default); `new` is
    /// today for a new draft.
    fn complete(
        _db: &DatabaseConnection,
        _fields: &Self::Fields,
        body: BodyInput,
        _new: Option<NaiveDate>,
    ) -> impl Future<Output = AppResult<BodyInput>> + Send {
        async { Ok(body) }
    }

    /// The secret link the customer reads and answers the document at,
    /// for kinds that have one (`{link}` in its mail).
    fn public_link(_doc: &Self::Doc, _base_url: &str) -> Option<String> {
        None
    }

    /// A letter's subject and markdown content, which its PDF shows before
    /// the lines (kinds with prose).
    fn letter(_doc: &Self::Doc) -> Option<(String, String)> {
        None
    }

    /// What issuing sets besides the number (a recurring invoice's first
    /// copy).
    fn issued_columns(_doc: &Self::Doc) -> Extra {
        Vec::new()
    }
}

/// The document core on the type's kind.
pub fn core<T: DocumentType>(db: &DatabaseConnection) -> Core<'_, T::Svc> {
    Core {
        svc: T::SVC,
        kind: T::KIND,
        db,
    }
}

/// Where the document's PDF is archived once issued.
pub fn archive_key<T: DocumentType>(head: &Head) -> String {
    T::KIND.archive_key(head.id)
}

/// The document's PDF as it is now.
pub async fn render<T: DocumentType>(
    state: &AppState,
    doc: &T::Doc,
    now: DateTime<Utc>,
) -> AppResult<Vec<u8>> {
    let head = T::head(doc);
    let parts = T::sheet(doc);
    let sheet = Sheet {
        title_key: parts.title_key,
        number_key: parts.number_key,
        date_key: parts.date_key,
        number: head.number.as_deref(),
        draft: head.status == DRAFT,
        body: &head.body,
        due_date: parts.due_date,
        due_key: T::KIND.due_label.replacen("field-", "pdf-", 1),
        to_pay: parts.to_pay,
        refers_to: parts.refers_to,
        intro_key: parts.intro_key,
        created: head.issued_at.unwrap_or(now),
        ident: format!("{}-{}", T::KIND.key.replace('_', "-"), head.id),
        letter: T::letter(doc),
    };
    let parties = T::SVC.parties(state, head.customer_id).await?;
    render_sheet(state, &parties, sheet_document(&parties, &sheet)?).await
}

/// Renders the issued document and writes it to the archive.
pub async fn archive<T: DocumentType>(state: &AppState, doc: &T::Doc) -> AppResult<()> {
    let bytes = render::<T>(state, doc, state.clock.now()).await?;
    let key = archive_key::<T>(&T::head(doc));
    Ok(state.storage.put(&key, bytes).await?)
}

/// Makes sure the issued document's PDF is in the archive (issuing writes
/// it; this covers an archive that could not be written then).
pub async fn ensure_archived<T: DocumentType>(state: &AppState, doc: &T::Doc) -> AppResult<()> {
    archived_pdf::<T>(state, doc).await.map(drop)
}

/// The issued document's archived PDF, written now if it is missing.
pub async fn archived_pdf<T: DocumentType>(state: &AppState, doc: &T::Doc) -> AppResult<Vec<u8>> {
    let key = archive_key::<T>(&T::head(doc));
    archived_bytes(
        &state.storage,
        &key,
        false,
        render::<T>(state, doc, state.clock.now()),
    )
    .await
}

/// Archives an issued document's PDF; the document stays issued when the
/// archive cannot be written (the next download writes it), which is
/// logged.
pub async fn archive_logged<T: DocumentType>(state: &AppState, actor: &StaffActor, id: i64) {
    let archived = match T::get(&state.db, actor, id).await {
        Ok(doc) => archive::<T>(state, &doc).await,
        Err(e) => Err(e),
    };
    if let Err(e) = archived {
        tracing::warn!(kind = T::KIND.key, id, error = %e, "archiving the PDF failed");
    }
}

/// Issues the draft and archives its PDF; the number.
pub async fn issue<T: DocumentType>(
    state: &AppState,
    actor: &StaffActor,
    id: i64,
) -> AppResult<String> {
    let doc = T::get(&state.db, actor, id).await?;
    let head = T::head(&doc);
    // A kind sent to be answered by a date (expiry, open till) is not
    // sent with that date passed: the customer could not answer it.
    if T::KIND.issue_on_send
        && head.status == DRAFT
        && head.body.due_date.is_some_and(|d| d < state.clock.today())
    {
        let key = T::KIND.key.replace('_', "-");
        return Err(AppError::Conflict(format!("error-{key}-date-past")));
    }
    let number = core::<T>(&state.db)
        .issue(actor, &T::head(&doc), T::issued_columns(&doc), &state.clock)
        .await?;
    archive_logged::<T>(state, actor, id).await;
    Ok(number)
}

/// A new draft for the customer; its id.
pub async fn create<T: DocumentType>(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    (body, fields): (BodyInput, T::Fields),
    clock: &Clock,
) -> AppResult<i64> {
    policy::require(actor, T::KIND.area, Action::Create)?;
    let body = T::complete(db, &fields, body, Some(clock.today())).await?;
    let extra = T::new_columns(db, actor, customer, &fields).await;
    core::<T>(db)
        .create(actor, customer, &body, extra, clock)
        .await
}

/// Changes a draft the actor sees.
pub async fn update<T: DocumentType>(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: i64,
    (body, fields): (BodyInput, T::Fields),
    clock: &Clock,
) -> AppResult<()> {
    let doc = T::get(db, actor, id).await?;
    policy::require(actor, T::KIND.area, Action::Edit)?;
    let body = T::complete(db, &fields, body, None).await?;
    let extra = T::changed_columns(db, actor, &doc, &fields).await;
    core::<T>(db)
        .update(actor, &T::head(&doc), &body, extra, clock)
        .await
}

/// Deletes a draft the actor sees; its customer.
pub async fn delete<T: DocumentType>(
    state: &AppState,
    actor: &StaffActor,
    id: i64,
) -> AppResult<CustomerId> {
    let doc = T::get(&state.db, actor, id).await?;
    core::<T>(&state.db)
        .delete(actor, &T::head(&doc), &state.clock)
        .await
}

/// The PDF of a document someone is already allowed to see.
pub async fn pdf_of<T: DocumentType>(state: &AppState, doc: &T::Doc) -> AppResult<Download> {
    let head = T::head(doc);
    archived_download(
        &state.storage,
        &archive_key::<T>(&head),
        file_name(head.number.as_deref(), head.id),
        head.status == DRAFT,
        render::<T>(state, doc, state.clock.now()),
    )
    .await
}

pub async fn download<T: DocumentType>(
    state: &AppState,
    actor: &StaffActor,
    id: i64,
) -> AppResult<Download> {
    let doc = T::get(&state.db, actor, id).await?;
    pdf_of::<T>(state, &doc).await
}

/// The PDFs of the customer's documents that pass the filter (of the
/// chosen ones among them, when some are chosen) as a zip built while it
/// downloads: archived PDFs are streamed from the storage, drafts rendered.
pub async fn zip<T: DocumentType>(
    state: &AppState,
    actor: &StaffActor,
    customer: CustomerId,
    filter: &DocumentFilter<T::Status>,
    chosen: &[i64],
) -> AppResult<Download> {
    let rows = core::<T>(&state.db).list(actor, customer, filter).await?;
    let number = T::SVC.customer_number(&state.db, actor, customer).await?;
    let items = rows
        .into_iter()
        .map(|(l, _)| l)
        .filter(|l| chosen.is_empty() || chosen.contains(&l.id))
        .collect();
    let name = format!("{}-{number}.zip", T::KIND.tab);
    Ok(zip_of::<T>(state, actor, name, items))
}

/// The archived PDFs of every customer's documents that pass the filter
/// (at most [`crate::common::csv_io::EXPORT_MAX`]).
pub async fn zip_all<T: DocumentType>(
    state: &AppState,
    actor: &StaffActor,
    filter: &DocumentFilter<T::Status>,
) -> AppResult<Download> {
    let rows = core::<T>(&state.db).export(actor, filter).await?;
    let items = rows.into_iter().map(|(l, _)| l).collect();
    Ok(zip_of::<T>(
        state,
        actor,
        format!("{}.zip", T::KIND.tab),
        items,
    ))
}

/// A zip of the listed documents' archived PDFs, a draft rendered as it
/// stands.
fn zip_of<T: DocumentType>(
    state: &AppState,
    actor: &StaffActor,
    name: String,
    rows: Vec<store::Listed>,
) -> Download {
    let items = rows
        .into_iter()
        .map(|l| Listed {
            key: T::KIND.archive_key(l.id),
            draft: l.status == DRAFT,
            name: file_name(l.number.as_deref(), l.id),
            date: l.date,
            id: l.id,
        })
        .collect();
    let actor = actor.clone();
    archived_zip(state, name, items, move |state, id| {
        let actor = actor.clone();
        async move {
            let doc = T::get(&state.db, &actor, id).await?;
            render::<T>(&state, &doc, state.clock.now()).await
        }
    })
}

/// Every customer's documents that pass the filter (at most
/// [`crate::common::csv_io::EXPORT_MAX`]) as a spreadsheet in the user's language: amounts
/// with its decimal separator when it is for Excel.
pub async fn csv_all<T: DocumentType>(
    state: &AppState,
    actor: &StaffActor,
    filter: &DocumentFilter<T::Status>,
    locale: Locale,
    dialect: Dialect,
) -> AppResult<Vec<u8>> {
    let rows = core::<T>(&state.db).export(actor, filter).await?;
    let ids: Vec<i64> = rows.iter().map(|(l, _)| l.customer_id).collect();
    let companies = T::SVC.companies(&state.db, &ids).await?;
    let header = [
        "number",
        "status",
        "date",
        "due_date",
        "customer_id",
        "customer",
        "currency",
        "total",
        "id",
    ]
    .map(String::from);
    let lines = rows.into_iter().map(|(l, _)| {
        let digits = kernel::money::minor_digits(&l.currency);
        let total = kernel::money::to_api(kernel::money::from_minor(l.total_minor, digits), digits);
        let total = match dialect {
            Dialect::Excel => locale.format_decimal(&total),
            Dialect::Standard => total,
        };
        let status = T::Status::from_key(&l.status)
            .map_or_else(|| l.status.clone(), |s| crate::i18n::t(locale, s.label()));
        [
            l.number.clone().unwrap_or_default(),
            status,
            l.date.to_string(),
            l.due_date.map(|d| d.to_string()).unwrap_or_default(),
            l.customer_id.to_string(),
            companies.get(&l.customer_id).cloned().unwrap_or_default(),
            l.currency.clone(),
            total,
            l.id.to_string(),
        ]
    });
    csv_io::table(dialect, header, lines)
}

/// Whether the actor may send the document: issued (or a draft of a kind
/// that sending issues), and the right to edit the type.
pub fn may_send<T: DocumentType>(actor: &StaffActor, doc: &T::Doc) -> bool {
    (T::head(doc).status != DRAFT || T::KIND.issue_on_send)
        && flow::may(T::KIND, actor, Action::Edit)
}

/// The contacts with an email address and the type's template filled in
/// the customer's language.
pub async fn prepare<T: DocumentType>(
    state: &AppState,
    actor: &StaffActor,
    doc: &T::Doc,
) -> AppResult<(Vec<Recipient>, MailTemplate)> {
    let head = T::head(doc);
    let (recipients, (customer, locale, template, company)) = futures::try_join!(
        T::SVC.recipients(&state.db, actor, (head.customer_id, T::KIND.area.key)),
        T::SVC.mail_context(&state.db, head.customer_id, T::KIND.key),
    )?;
    // A draft that sending numbers keeps the placeholder until it has one.
    let number = head.number.clone().unwrap_or_else(|| NUMBER.to_owned());
    let mut fields = vec![
        ("number", number),
        ("customer", customer),
        ("company", company),
    ];
    fields.extend(T::mail_fields(doc, locale));
    if let Some(link) = T::public_link(doc, &state.config.base_url) {
        fields.push(("link", link));
    }
    Ok((recipients, template.fill(&fields)))
}

/// The placeholder of the document's number in a mail template.
const NUMBER: &str = "{number}";

fn not_issued(kind: &DocumentKind) -> AppError {
    AppError::Conflict(format!("error-{}-not-issued", kind.key.replace('_', "-")))
}

/// Queues the email with the archived PDF attached and records the
/// document as sent; the number of recipients.
pub async fn send<T: DocumentType>(
    state: &AppState,
    actor: &StaffActor,
    id: i64,
    input: &SendInput,
) -> AppResult<usize> {
    let doc = T::get(&state.db, actor, id).await?;
    if !flow::may(T::KIND, actor, Action::Edit) {
        return Err(AppError::Forbidden);
    }
    let head = T::head(&doc);
    if head.status == DRAFT && !T::KIND.issue_on_send {
        return Err(not_issued(T::KIND));
    }
    let (recipients, template) = prepare::<T>(state, actor, &doc).await?;
    let mut outgoing = Outgoing::check(&recipients, input, &template)?;
    let (doc, head) = if head.status == DRAFT {
        // Checked first, so a refused mail leaves the draft unnumbered.
        let number = issue::<T>(state, actor, id).await?;
        outgoing.subject = outgoing.subject.replace(NUMBER, &number);
        outgoing.body = outgoing.body.replace(NUMBER, &number);
        let doc = T::get(&state.db, actor, id).await?;
        let head = T::head(&doc);
        (doc, head)
    } else {
        (doc, head)
    };
    // The attachment is the archived PDF; written now if issuing could not.
    ensure_archived::<T>(state, &doc).await?;
    let mail = outgoing.mail(
        file_name(head.number.as_deref(), head.id),
        archive_key::<T>(&head),
    );
    let to = Dispatch {
        document: flow::entity(T::KIND, id),
        customer: head.customer_id,
        actor,
        action: "sent",
    };
    let txn = kernel::db::begin_write(&state.db).await?;
    store::set_sent(&txn, T::KIND, id, state.clock.now()).await?;
    T::SVC
        .queue_mail(&txn, &outgoing, &mail, &to, &state.clock)
        .await?;
    txn.commit().await?;
    Ok(outgoing.count())
}

/// Records that the document went to the customer another way (post,
/// hand).
pub async fn mark_sent<T: DocumentType>(
    state: &AppState,
    actor: &StaffActor,
    id: i64,
) -> AppResult<()> {
    let doc = T::get(&state.db, actor, id).await?;
    if !flow::may(T::KIND, actor, Action::Edit) {
        return Err(AppError::Forbidden);
    }
    let head = T::head(&doc);
    if head.status == DRAFT && T::KIND.issue_on_send {
        // Issuing such a kind records it as sent.
        return issue::<T>(state, actor, id).await.map(drop);
    }
    let txn = kernel::db::begin_write(&state.db).await?;
    if store::set_sent(&txn, T::KIND, id, state.clock.now()).await? == 0 {
        return Err(not_issued(T::KIND));
    }
    let entity = flow::entity(T::KIND, id);
    T::SVC
        .record(
            &txn,
            entity,
            head.customer_id,
            actor,
            ("marked_sent", ""),
            &state.clock,
        )
        .await?;
    txn.commit().await?;
    Ok(())
}
