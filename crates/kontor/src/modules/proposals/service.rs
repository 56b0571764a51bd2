//! Use cases of proposals. A draft changes freely; sending it (or marking
//! it sent) takes the next number of the proposal series. A sent proposal
//! is never edited: "revise" makes a new draft of it and marks it revised.
//! The customer reads it (it is then open), comments and answers through
//! the kit's answered documents; staff are told of every comment and the
//! customer of staff's. An accepted proposal becomes an estimate and an
//! invoice, once each.

use chrono::NaiveDate;
use kernel::{AppError, AppResult, FieldErrors, clock::Clock, i18n::Locale, types};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, QueryResult, Value,
    sea_query::{Alias, Expr, ExprTrait},
};

use super::{
    model::{Comment, Proposal, ProposalId, ProposalInput, ProposalRow, Status, Target},
    repo,
};
use crate::{
    common::{
        documents::{
            accept, answer,
            body::{BodyInput, DocumentBody},
            flow,
            kind::DocumentKind,
            store::{self, Extra, Head, Listed},
            typed::{self, DocumentType, SheetParts},
        },
        entity_ref::EntityRef,
        mail::compose,
    },
    modules::{
        activity::{model::Author, service as activity},
        billing::service::DocumentServices,
        contacts::{model::Contact, service as contacts},
        customers::{model::CustomerId, service as customers},
        estimates::service as estimates,
        invoices::service as invoices,
    },
    policy::{self, Action, Area, StaffActor},
    state::AppState,
};

/// The area of the role grid for proposals.
pub const AREA: Area = Area {
    key: "proposals",
    actions: policy::RECORD_ACTIONS,
    order: 36,
};

/// Proposals as the document core keeps them.
pub const KIND: DocumentKind = crate::document_kind! {
    key: "proposal",
    path: "proposals",
    area: AREA,
    issued_status: "sent",
    due_column: Some("open_till"),
    sales_agent: true,
    void_status: "declined",
    issue_on_send: true,
    due_label: "field-open-till",
    prose: true,
};

const SUBJECT_MAX: usize = 200;
const CONTENT_MAX: usize = 100_000;
/// The longest comment, in characters.
pub const COMMENT_MAX: usize = 5000;

/// Proposals as the document core handles them whole.
pub struct Proposals;

/// The subject and content as given, checked; `new` requires a subject.
fn own_columns(fields: &ProposalInput, new: bool) -> AppResult<Extra> {
    let mut e = FieldErrors::new();
    let mut columns: Extra = Vec::new();
    match (&fields.subject, new) {
        (Some(s), _) => {
            let s = types::text(&mut e, "subject", s, true, SUBJECT_MAX);
            columns.push(("subject", Value::from(s)));
        }
        (None, true) => e.add("subject", "error-required"),
        (None, false) => {}
    }
    if let Some(c) = &fields.content {
        let c = types::multiline(&mut e, "content", c, false, CONTENT_MAX);
        columns.push(("content", Value::from(c)));
    }
    if e.is_empty() {
        Ok(columns)
    } else {
        Err(AppError::Validation(e))
    }
}

impl DocumentType for Proposals {
    const KIND: &'static DocumentKind = &KIND;
    type Doc = Proposal;
    type Status = Status;
    type Svc = DocumentServices;
    const SVC: &'static DocumentServices = &DocumentServices;

    async fn get(db: &DatabaseConnection, actor: &StaffActor, id: i64) -> AppResult<Proposal> {
        get(db, actor, ProposalId(id)).await
    }

    type Fields = ProposalInput;

    /// A new proposal gets its secret link now, so that it never changes.
    async fn new_columns(
        _: &DatabaseConnection,
        _: &StaffActor,
        _: CustomerId,
        fields: &ProposalInput,
    ) -> AppResult<Extra> {
        let mut columns = own_columns(fields, true)?;
        columns.extend(accept::token_columns());
        Ok(columns)
    }

    async fn changed_columns(
        _: &DatabaseConnection,
        _: &StaffActor,
        _: &Proposal,
        fields: &ProposalInput,
    ) -> AppResult<Extra> {
        own_columns(fields, false)
    }

    /// `open_till` is the body's due date; a new proposal without one is
    /// open the configured days after its date.
    async fn complete(
        db: &DatabaseConnection,
        fields: &ProposalInput,
        mut body: BodyInput,
        new: Option<NaiveDate>,
    ) -> AppResult<BodyInput> {
        if let Some(till) = &fields.open_till {
            body.due_date = Some(till.clone());
        }
        let unset = body.due_date.as_deref().is_none_or(|d| d.trim().is_empty());
        if let Some(today) = new
            && unset
        {
            body.due_date =
                answer::default_date::<Proposals>(db, body.date.as_deref(), today).await?;
        }
        Ok(body)
    }

    fn head(doc: &Proposal) -> Head {
        doc.head()
    }

