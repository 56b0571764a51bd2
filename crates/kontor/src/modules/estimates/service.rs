//! Use cases of estimates. A draft changes freely; sending it (or marking
//! it sent) takes the next number of the estimate series. A sent estimate
//! is never edited: "copy" makes a new draft of it. The customer answers
//! on the secret link or in the portal while it is open (sent and not past
//! its expiry date); an answer is taken once, under a conditional update,
//! and an acceptance appends a signed copy to the archived PDF. An
//! estimate becomes an invoice once.

use chrono::{Days, NaiveDate};
use kernel::{AppError, AppResult, clock::Clock, i18n::Locale, settings};
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult};

use super::{
    model::{Estimate, EstimateFilter, EstimateId, EstimateInput, EstimateRow, Status},
    repo,
};
use crate::{
    common::{
        documents::{
            accept::{self, Acceptance, Decline, Origin, Signed},
            body::BodyInput,
            flow::{self, Core},
            kind::DocumentKind,
            store::{self, Among, Extra, Head, Listed},
            stored,
            typed::{self, DocumentType, SheetParts},
        },
        entity_ref::EntityRef,
        filter::CustomerSet,
        mail::compose,
    },
    modules::{
        FigureShown, FigureValue,
        activity::{model::Author, service as activity},
        billing::service::DocumentServices,
        contacts::model::Contact,
        customers::{model::CustomerId, service as customers},
        invoices::{model::InvoiceId, service as invoices},
        notifications::service as notifications,
        staff::service as staff,
    },
    policy::{self, Action, Area, StaffActor},
    state::AppState,
};

/// The area of the role grid for estimates.
pub const AREA: Area = Area {
    key: "estimates",
    actions: policy::RECORD_ACTIONS,
    order: 35,
};

/// Estimates as the document core keeps them.
pub const KIND: DocumentKind = crate::document_kind! {
    key: "estimate",
    path: "estimates",
    area: AREA,
    issued_status: "sent",
    due_column: Some("expiry_date"),
    sales_agent: true,
    void_status: "declined",
    issue_on_send: true,
    due_label: "field-expiry-date",
};

fn core(db: &DatabaseConnection) -> Core<'_, DocumentServices> {
    typed::core::<Estimates>(db)
}

/// Estimates as the document core handles them whole.
pub struct Estimates;

impl DocumentType for Estimates {
    const KIND: &'static DocumentKind = &KIND;
    type Doc = Estimate;
    type Status = Status;
    type Svc = DocumentServices;
    const SVC: &'static DocumentServices = &DocumentServices;

    async fn get(db: &DatabaseConnection, actor: &StaffActor, id: i64) -> AppResult<Estimate> {
        get(db, actor, EstimateId(id)).await
    }

    type Fields = EstimateInput;

    /// A new estimate gets its secret link now, so that it never changes.
    async fn new_columns(
        _: &DatabaseConnection,
        _: &StaffActor,
        _: CustomerId,
        _: &EstimateInput,
    ) -> AppResult<Extra> {
        Ok(accept::token_columns())
    }

    async fn changed_columns(
        _: &DatabaseConnection,
        _: &StaffActor,
        _: &Estimate,
        _: &EstimateInput,
    ) -> AppResult<Extra> {
        Ok(Vec::new())
    }

    /// `expiry_date` is the body's due date; a new estimate without one
    /// expires the configured days after its date.
    async fn complete(
        db: &DatabaseConnection,
        fields: &EstimateInput,
        mut body: BodyInput,
        new: Option<NaiveDate>,
    ) -> AppResult<BodyInput> {
        if let Some(expiry) = &fields.expiry_date {
            body.due_date = Some(expiry.clone());
        }
        let unset = body.due_date.as_deref().is_none_or(|d| d.trim().is_empty());
        if let Some(today) = new
            && unset
        {
            let date = match body.date.as_deref().map(str::trim) {
                None | Some("") => Some(today),
                // A date that does not parse is refused with the body.
                Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").ok(),
            };
            if let Some(date) = date {
                let days = Settings::load(db).await?.expiry_days;
                body.due_date = date
                    .checked_add_days(Days::new(u64::from(days)))
                    .map(|d| d.to_string());
            }
        }
        Ok(body)
    }

