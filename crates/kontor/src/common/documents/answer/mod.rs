//! Documents the customer answers (estimates, proposals): read on a secret
//! link or in the portal while open (sent, or viewed, and not past its
//! date), accepted with name, email and a drawn signature after the legal
//! text, or declined with a reason. An answer is taken once, under a
//! conditional update; an acceptance appends a signed copy with a
//! certificate page to the archived PDF. Staff record an answer given
//! another way and take one back while nothing was made of it. The worker
//! expires open documents past their date and reminds the customer once
//! before it.
//!
//! A type says which of its statuses take an answer and how its page
//! shows ([`Answerable`]); the statuses of an answer are the kit's own.

pub mod api;
pub mod pages;
mod repo;

use std::future::Future;

use chrono::{Days, NaiveDate};
use kernel::{
    AppError, AppResult,
    clock::Clock,
    i18n::Locale,
    mail::{self, Attachment},
    settings,
};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, QueryResult};

use super::{
    accept::{self, Acceptance, Decline, Origin, Signed},
    api::DocumentApi,
    file_name,
    flow::{self, By, Notice, Services},
    pages::DocumentPages,
    store::{self, Among, Head},
    stored,
    typed::{self, DocumentType},
};
use crate::{
    common::{entity_ref::EntityRef, filter::CustomerSet, ids::CustomerId, mail::written},
    http::form::FormState,
    policy::{self, Action, StaffActor},
    state::AppState,
};

/// The status of an accepted document.
pub const ACCEPTED: &str = "accepted";
/// The status of a declined document.
pub const DECLINED: &str = "declined";
/// The status of a document past its date without an answer.
pub const EXPIRED: &str = "expired";
/// The status a document is open again in when its answer is undone.
pub const SENT: &str = "sent";

/// What the kit reads of a document besides its header.
pub struct AnswerState<'a> {
    /// The secret of its public link.
    pub token: &'a str,
    pub accepted: Option<&'a Acceptance>,
    /// Something was made of it (an invoice): its answer stands.
    pub converted: bool,
}

/// A document type the customer answers.
pub trait Answerable: DocumentPages<Own: From<FormState>> + DocumentApi + Sized {
    /// The statuses in which the customer may answer it.
    const OPEN: &'static [&'static str];
    /// The status a sent document takes when the customer first reads it.
    const VIEWED: Option<&'static str> = None;
    /// Its reminder's mail template (`{key}_reminder`).
    const REMINDER: &'static str;
    /// Whether its settings offer converting it on acceptance.
    const CONVERTS: bool = false;

    fn answer(doc: &Self::Doc) -> AnswerState<'_>;

    /// The document, whoever asks (the caller has checked who).
    fn find(
        db: &impl ConnectionTrait,
        id: i64,
    ) -> impl Future<Output = Result<Option<Self::Doc>, DbErr>> + Send;

    /// What follows an acceptance (an estimate's conversion when set).
    fn accepted(_state: &AppState, _id: i64) -> impl Future<Output = ()> + Send {
        async {}
    }

    /// The page the customer reads and answers it on: the one on the link
    /// (`portal` none) or the portal's.
    fn page(
        state: &AppState,
        c: crate::http::ctx::Ctx,
        view: pages::AnswerView<Self>,
        portal: Option<crate::http::portal::PortalUser>,
    ) -> impl Future<Output = AppResult<axum::response::Response>> + Send;

    /// What the portal's list names a document by besides its number.
    fn portal_title(_row: &QueryResult) -> Option<String> {
        None
    }
}

fn dashed<T: DocumentType>() -> String {
    T::KIND.key.replace('_', "-")
}

/// A message key of the type (`error-{key}-{what}`, `flash-…`).
pub fn key<T: DocumentType>(prefix: &str, what: &str) -> String {
    format!("{prefix}-{}-{what}", dashed::<T>())
}

/// Whether the customer may still answer the document on `today`.
pub fn is_open<T: Answerable>(doc: &T::Doc, today: NaiveDate) -> bool {
    let head = T::head(doc);
    T::OPEN.contains(&head.status.as_str()) && head.body.due_date.is_none_or(|d| d >= today)
}

/// Sent (or viewed) but past its date: the worker marks it expired soon.
pub fn past_date<T: Answerable>(doc: &T::Doc, today: NaiveDate) -> bool {
    T::OPEN.contains(&T::head(doc).status.as_str()) && !is_open::<T>(doc, today)
}

