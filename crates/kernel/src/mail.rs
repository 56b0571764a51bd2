//! Outgoing email. Modules put messages into the `outbox` table inside
//! their own transaction; the worker drains it through SMTP (lettre) or,
//! when no SMTP server is configured, writes `.eml` files under the data
//! directory. Failed deliveries are retried with exponential back-off.

use std::path::{Path, PathBuf};

use crate::clock::Clock;
use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use futures::StreamExt;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Attachment as Part, Mailbox, Mailboxes, MultiPart, SinglePart, header::ContentType},
};
use sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use serde::{Deserialize, Serialize};

use crate::{config::Config, db::sql, jobs::Queue, storage::Storage};

/// Give up after this many attempts; the row stays with its last error.
pub const MAX_ATTEMPTS: i32 = 8;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutgoingMail {
    /// One address, or several separated by commas.
    pub to: String,
    pub cc: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
}

/// A file from the storage, attached when the mail is sent: the outbox
/// keeps the reference, not the bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub storage_key: String,
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Self> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .context("KONTOR_MAIL_FROM is not a mailbox")?;
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .context("KONTOR_SMTP_URL is not a valid SMTP URL")?
                    .build(),
            ),
            None => Transport::Files(config.data_dir.join("mail")),
        };
        Ok(Self { from, transport })
    }

    /// The folder mails are written to when no SMTP server is configured.
    pub fn file_dir(&self) -> Option<&Path> {
        match &self.transport {
            Transport::Files(dir) => Some(dir),
            Transport::Smtp(_) => None,
        }
    }

    pub async fn deliver(
        &self,
        mail: &OutgoingMail,
        storage: &Storage,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut files = Vec::with_capacity(mail.attachments.len());
        for a in &mail.attachments {
            let mut body = storage
                .read(&a.storage_key)
                .await?
                .with_context(|| format!("attachment {} is not in the storage", a.storage_key))?;
            let mut bytes = Vec::new();
            while let Some(chunk) = body.next().await {
                bytes.extend_from_slice(&chunk?);
            }
            files.push(bytes);
        }
        let message = self.build(mail, files)?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await.context("smtp send")?;
            }
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .context("create mail dir")?;
                let name = format!(
                    "{}-{}.eml",
                    now.format("%Y%m%dT%H%M%S%.6f"),
                    &crate::auth::random_token()[..8]
                );
                tokio::fs::write(dir.join(name), message.formatted())
                    .await
                    .context("write eml")?;
            }
        }
        Ok(())
    }

    fn build(&self, mail: &OutgoingMail, files: Vec<Vec<u8>>) -> Result<Message> {
        let to: Mailboxes = mail
            .to
            .parse()
            .with_context(|| format!("bad recipient {}", mail.to))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(mail.subject.clone());
        for mailbox in to {
            builder = builder.to(mailbox);
        }
        for cc in &mail.cc {
            let mailbox: Mailbox = cc
                .parse()
                .with_context(|| format!("bad copy recipient {cc}"))?;
            builder = builder.cc(mailbox);
        }
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text.clone());
        let body = match &mail.html {
            Some(html) => MultiPart::alternative().singlepart(text).singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(html.clone()),
            ),
            None if mail.attachments.is_empty() => {
                return builder.singlepart(text).context("build message");
            }
            None => MultiPart::mixed().singlepart(text),
        };
        if mail.attachments.is_empty() {
            return builder.multipart(body).context("build message");
        }
        let mut mixed = MultiPart::mixed().multipart(body);
        for (a, bytes) in mail.attachments.iter().zip(files) {
            let content_type = ContentType::parse(&a.content_type)
                .with_context(|| format!("bad content type {}", a.content_type))?;
            mixed = mixed.singlepart(Part::new(a.name.clone()).body(bytes, content_type));
        }
        builder.multipart(mixed).context("build message")
    }
}