    /// Titled Vorschlag, with the date it is open till.
    fn sheet(p: &Proposal) -> SheetParts {
        SheetParts {
            title_key: "pdf-proposal-title",
            number_key: "pdf-proposal-number",
            date_key: "pdf-proposal-date",
            due_date: p.open_till(),
            to_pay: None,
            refers_to: None,
            intro_key: None,
        }
    }

    fn letter(p: &Proposal) -> Option<(String, String)> {
        Some((p.subject.clone(), p.content.clone()))
    }

    fn mail_fields(p: &Proposal, l: Locale) -> Vec<(&'static str, String)> {
        vec![
            ("subject", p.subject.clone()),
            (
                "amount",
                l.format_amount(p.totals().total, &p.body.currency),
            ),
            (
                "open_till",
                p.open_till().map(|d| l.format_date(d)).unwrap_or_default(),
            ),
        ]
    }

    fn public_link(p: &Proposal, base_url: &str) -> Option<String> {
        Some(p.public_url(base_url))
    }
}

pub fn entity(id: ProposalId) -> EntityRef {
    flow::entity(&KIND, id.0)
}

pub fn may(actor: &StaffActor, action: Action) -> bool {
    flow::may(&KIND, actor, action)
}

/// A line of the list from the document core's.
pub fn row(listed: Listed, row: &QueryResult) -> AppResult<ProposalRow> {
    Ok(repo::to_row(listed, row)?)
}

pub async fn get(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: ProposalId,
) -> AppResult<Proposal> {
    let proposal = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    typed::core::<Proposals>(db)
        .visible(actor, &proposal.head())
        .await?;
    Ok(proposal)
}

/// Makes an estimate or an invoice (a draft) of the accepted proposal,
/// once each: its lines, discount, adjustment, notes and terms, dated
/// today; the proposal links to it and it back.
pub async fn convert(
    state: &AppState,
    actor: &StaffActor,
    id: ProposalId,
    to: Target,
) -> AppResult<i64> {
    get(&state.db, actor, id).await?;
    let may_create = match to {
        Target::Estimate => estimates::may(actor, Action::Create),
        Target::Invoice => invoices::may(actor, Action::Create),
    };
    if !may(actor, Action::Edit) || !may_create {
        return Err(AppError::Forbidden);
    }
    let clock = &state.clock;
    let txn = kernel::db::begin_write(&state.db).await?;
    store::lock(&txn, &KIND, id.0).await?;
    let p = repo::find(&txn, id).await?.ok_or(AppError::NotFound)?;
    if p.status != Status::Accepted {
        return Err(AppError::Conflict("error-proposal-not-accepted".into()));
    }
    let (kind, done) = match to {
        Target::Estimate => (&estimates::KIND, p.estimate.is_some()),
        Target::Invoice => (&invoices::KIND, p.invoice.is_some()),
    };
    if done {
        return Err(AppError::Conflict(converted_key(to).into()));
    }
    if p.body.items.is_empty() {
        return Err(AppError::Conflict("error-proposal-no-lines".into()));
    }
    let mut body: DocumentBody = p.body.clone();
    body.date = clock.today();
    body.due_date = None;
    let mut extra = store::source_columns(&KIND, id.0);
    if let Target::Estimate = to {
        extra.extend(accept::token_columns());
    }
    let made = store::insert(
        &txn,
        kind,
        p.customer_id,
        &body,
        actor.id,
        extra,
        clock.now(),
    )
    .await?;
    if repo::set_made(&txn, id, (to, made), clock.now()).await? == 0 {
        return Err(AppError::Conflict(converted_key(to).into()));
    }
    let author = Author::staff(actor);
    let customer = Some(p.customer_id.0);
    let number = p.number.clone().unwrap_or_default();
    activity::record(
        &txn,
        entity(id),
        customer,
        &author,
        "converted",
        &format!("{} #{made}", kind.key),
        None,
        clock,
    )
    .await?;
    activity::record(
        &txn,
        flow::entity(kind, made),
        customer,
        &author,
        "created",
        &format!("← {number}"),
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(made)
}

fn converted_key(to: Target) -> &'static str {
    match to {
        Target::Estimate => "error-proposal-has-estimate",
        Target::Invoice => "error-proposal-has-invoice",
    }
}