/// Why the document takes no answer on `today`, if it does not.
fn closed<T: Answerable>(doc: &T::Doc, today: NaiveDate) -> Option<AppError> {
    if is_open::<T>(doc, today) {
        return None;
    }
    let status = T::head(doc).status;
    let what = match status.as_str() {
        s if T::OPEN.contains(&s) => EXPIRED,
        super::kind::DRAFT => "not-issued",
        s => s,
    };
    Some(AppError::Conflict(key::<T>("error", what)))
}

/// The document, whoever asks; not found when there is none.
pub async fn find<T: Answerable>(db: &impl ConnectionTrait, id: i64) -> AppResult<T::Doc> {
    T::find(db, id).await?.ok_or(AppError::NotFound)
}

/// The document a secret link names, once sent; not found otherwise.
pub async fn by_token<T: Answerable>(db: &DatabaseConnection, token: &str) -> AppResult<T::Doc> {
    let id = accept::find_by_token(db, T::KIND, token)
        .await?
        .ok_or(AppError::NotFound)?;
    match T::find(db, id).await? {
        Some(d) if T::head(&d).status != super::kind::DRAFT => Ok(d),
        _ => Err(AppError::NotFound),
    }
}

/// One sent document of a portal contact's customer; not found otherwise.
pub async fn for_contact<T: Answerable>(
    db: &DatabaseConnection,
    customer: CustomerId,
    id: i64,
) -> AppResult<T::Doc> {
    match T::find(db, id).await? {
        Some(d) => {
            let head = T::head(&d);
            if head.customer_id == customer && head.status != super::kind::DRAFT {
                Ok(d)
            } else {
                Err(AppError::NotFound)
            }
        }
        None => Err(AppError::NotFound),
    }
}

/// The sent documents of a portal contact's customer.
pub async fn of_contact<T: Answerable>(
    db: &DatabaseConnection,
    customer: CustomerId,
) -> AppResult<Vec<(store::Listed, QueryResult)>> {
    let among = Among {
        customers: &CustomerSet::One(customer.0),
        filter: &crate::common::filter::DocumentFilter::<T::Status>::default(),
        own: None,
    };
    let found = store::list(db, T::KIND, &among, None).await?;
    Ok(found
        .into_iter()
        .filter(|(l, _)| l.status != super::kind::DRAFT)
        .collect())
}

/// Marks a sent document as read by its customer (on the link or in the
/// portal), once; whether it did now.
pub async fn viewed<T: Answerable>(state: &AppState, doc: &T::Doc) -> AppResult<bool> {
    let Some(viewed) = T::VIEWED else {
        return Ok(false);
    };
    let head = T::head(doc);
    if head.status != SENT {
        return Ok(false);
    }
    let txn = kernel::db::begin_write(&state.db).await?;
    let now = state.clock.now();
    if repo::set_status(&txn, T::KIND, head.id, (SENT, viewed), now).await? == 0 {
        return Ok(false);
    }
    let number = head.number.unwrap_or_default();
    let record = (entity::<T>(head.id), head.customer_id);
    T::SVC
        .record_by(
            &txn,
            record,
            &By::System,
            ("viewed", &number),
            (None, &state.clock),
        )
        .await?;
    txn.commit().await?;
    Ok(true)
}

pub fn entity<T: DocumentType>(id: i64) -> EntityRef {
    flow::entity(T::KIND, id)
}

/// Who answers: the customer on the link or in the portal, or staff on
/// their behalf.
pub enum Answerer<'a> {
    Public(Origin),
    /// A portal contact: its id and name.
    Contact(i64, String, Origin),
    Staff(&'a StaffActor),
}

impl Answerer<'_> {
    fn by(&self, name: &str) -> By<'_> {
        match self {
            Answerer::Public(_) => By::Public(name.to_owned()),
            Answerer::Contact(id, name, _) => By::Contact {
                id: *id,
                name: name.clone(),
            },
            Answerer::Staff(actor) => By::Staff(actor),
        }
    }

    fn origin(&self) -> (String, String) {
        match self {
            Answerer::Public(o) | Answerer::Contact(_, _, o) => {
                (o.ip.clone(), o.user_agent.clone())
            }
            Answerer::Staff(_) => (String::new(), String::new()),
        }
    }

    fn staff(&self) -> Option<i64> {
        match self {
            Answerer::Staff(actor) => Some(actor.id.0),
            _ => None,
        }
    }

    /// The name an answer without one is recorded under.
    pub async fn name<T: DocumentType>(
        &self,
        db: &DatabaseConnection,
        head: &Head,
    ) -> AppResult<String> {
        Ok(match self {
            Answerer::Contact(_, name, _) => name.clone(),
            Answerer::Staff(a) => a.name.clone(),
            Answerer::Public(_) => T::SVC.customer_of(db, head.customer_id).await?.0,
        })
    }
}