    fn head(doc: &Estimate) -> Head {
        doc.head()
    }

    /// Titled Angebot, with the date it is valid until.
    fn sheet(e: &Estimate) -> SheetParts {
        SheetParts {
            title_key: "pdf-estimate-title",
            number_key: "pdf-estimate-number",
            date_key: "pdf-estimate-date",
            due_date: e.expiry_date(),
            to_pay: None,
            refers_to: None,
            intro_key: None,
        }
    }

    fn mail_fields(e: &Estimate, l: Locale) -> Vec<(&'static str, String)> {
        vec![
            (
                "amount",
                l.format_amount(e.totals().total, &e.body.currency),
            ),
            (
                "expiry_date",
                e.expiry_date()
                    .map(|d| l.format_date(d))
                    .unwrap_or_default(),
            ),
        ]
    }

    fn public_link(e: &Estimate, base_url: &str) -> Option<String> {
        Some(e.public_url(base_url))
    }
}

pub fn entity(id: EstimateId) -> EntityRef {
    flow::entity(&KIND, id.0)
}

pub fn may(actor: &StaffActor, action: Action) -> bool {
    flow::may(&KIND, actor, action)
}

/// A line of the list from the document core's.
pub fn row(listed: Listed, row: &QueryResult) -> AppResult<EstimateRow> {
    Ok(repo::to_row(listed, row)?)
}

pub async fn get(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: EstimateId,
) -> AppResult<Estimate> {
    let estimate = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    core(db).visible(actor, &estimate.head()).await?;
    Ok(estimate)
}

const EXPIRY_DAYS: &str = "estimates.expiry_days";
const REMINDER_DAYS: &str = "estimates.reminder_days";
const AUTO_CONVERT: &str = "estimates.auto_convert";
const LEGAL_DE: &str = "estimates.legal_text_de";
const LEGAL_EN: &str = "estimates.legal_text_en";

/// How estimates behave, as set in Settings > Estimates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// A new estimate expires this many days after its date.
    pub expiry_days: u32,
    /// The customer is reminded this many days before expiry (0: never).
    pub reminder_days: u32,
    /// An accepted estimate becomes an invoice (draft) at once.
    pub auto_convert: bool,
    /// What the customer agrees to by signing, per language; empty: the
    /// built-in text.
    pub legal_de: String,
    pub legal_en: String,
}

impl Settings {
    pub async fn load(db: &impl ConnectionTrait) -> AppResult<Self> {
        let number =
            |v: Option<String>, default| v.and_then(|v| v.parse::<u32>().ok()).unwrap_or(default);
        Ok(Self {
            expiry_days: number(settings::get(db, EXPIRY_DAYS).await?, 30),
            reminder_days: number(settings::get(db, REMINDER_DAYS).await?, 3),
            auto_convert: settings::get(db, AUTO_CONVERT).await?.as_deref() == Some("1"),
            legal_de: settings::get(db, LEGAL_DE).await?.unwrap_or_default(),
            legal_en: settings::get(db, LEGAL_EN).await?.unwrap_or_default(),
        })
    }

    pub async fn save(
        &self,
        db: &impl ConnectionTrait,
        actor: &StaffActor,
        clock: &Clock,
    ) -> AppResult<()> {
        policy::require(actor, policy::SETTINGS, Action::Edit)?;
        let now = clock.now();
        settings::set(db, EXPIRY_DAYS, &self.expiry_days.to_string(), now).await?;
        settings::set(db, REMINDER_DAYS, &self.reminder_days.to_string(), now).await?;
        settings::set(
            db,
            AUTO_CONVERT,
            if self.auto_convert { "1" } else { "0" },
            now,
        )
        .await?;
        settings::set(db, LEGAL_DE, &self.legal_de, now).await?;
        settings::set(db, LEGAL_EN, &self.legal_en, now).await?;
        Ok(())
    }

    /// The legal text in the reader's language.
    pub fn legal_text(&self, l: Locale) -> String {
        let set = match l {
            Locale::De => &self.legal_de,
            Locale::En => &self.legal_en,
        };
        if set.trim().is_empty() {
            crate::i18n::t(l, "estimate-legal-default")
        } else {
            set.clone()
        }
    }
}