/// A new draft of the sent proposal for the same customer, dated today;
/// the proposal is marked revised (it takes no answer any more).
pub async fn revise(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: ProposalId,
    clock: &Clock,
) -> AppResult<ProposalId> {
    let source = get(db, actor, id).await?;
    policy::require(actor, AREA, Action::Create)?;
    if !matches!(
        source.status,
        Status::Sent | Status::Open | Status::Declined | Status::Expired
    ) {
        return Err(AppError::Conflict("error-proposal-not-revisable".into()));
    }
    let mut body = source.body.clone();
    let today = clock.today();
    body.due_date = source.open_till().map(|d| today + (d - body.date));
    body.date = today;
    let txn = kernel::db::begin_write(db).await?;
    let from = source.status.key();
    let marked = store::set_where(
        &txn,
        &KIND,
        id.0,
        vec![
            ("status", Status::Revised.key().into()),
            ("updated_at", clock.now().into()),
        ],
        Some(Expr::col(Alias::new("status")).eq(from)),
    )
    .await?;
    if marked == 0 {
        return Err(AppError::Conflict("error-proposal-answered".into()));
    }
    let mut extra = vec![
        ("subject", Value::from(source.subject.clone())),
        ("content", Value::from(source.content.clone())),
    ];
    extra.extend(accept::token_columns());
    extra.extend(store::source_columns(&KIND, id.0));
    let copy = ProposalId(
        store::insert(
            &txn,
            &KIND,
            source.customer_id,
            &body,
            actor.id,
            extra,
            clock.now(),
        )
        .await?,
    );
    let number = source.number.as_deref().unwrap_or_default();
    let author = Author::staff(actor);
    let customer = Some(source.customer_id.0);
    activity::record(
        &txn,
        entity(id),
        customer,
        &author,
        "revised",
        &format!("#{}", copy.0),
        None,
        clock,
    )
    .await?;
    activity::record(
        &txn,
        entity(copy),
        customer,
        &author,
        "created",
        &format!("← {number}"),
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(copy)
}

/// Who writes a comment: staff on the proposal's page, a contact in the
/// portal, or a visitor on the link (who gives a name).
pub enum Commenter<'a> {
    Staff(&'a StaffActor),
    Contact(&'a Contact),
    Public(String),
}

/// The comments of a proposal the actor sees.
pub async fn comments(db: &DatabaseConnection, id: ProposalId) -> AppResult<Vec<Comment>> {
    Ok(repo::comments(db, id).await?)
}

/// Adds a comment to the sent proposal and tells the other side: staff
/// (its creator and assignee) of the customer's, the customer's document
/// contacts of staff's.
pub async fn comment(
    state: &AppState,
    p: &Proposal,
    by: Commenter<'_>,
    text: &str,
) -> AppResult<()> {
    if let Commenter::Staff(actor) = &by {
        policy::require(actor, AREA, Action::Edit)?;
    }
    let mut e = FieldErrors::new();
    let text = types::multiline(&mut e, "comment", text, true, COMMENT_MAX);
    let name = match &by {
        Commenter::Staff(a) => a.name.clone(),
        Commenter::Contact(c) => c.name(),
        Commenter::Public(name) => types::text(&mut e, "author_name", name, true, 200),
    };
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    if p.status == Status::Draft {
        return Err(AppError::Conflict("error-proposal-not-issued".into()));
    }
    let (kind, author_id, author) = match &by {
        Commenter::Staff(a) => ("staff", Some(a.id.0), Author::staff(a)),
        Commenter::Contact(c) => ("contact", Some(c.id.0), Author::contact(c)),
        Commenter::Public(_) => (
            "public",
            None,
            Author {
                kind: "public",
                id: None,
                name: name.clone(),
            },
        ),
    };
    let now = state.clock.now();
    let txn = kernel::db::begin_write(&state.db).await?;
    repo::add_comment(&txn, p.id, (kind, author_id, &name), &text, now).await?;
    let customer = Some(p.customer_id.0);
    let excerpt: String = text.chars().take(200).collect();
    activity::record(
        &txn,
        entity(p.id),
        customer,
        &author,
        "commented",
        &excerpt,
        None,
        &state.clock,
    )
    .await?;
    match by {
        Commenter::Staff(_) => tell_customer(state, &txn, p, &name).await?,
        _ => answer::tell_staff::<Proposals>(state, &txn, &p.head(), "commented", &name).await?,
    }
    txn.commit().await?;
    Ok(())
}

/// Mails the customer's document contacts that staff commented, with the
/// link to read it.
async fn tell_customer(
    state: &AppState,
    txn: &impl ConnectionTrait,
    p: &Proposal,
    who: &str,
) -> AppResult<()> {
    let (customer, _) = customers::for_document(txn, p.customer_id).await?;
    let url = p.public_url(&state.config.base_url);
    for contact in contacts::of_customer_for_documents(txn, (p.customer_id, AREA.key)).await? {
        let args = [
            ("name", contact.name()),
            ("number", p.number.clone().unwrap_or_default()),
            ("subject", p.subject.clone()),
            ("who", who.to_owned()),
        ];
        let mail = compose(
            customer.language,
            &contact.email,
            "mail-proposal-staff-commented",
            &args,
            Some(&url),
        );
        kernel::mail::enqueue(txn, &mail, state.clock.now()).await?;
    }
    Ok(())
}