/// Accepts the open document: the signature stored, the answer recorded
/// once, staff told, the signed copy archived, then what the type does on
/// acceptance.
pub async fn accept<T: Answerable>(
    state: &AppState,
    id: i64,
    by: Answerer<'_>,
    signed: Signed,
) -> AppResult<()> {
    let doc = find::<T>(&state.db, id).await?;
    if let Some(refused) = closed::<T>(&doc, state.clock.today()) {
        return Err(refused);
    }
    let signature_key = match signed.signature.is_empty() {
        true => None,
        false => {
            let key = accept::signature_key(T::KIND, id);
            state.storage.put(&key, signed.signature.clone()).await?;
            Some(key)
        }
    };
    let (ip, user_agent) = by.origin();
    let acceptance = Acceptance {
        name: signed.name,
        email: signed.email,
        at: state.clock.now(),
        ip,
        user_agent,
        signature_key,
        recorded_by: by.staff(),
    };
    let txn = kernel::db::begin_write(&state.db).await?;
    let marked = accept::set_accepted(&txn, T::KIND, (id, T::OPEN, ACCEPTED), &acceptance).await?;
    if marked == 0 {
        drop(txn);
        if let Some(key) = &acceptance.signature_key
            && let Err(err) = state.storage.delete(key).await
        {
            tracing::warn!(key, error = %err, "removing a signature not taken failed");
        }
        return Err(AppError::Conflict(key::<T>("error", "answered")));
    }
    let head = T::head(&doc);
    let number = head.number.clone().unwrap_or_default();
    let detail = format!("{number} · {} <{}>", acceptance.name, acceptance.email);
    let ip = (!acceptance.ip.is_empty()).then_some(acceptance.ip.as_str());
    let record = (entity::<T>(id), head.customer_id);
    let author = by.by(&acceptance.name);
    T::SVC
        .record_by(
            &txn,
            record,
            &author,
            (ACCEPTED, &detail),
            (ip, &state.clock),
        )
        .await?;
    tell_staff::<T>(state, &txn, &head, ACCEPTED, &acceptance.name).await?;
    txn.commit().await?;
    if let Err(err) = archive_signed::<T>(state, &doc, &acceptance, signed.signature).await {
        tracing::warn!(id, error = %err, "archiving the signed copy failed");
    }
    T::accepted(state, id).await;
    Ok(())
}

/// Declines the open document, once, with the customer's reason.
pub async fn decline<T: Answerable>(
    state: &AppState,
    id: i64,
    by: Answerer<'_>,
    reason: String,
) -> AppResult<()> {
    let doc = find::<T>(&state.db, id).await?;
    if let Some(refused) = closed::<T>(&doc, state.clock.today()) {
        return Err(refused);
    }
    let decline = Decline {
        at: state.clock.now(),
        reason,
        recorded_by: by.staff(),
    };
    let head = T::head(&doc);
    let name = by.name::<T>(&state.db, &head).await?;
    let txn = kernel::db::begin_write(&state.db).await?;
    let marked = accept::set_declined(&txn, T::KIND, (id, T::OPEN, DECLINED), &decline).await?;
    if marked == 0 {
        return Err(AppError::Conflict(key::<T>("error", "answered")));
    }
    let (ip, _) = by.origin();
    let ip = (!ip.is_empty()).then_some(ip.as_str());
    let record = (entity::<T>(id), head.customer_id);
    let entry = (DECLINED, decline.reason.as_str());
    T::SVC
        .record_by(&txn, record, &by.by(&name), entry, (ip, &state.clock))
        .await?;
    tell_staff::<T>(state, &txn, &head, DECLINED, &name).await?;
    txn.commit().await?;
    Ok(())
}