/// The estimate, whoever asks (the answer pages have checked who).
pub async fn find(db: &DatabaseConnection, id: EstimateId) -> AppResult<Estimate> {
    repo::find(db, id).await?.ok_or(AppError::NotFound)
}

/// The estimate a secret link names, once sent; not found otherwise.
pub async fn by_token(db: &DatabaseConnection, token: &str) -> AppResult<Estimate> {
    let id = accept::find_by_token(db, &KIND, token)
        .await?
        .ok_or(AppError::NotFound)?;
    match repo::find(db, EstimateId(id)).await? {
        Some(e) if e.status != Status::Draft => Ok(e),
        _ => Err(AppError::NotFound),
    }
}

/// Why the estimate takes no answer on `today`, if it does not.
fn closed(e: &Estimate, today: NaiveDate) -> Option<AppError> {
    let key = match e.status {
        Status::Sent if e.is_open(today) => return None,
        Status::Sent | Status::Expired => "error-estimate-expired",
        Status::Accepted => "error-estimate-accepted",
        Status::Declined => "error-estimate-declined",
        Status::Draft => "error-estimate-not-issued",
    };
    Some(AppError::Conflict(key.into()))
}

/// Who answers: the customer on the link or in the portal, or staff on
/// their behalf.
pub enum Answerer<'a> {
    Public(Origin),
    Contact(&'a Contact, Origin),
    Staff(&'a StaffActor),
}

impl Answerer<'_> {
    fn author(&self, name: &str) -> Author {
        match self {
            Answerer::Public(_) => Author {
                kind: "public",
                id: None,
                name: name.to_owned(),
            },
            Answerer::Contact(c, _) => Author::contact(c),
            Answerer::Staff(actor) => Author::staff(actor),
        }
    }

    fn origin(&self) -> (String, String) {
        match self {
            Answerer::Public(o) | Answerer::Contact(_, o) => (o.ip.clone(), o.user_agent.clone()),
            Answerer::Staff(_) => (String::new(), String::new()),
        }
    }

    fn staff(&self) -> Option<i64> {
        match self {
            Answerer::Staff(actor) => Some(actor.id.0),
            _ => None,
        }
    }
}

/// Accepts the open estimate: the signature stored, the answer recorded
/// once, staff told, the signed copy archived; with "convert on
/// acceptance" set, the invoice drafted too.
pub async fn accept(
    state: &AppState,
    id: EstimateId,
    by: Answerer<'_>,
    signed: Signed,
) -> AppResult<()> {
    let e = repo::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    if let Some(refused) = closed(&e, state.clock.today()) {
        return Err(refused);
    }
    let signature_key = match signed.signature.is_empty() {
        true => None,
        false => {
            let key = accept::signature_key(&KIND, id.0);
            state.storage.put(&key, signed.signature.clone()).await?;
            Some(key)
        }
    };
    let (ip, user_agent) = by.origin();
    let acceptance = Acceptance {
        name: signed.name,
        email: signed.email,
        at: now,
        ip,
        user_agent,
        signature_key,
        recorded_by: by.staff(),
    };
    let txn = kernel::db::begin_write(&state.db).await?;
    let marked = accept::set_accepted(
        &txn,
        &KIND,
        (id.0, &[Status::Sent.key()], Status::Accepted.key()),
        &acceptance,
    )
    .await?;
    if marked == 0 {
        drop(txn);
        if let Some(key) = &acceptance.signature_key
            && let Err(err) = state.storage.delete(key).await
        {
            tracing::warn!(key, error = %err, "removing a signature not taken failed");
        }
        return Err(AppError::Conflict("error-estimate-answered".into()));
    }
    let number = e.number.clone().unwrap_or_default();
    let detail = format!("{number} · {} <{}>", acceptance.name, acceptance.email);
    let author = by.author(&acceptance.name);
    let ip = (!acceptance.ip.is_empty()).then_some(acceptance.ip.as_str());
    activity::record(
        &txn,
        entity(id),
        Some(e.customer_id.0),
        &author,
        "accepted",
        &detail,
        ip,
        &state.clock,
    )
    .await?;
    tell_staff(state, &txn, &e, "accepted", &acceptance.name).await?;
    txn.commit().await?;
    if let Err(err) = archive_signed(state, &e, &acceptance, signed.signature).await {
        tracing::warn!(id = id.0, error = %err, "archiving the signed estimate failed");
    }
    // The acceptance stands whatever happens to the conversion; staff see
    // an unconverted estimate and convert it themselves.
    if Settings::load(&state.db).await?.auto_convert
        && let Err(err) = convert_as(state, id, None).await
    {
        tracing::warn!(id = id.0, error = %err, "converting the accepted estimate failed");
    }
    Ok(())
}