/// Queues a message; it is sent by the worker after the caller commits.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    mail: &OutgoingMail,
    now: DateTime<Utc>,
) -> Result<()> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "INSERT INTO outbox (recipient, cc, subject, body_text, body_html, attachments, attempts, next_attempt_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7, $7)",
        ),
        [
            mail.to.clone().into(),
            (!mail.cc.is_empty()).then(|| mail.cc.join(", ")).into(),
            mail.subject.clone().into(),
            mail.text.clone().into(),
            mail.html.clone().into(),
            (!mail.attachments.is_empty())
                .then(|| serde_json::to_string(&mail.attachments))
                .transpose()?
                .into(),
            now.into(),
        ],
    ))
    .await
    .context("enqueue mail")?;
    Ok(())
}

#[derive(Debug, FromQueryResult)]
struct OutboxRow {
    id: i64,
    recipient: String,
    cc: Option<String>,
    subject: String,
    body_text: String,
    body_html: Option<String>,
    attachments: Option<String>,
    attempts: i32,
}

/// Unsent messages with attempts left whose next attempt is due, oldest
/// first; a claim counts an attempt.
const OUTBOX: Queue = Queue {
    table: "outbox",
    lease: "locked_until",
    lease_seconds: 300,
    due: "sent_at IS NULL AND attempts < $3 AND next_attempt_at <= $2",
    order: "id",
    also: ", attempts = attempts + 1, updated_at = $2",
    returning: "id, recipient, cc, subject, body_text, body_html, attachments, attempts",
};

/// Messages handed to the transport at the same time.
const PARALLEL_SENDS: usize = 8;

/// Claims due messages under a lease, so several instances never send the
/// same message at the same time, then delivers them. Returns how many were sent.
pub async fn drain(
    db: &impl ConnectionTrait,
    mailer: &Mailer,
    storage: &Storage,
    clock: &Clock,
) -> Result<usize> {
    let now = clock.now();
    let backend = db.get_database_backend();
    let rows: Vec<OutboxRow> = OUTBOX
        .claim(db, now, vec![MAX_ATTEMPTS.into()], 100)
        .await
        .context("claim outbox")?;
    // Several messages travel at once (over the SMTP connection pool); each
    // is marked as soon as it is handed over, so a crash repeats at most the
    // messages in flight.
    let results: Vec<Result<bool>> = futures::stream::iter(rows)
        .map(|row| async move {
            let mail = OutgoingMail {
                to: row.recipient,
                cc: row
                    .cc
                    .map(|cc| cc.split(", ").map(str::to_owned).collect())
                    .unwrap_or_default(),
                subject: row.subject,
                text: row.body_text,
                html: row.body_html,
                attachments: row
                    .attachments
                    .and_then(|a| serde_json::from_str(&a).ok())
                    .unwrap_or_default(),
            };
            let done = clock.now();
            let outcome = mailer.deliver(&mail, storage, done).await;
            let delivered = outcome.is_ok();
            let statement = match outcome {
                Ok(()) => Statement::from_sql_and_values(
                    backend,
                    sql(
                        backend,
                        "UPDATE outbox SET sent_at = $1, locked_until = NULL, last_error = NULL, updated_at = $1 WHERE id = $2",
                    ),
                    [done.into(), row.id.into()],
                ),
                Err(e) => {
                    tracing::warn!(outbox_id = row.id, error = ?e, "mail delivery failed");
                    let backoff =
                        Duration::seconds(30 * 2i64.pow(row.attempts.clamp(0, 12) as u32));
                    Statement::from_sql_and_values(
                        backend,
                        sql(
                            backend,
                            "UPDATE outbox SET next_attempt_at = $1, locked_until = NULL, last_error = $2, updated_at = $3 WHERE id = $4",
                        ),
                        [
                            (done + backoff).into(),
                            format!("{e:#}").into(),
                            done.into(),
                            row.id.into(),
                        ],
                    )
                }
            };
            db.execute_raw(statement).await.context("mark outbox row")?;
            Ok(delivered)
        })
        .buffer_unordered(PARALLEL_SENDS)
        .collect()
        .await;
    let mut sent = 0;
    for r in results {
        if r? {
            sent += 1;
        }
    }
    Ok(sent)
}