/// The document as the actor may see it, when the actor may also change it.
async fn editable<T: Answerable>(
    state: &AppState,
    actor: &StaffActor,
    id: i64,
) -> AppResult<T::Doc> {
    let doc = T::get(&state.db, actor, id).await?;
    policy::require(actor, T::KIND.area, Action::Edit)?;
    Ok(doc)
}

/// Staff record an acceptance given another way (by phone): audited,
/// without a drawn signature.
pub async fn accept_for<T: Answerable>(
    state: &AppState,
    actor: &StaffActor,
    id: i64,
    (name, email): (&str, &str),
) -> AppResult<()> {
    editable::<T>(state, actor, id).await?;
    let mut e = kernel::FieldErrors::new();
    let name = kernel::types::text(&mut e, "name", name, true, 200);
    let email = kernel::types::email(&mut e, "email", email).map(|m| m.into_inner());
    let Some(email) = email.filter(|_| e.is_empty()) else {
        return Err(AppError::Validation(e));
    };
    let signed = Signed {
        name,
        email,
        signature: Vec::new(),
    };
    accept::<T>(state, id, Answerer::Staff(actor), signed).await
}

/// Staff record a decline given another way.
pub async fn decline_for<T: Answerable>(
    state: &AppState,
    actor: &StaffActor,
    id: i64,
    reason: String,
) -> AppResult<()> {
    editable::<T>(state, actor, id).await?;
    decline::<T>(state, id, Answerer::Staff(actor), reason).await
}

/// Takes an answer back while nothing was made of the document: it is
/// open again (the worker expires it if its date has passed).
pub async fn undo_answer<T: Answerable>(
    state: &AppState,
    actor: &StaffActor,
    id: i64,
) -> AppResult<()> {
    let doc = editable::<T>(state, actor, id).await?;
    let answer = T::answer(&doc);
    if answer.converted {
        return Err(AppError::Conflict(key::<T>("error", "converted")));
    }
    let head = T::head(&doc);
    let txn = kernel::db::begin_write(&state.db).await?;
    let changed = accept::clear_answer(
        &txn,
        T::KIND,
        (id, &[ACCEPTED, DECLINED], SENT),
        state.clock.now(),
    )
    .await?;
    if changed == 0 {
        return Err(AppError::Conflict(key::<T>("error", "not-answered")));
    }
    let record = (entity::<T>(id), head.customer_id);
    let entry = ("answer_undone", head.status.as_str());
    T::SVC
        .record_by(&txn, record, &By::Staff(actor), entry, (None, &state.clock))
        .await?;
    txn.commit().await?;
    if let Some(a) = answer.accepted {
        let stale = [
            a.signature_key.clone(),
            Some(accept::signed_key(T::KIND, id)),
        ];
        for key in stale.into_iter().flatten() {
            if let Err(err) = state.storage.delete(&key).await {
                tracing::warn!(key, error = %err, "removing an undone signature failed");
            }
        }
    }
    Ok(())
}

/// Tells the document's staff (its creator and agent) what the customer
/// did (`what`: `accepted`, `declined`, `commented`), in the app and by
/// email (`mail-{key}-{what}`).
pub async fn tell_staff<T: DocumentType>(
    state: &AppState,
    txn: &DatabaseTransaction,
    head: &Head,
    what: &str,
    who: &str,
) -> AppResult<()> {
    let mut staff_ids = vec![head.created_by];
    if let Some(agent) = head.body.sales_agent_id
        && agent != head.created_by
    {
        staff_ids.push(agent);
    }
    let link = T::KIND.page(head.id);
    let mail = key::<T>("mail", what);
    let notice = Notice {
        mail: &mail,
        number: head.number.as_deref().unwrap_or_default(),
        who,
        url: &format!("{}{link}", state.config.base_url.trim_end_matches('/')),
        once: &format!(
            "{mail}:{}:{}",
            head.id,
            state.clock.now().timestamp_micros()
        ),
        link: &link,
    };
    T::SVC
        .tell_staff(txn, &staff_ids, head.customer_id, &notice, &state.clock)
        .await
}

/// Writes the signed copy (the archived PDF with the certificate page)
/// and answers it.
async fn archive_signed<T: Answerable>(
    state: &AppState,
    doc: &T::Doc,
    a: &Acceptance,
    signature: Vec<u8>,
) -> AppResult<Vec<u8>> {
    let head = T::head(doc);
    let original = typed::archived_pdf::<T>(state, doc).await?;
    let (_, locale) = T::SVC.customer_of(&state.db, head.customer_id).await?;
    let signature = (!signature.is_empty()).then_some(signature);
    let signed =
        accept::signed_copy(state, (T::KIND, head.id, locale), original, a, signature).await?;
    state
        .storage
        .put(&accept::signed_key(T::KIND, head.id), signed.clone())
        .await?;
    Ok(signed)
}