/// Declines the open estimate, once, with the customer's reason.
pub async fn decline(
    state: &AppState,
    id: EstimateId,
    by: Answerer<'_>,
    reason: String,
) -> AppResult<()> {
    let e = repo::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if let Some(refused) = closed(&e, state.clock.today()) {
        return Err(refused);
    }
    let decline = Decline {
        at: state.clock.now(),
        reason,
        recorded_by: by.staff(),
    };
    let txn = kernel::db::begin_write(&state.db).await?;
    let marked = accept::set_declined(
        &txn,
        &KIND,
        (id.0, &[Status::Sent.key()], Status::Declined.key()),
        &decline,
    )
    .await?;
    if marked == 0 {
        return Err(AppError::Conflict("error-estimate-answered".into()));
    }
    let (ip, _) = by.origin();
    let name = match &by {
        Answerer::Contact(c, _) => c.name(),
        Answerer::Staff(a) => a.name.clone(),
        Answerer::Public(_) => customers::company_of(&state.db, e.customer_id).await?,
    };
    let ip = (!ip.is_empty()).then_some(ip.as_str());
    activity::record(
        &txn,
        entity(id),
        Some(e.customer_id.0),
        &by.author(&name),
        "declined",
        &decline.reason,
        ip,
        &state.clock,
    )
    .await?;
    tell_staff(state, &txn, &e, "declined", &name).await?;
    txn.commit().await?;
    Ok(())
}

/// Staff record an answer given another way (by phone): audited, without
/// a drawn signature.
pub async fn accept_for(
    state: &AppState,
    actor: &StaffActor,
    id: EstimateId,
    name: &str,
    email: &str,
) -> AppResult<()> {
    get(&state.db, actor, id).await?;
    policy::require(actor, AREA, Action::Edit)?;
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
    accept(state, id, Answerer::Staff(actor), signed).await
}

pub async fn decline_for(
    state: &AppState,
    actor: &StaffActor,
    id: EstimateId,
    reason: String,
) -> AppResult<()> {
    get(&state.db, actor, id).await?;
    policy::require(actor, AREA, Action::Edit)?;
    decline(state, id, Answerer::Staff(actor), reason).await
}

/// Takes an answer back while the estimate is not converted: it is open
/// again (the worker expires it if its date has passed).
pub async fn undo_answer(state: &AppState, actor: &StaffActor, id: EstimateId) -> AppResult<()> {
    let e = get(&state.db, actor, id).await?;
    policy::require(actor, AREA, Action::Edit)?;
    if e.invoice.is_some() {
        return Err(AppError::Conflict("error-estimate-converted".into()));
    }
    let txn = kernel::db::begin_write(&state.db).await?;
    let from = [Status::Accepted.key(), Status::Declined.key()];
    let changed = accept::clear_answer(
        &txn,
        &KIND,
        (id.0, &from, Status::Sent.key()),
        state.clock.now(),
    )
    .await?;
    if changed == 0 {
        return Err(AppError::Conflict("error-estimate-not-answered".into()));
    }
    activity::record(
        &txn,
        entity(id),
        Some(e.customer_id.0),
        &Author::staff(actor),
        "answer_undone",
        e.status.key(),
        None,
        &state.clock,
    )
    .await?;
    txn.commit().await?;
    if let Some(a) = &e.accepted {
        let stale = [
            a.signature_key.clone(),
            Some(accept::signed_key(&KIND, id.0)),
        ];
        for key in stale.into_iter().flatten() {
            if let Err(err) = state.storage.delete(&key).await {
                tracing::warn!(key, error = %err, "removing an undone signature failed");
            }
        }
    }
    Ok(())
}