/// The signed copy of an accepted document, written now if it could not
/// be at acceptance.
pub async fn signed_pdf<T: Answerable>(state: &AppState, doc: &T::Doc) -> AppResult<Vec<u8>> {
    let head = T::head(doc);
    let Some(a) = T::answer(doc).accepted.filter(|_| head.status == ACCEPTED) else {
        return Err(AppError::NotFound);
    };
    if let Some(signed) = stored(&state.storage, &accept::signed_key(T::KIND, head.id)).await? {
        return Ok(signed);
    }
    let signature = match &a.signature_key {
        Some(key) => stored(&state.storage, key).await?.unwrap_or_default(),
        None => Vec::new(),
    };
    archive_signed::<T>(state, doc, a, signature).await
}

/// The drawn signature of an accepted document.
pub async fn signature_png<T: Answerable>(state: &AppState, doc: &T::Doc) -> AppResult<Vec<u8>> {
    let key = T::answer(doc)
        .accepted
        .and_then(|a| a.signature_key.clone())
        .ok_or(AppError::NotFound)?;
    stored(&state.storage, &key)
        .await?
        .ok_or(AppError::NotFound)
}

/// The name of a signed copy's file.
pub fn signed_name(head: &Head) -> String {
    let number = head.number.clone().unwrap_or_else(|| head.id.to_string());
    file_name(Some(&format!("{number}-signed")), head.id)
}

/// How a type's answered documents behave, as set on its settings page
/// (`/settings/{tab}`), under keys `{tab}.…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// A new document's date (expiry, open till) is this many days after
    /// its date.
    pub expiry_days: u32,
    /// The customer is reminded this many days before that date (0: never).
    pub reminder_days: u32,
    /// An accepted document is converted at once (types that offer it).
    pub auto_convert: bool,
    /// What the customer agrees to by signing, per language; empty: the
    /// built-in text.
    pub legal_de: String,
    pub legal_en: String,
}

const FIELDS: [&str; 5] = [
    "expiry_days",
    "reminder_days",
    "auto_convert",
    "legal_text_de",
    "legal_text_en",
];

impl Settings {
    fn keys<T: DocumentType>() -> [String; 5] {
        FIELDS.map(|f| format!("{}.{f}", T::KIND.tab))
    }

    pub async fn load<T: DocumentType>(db: &impl ConnectionTrait) -> AppResult<Self> {
        let [expiry, reminder, convert, de, en] = Self::keys::<T>();
        let number =
            |v: Option<String>, default| v.and_then(|v| v.parse::<u32>().ok()).unwrap_or(default);
        Ok(Self {
            expiry_days: number(settings::get(db, &expiry).await?, 30),
            reminder_days: number(settings::get(db, &reminder).await?, 3),
            auto_convert: settings::get(db, &convert).await?.as_deref() == Some("1"),
            legal_de: settings::get(db, &de).await?.unwrap_or_default(),
            legal_en: settings::get(db, &en).await?.unwrap_or_default(),
        })
    }

    pub async fn save<T: DocumentType>(
        &self,
        db: &impl ConnectionTrait,
        actor: &StaffActor,
        clock: &Clock,
    ) -> AppResult<()> {
        policy::require(actor, policy::SETTINGS, Action::Edit)?;
        let now = clock.now();
        let values = [
            self.expiry_days.to_string(),
            self.reminder_days.to_string(),
            if self.auto_convert { "1" } else { "0" }.to_owned(),
            self.legal_de.clone(),
            self.legal_en.clone(),
        ];
        for (key, value) in Self::keys::<T>().iter().zip(values) {
            settings::set(db, key, &value, now).await?;
        }
        Ok(())
    }

    /// The legal text in the reader's language (`{key}-legal-default`
    /// when none is set).
    pub fn legal_text<T: DocumentType>(&self, l: Locale) -> String {
        let set = match l {
            Locale::De => &self.legal_de,
            Locale::En => &self.legal_en,
        };
        if set.trim().is_empty() {
            crate::i18n::t(l, &format!("{}-legal-default", dashed::<T>()))
        } else {
            set.clone()
        }
    }

    /// The date a new document dated `date` runs to.
    pub fn runs_to(&self, date: NaiveDate) -> Option<NaiveDate> {
        date.checked_add_days(Days::new(u64::from(self.expiry_days)))
    }
}

/// A new document's date (expiry, open till) when none is given: its date
/// (today when empty) plus the configured days. A date that does not parse
/// is left to the body's check.
pub async fn default_date<T: DocumentType>(
    db: &DatabaseConnection,
    date: Option<&str>,
    today: NaiveDate,
) -> AppResult<Option<String>> {
    let date = match date.map(str::trim) {
        None | Some("") => Some(today),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").ok(),
    };
    let Some(date) = date else {
        return Ok(None);
    };
    let settings = Settings::load::<T>(db).await?;
    Ok(settings.runs_to(date).map(|d| d.to_string()))
}

const BATCH: u64 = 100;

/// The worker's task: marks open documents past their date expired; how
/// many.
pub async fn expire<T: Answerable>(state: &AppState) -> AppResult<usize> {
    let today = state.clock.today();
    let mut done = 0;
    for id in repo::past_date(&state.db, (T::KIND, T::OPEN), today, BATCH).await? {
        let txn = kernel::db::begin_write(&state.db).await?;
        if repo::expire(&txn, (T::KIND, T::OPEN), id, today, state.clock.now()).await? == 0 {
            continue;
        }
        let head = T::head(&find::<T>(&txn, id).await?);
        let number = head.number.unwrap_or_default();
        let record = (entity::<T>(id), head.customer_id);
        T::SVC
            .record_by(
                &txn,
                record,
                &By::System,
                (EXPIRED, &number),
                (None, &state.clock),
            )
            .await?;
        txn.commit().await?;
        done += 1;
    }
    Ok(done)
}

/// The worker's task: reminds customers of documents whose date is within
/// the configured days, once each, with the type's reminder template and
/// the archived PDF; how many were mailed.
pub async fn remind<T: Answerable>(state: &AppState) -> AppResult<usize> {
    let days = Settings::load::<T>(&state.db).await?.reminder_days;
    if days == 0 {
        return Ok(0);
    }
    let today = state.clock.today();
    let Some(until) = today.checked_add_days(Days::new(u64::from(days))) else {
        return Ok(0);
    };
    let mut sent = 0;
    for id in repo::to_remind(&state.db, (T::KIND, T::OPEN), (today, until), BATCH).await? {
        if remind_one::<T>(state, id).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

async fn remind_one<T: Answerable>(state: &AppState, id: i64) -> AppResult<bool> {
    let doc = find::<T>(&state.db, id).await?;
    let head = T::head(&doc);
    let to = T::SVC
        .document_emails(&state.db, (head.customer_id, T::KIND.area.key))
        .await?;
    typed::ensure_archived::<T>(state, &doc).await?;
    let (customer, l, template, company) = T::SVC
        .mail_context(&state.db, head.customer_id, T::REMINDER)
        .await?;
    let mut fields = vec![
        ("number", head.number.clone().unwrap_or_default()),
        ("customer", customer),
        ("company", company),
    ];
    fields.extend(T::mail_fields(&doc, l));
    fields.extend(T::public_link(&doc, &state.config.base_url).map(|link| ("link", link)));
    let text = template.fill(&fields);
    let txn = kernel::db::begin_write(&state.db).await?;
    if repo::claim_reminder(&txn, T::KIND, id, state.clock.now()).await? == 0 {
        return Ok(false);
    }
    let detail = if to.is_empty() {
        // Nobody to write to: claimed all the same, so the check is not
        // repeated every round; staff see it in the activity log.
        "–".to_owned()
    } else {
        let mut mail = written(l, &to.join(", "), &text.subject, &text.body);
        mail.attachments = vec![Attachment {
            name: file_name(head.number.as_deref(), id),
            content_type: "application/pdf".into(),
            storage_key: T::KIND.archive_key(id),
        }];
        mail::enqueue(&txn, &mail, state.clock.now()).await?;
        to.join(", ")
    };
    let record = (entity::<T>(id), head.customer_id);
    T::SVC
        .record_by(
            &txn,
            record,
            &By::System,
            ("reminded", &detail),
            (None, &state.clock),
        )
        .await?;
    txn.commit().await?;
    Ok(!to.is_empty())
}