/// Tells the estimate's staff (its creator and agent) of the customer's
/// answer, in the app and by email.
async fn tell_staff(
    state: &AppState,
    txn: &impl ConnectionTrait,
    e: &Estimate,
    answer: &str,
    who: &str,
) -> AppResult<()> {
    let mut staff_ids = vec![e.created_by];
    if let Some(agent) = e.body.sales_agent_id
        && agent != e.created_by
    {
        staff_ids.push(agent);
    }
    let company = customers::company_of(txn, e.customer_id).await?;
    let link = KIND.page(e.id.0);
    let number = e.number.clone().unwrap_or_default();
    for id in staff_ids {
        let Some((email, locale, name)) = staff::contact_of(txn, id).await? else {
            continue;
        };
        let args = [
            ("name", name),
            ("number", number.clone()),
            ("company", company.clone()),
            ("who", who.to_owned()),
        ];
        let mail = format!("mail-estimate-{answer}");
        let title = crate::i18n::t_args(locale, &format!("{mail}-subject"), &args);
        notifications::notify(
            txn,
            id,
            &title,
            &company,
            &link,
            &format!(
                "estimate-{answer}:{}:{}",
                e.id.0,
                state.clock.now().timestamp()
            ),
            &state.clock,
        )
        .await?;
        let url = format!("{}{link}", state.config.base_url.trim_end_matches('/'));
        kernel::mail::enqueue(
            txn,
            &compose(locale, &email, &mail, &args, Some(&url)),
            state.clock.now(),
        )
        .await?;
    }
    Ok(())
}

/// Writes the signed copy (the archived PDF with the acceptance page) and
/// answers it.
async fn archive_signed(
    state: &AppState,
    e: &Estimate,
    a: &Acceptance,
    signature: Vec<u8>,
) -> AppResult<Vec<u8>> {
    let original = typed::archived_pdf::<Estimates>(state, e).await?;
    let locale = customers::for_document(&state.db, e.customer_id)
        .await?
        .0
        .language;
    let signature = (!signature.is_empty()).then_some(signature);
    let signed =
        accept::signed_copy(state, (&KIND, e.id.0, locale), original, a, signature).await?;
    state
        .storage
        .put(&accept::signed_key(&KIND, e.id.0), signed.clone())
        .await?;
    Ok(signed)
}

/// The signed copy of an accepted estimate, written now if it could not
/// be at acceptance.
pub async fn signed_pdf(state: &AppState, e: &Estimate) -> AppResult<Vec<u8>> {
    let Some(a) = e.accepted.as_ref().filter(|_| e.status == Status::Accepted) else {
        return Err(AppError::NotFound);
    };
    if let Some(signed) = stored(&state.storage, &accept::signed_key(&KIND, e.id.0)).await? {
        return Ok(signed);
    }
    let signature = match &a.signature_key {
        Some(key) => stored(&state.storage, key).await?.unwrap_or_default(),
        None => Vec::new(),
    };
    archive_signed(state, e, a, signature).await
}

/// The drawn signature of an accepted estimate.
pub async fn signature_png(state: &AppState, e: &Estimate) -> AppResult<Vec<u8>> {
    let key = e
        .accepted
        .as_ref()
        .and_then(|a| a.signature_key.clone())
        .ok_or(AppError::NotFound)?;
    stored(&state.storage, &key)
        .await?
        .ok_or(AppError::NotFound)
}

/// Makes a draft invoice of the estimate, once: the same lines, discount,
/// adjustment, notes and terms, dated today; the estimate links to it and
/// the invoice back.
pub async fn convert(state: &AppState, actor: &StaffActor, id: EstimateId) -> AppResult<InvoiceId> {
    get(&state.db, actor, id).await?;
    if !may(actor, Action::Edit) || !invoices::may(actor, Action::Create) {
        return Err(AppError::Forbidden);
    }
    convert_as(state, id, Some(actor)).await
}

async fn convert_as(
    state: &AppState,
    id: EstimateId,
    actor: Option<&StaffActor>,
) -> AppResult<InvoiceId> {
    let clock = &state.clock;
    let txn = kernel::db::begin_write(&state.db).await?;
    store::lock(&txn, &KIND, id.0).await?;
    let e = repo::find(&txn, id).await?.ok_or(AppError::NotFound)?;
    if e.invoice.is_some() {
        return Err(AppError::Conflict("error-estimate-converted".into()));
    }
    if !matches!(e.status, Status::Sent | Status::Accepted) {
        return Err(AppError::Conflict("error-estimate-not-convertible".into()));
    }
    let mut body = e.body.clone();
    body.date = clock.today();
    body.due_date = None;
    let by = actor.map_or(e.created_by, |a| a.id);
    let source = store::source_columns(&KIND, id.0);
    let invoice = InvoiceId(
        store::insert(
            &txn,
            &invoices::KIND,
            e.customer_id,
            &body,
            by,
            source,
            clock.now(),
        )
        .await?,
    );
    if repo::set_invoice(&txn, id, invoice, clock.now()).await? == 0 {
        return Err(AppError::Conflict("error-estimate-converted".into()));
    }
    let author = actor.map_or_else(Author::system, Author::staff);
    let customer = Some(e.customer_id.0);
    let number = e.number.clone().unwrap_or_default();
    activity::record(
        &txn,
        entity(id),
        customer,
        &author,
        "converted",
        &format!("#{}", invoice.0),
        None,
        clock,
    )
    .await?;
    activity::record(
        &txn,
        invoices::entity(invoice),
        customer,
        &author,
        "created",
        &format!("← {number}"),
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(invoice)
}

/// A new draft with the estimate's lines, dated today, for the same
/// customer: how a sent estimate is revised (it is never edited).
pub async fn copy(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: EstimateId,
    clock: &Clock,
) -> AppResult<EstimateId> {
    let source = get(db, actor, id).await?;
    policy::require(actor, AREA, Action::Create)?;
    let mut body = source.body.clone();
    let today = clock.today();
    body.due_date = source.expiry_date().map(|d| today + (d - body.date));
    body.date = today;
    let txn = kernel::db::begin_write(db).await?;
    let copy = EstimateId(
        store::insert(
            &txn,
            &KIND,
            source.customer_id,
            &body,
            actor.id,
            accept::token_columns(),
            clock.now(),
        )
        .await?,
    );
    let detail = format!("← {}", source.number.as_deref().unwrap_or_default());
    activity::record(
        &txn,
        entity(copy),
        Some(source.customer_id.0),
        &Author::staff(actor),
        "created",
        &detail,
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(copy)
}

/// The overview figure: what the customer's open estimates are worth, for
/// staff who may see estimates (their own with "view own").
pub async fn figures(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    _today: NaiveDate,
) -> AppResult<Vec<FigureShown>> {
    if !policy::may_see_some(actor, AREA) {
        return Ok(Vec::new());
    }
    let own = (!may(actor, Action::View)).then_some(actor.id.0);
    let total = repo::open_total(db, customer.0, own).await?;
    Ok(vec![FigureShown {
        id: "figure-estimates",
        label_key: "estimates-open",
        value: FigureValue::Minor(total),
    }])
}

/// The estimates of a portal contact's customer, once sent.
pub async fn of_contact(db: &DatabaseConnection, contact: &Contact) -> AppResult<Vec<EstimateRow>> {
    let among = Among {
        customers: &CustomerSet::One(contact.customer_id.0),
        filter: &EstimateFilter::default(),
        own: None,
    };
    let found = store::list(db, &KIND, &among, None).await?;
    Ok(found
        .into_iter()
        .map(|(l, row)| repo::to_row(l, &row))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|r| r.status != Status::Draft)
        .collect())
}

/// One sent estimate of the contact's customer; 404 otherwise.
pub async fn get_for_contact(
    db: &DatabaseConnection,
    contact: &Contact,
    id: EstimateId,
) -> AppResult<Estimate> {
    match repo::find(db, id).await? {
        Some(e) if e.customer_id == contact.customer_id && e.status != Status::Draft => Ok(e),
        _ => Err(AppError::NotFound),
    }
}
