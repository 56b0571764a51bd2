//! Composing emails from the message catalogue: the subject and the text
//! come from `<name>-subject` and `<name>-text` in the recipient's language;
//! the HTML part is the same text in the shared mail layout.

use askama::Template;
use kernel::{i18n::Locale, mail::OutgoingMail};

use crate::i18n;

#[derive(Template)]
#[template(path = "mail/layout.html")]
struct MailHtml<'a> {
    lang: &'a str,
    paragraphs: Vec<&'a str>,
    action_url: Option<&'a str>,
    action_label: String,
}

/// `action_url` becomes a button in the HTML part and stays in the text.
pub fn compose(
    locale: Locale,
    to: &str,
    name: &str,
    args: &[(&'static str, String)],
    action_url: Option<&str>,
) -> OutgoingMail {
    let subject = i18n::t_args(locale, &format!("{name}-subject"), args);
    let mut text = i18n::t_args(locale, &format!("{name}-text"), args);
    if let Some(url) = action_url {
        text.push_str("\n\n");
        text.push_str(url);
    }
    let body = i18n::t_args(locale, &format!("{name}-text"), args);
    let html = MailHtml {
        lang: locale.code(),
        paragraphs: body.split("\n\n").collect(),
        action_url,
        action_label: i18n::t_args(locale, &format!("{name}-action"), args),
    }
    .render()
    .ok();
    OutgoingMail {
        to: to.to_string(),
        subject,
        text,
        html,
        ..OutgoingMail::default()
    }
}

/// A message a person wrote (a document's email, edited before sending):
/// the text as written, and the same text in the mail layout.
pub fn written(locale: Locale, to: &str, subject: &str, text: &str) -> OutgoingMail {
    let html = MailHtml {
        lang: locale.code(),
        paragraphs: text.split("\n\n").collect(),
        action_url: None,
        action_label: String::new(),
    }
    .render()
    .ok();
    OutgoingMail {
        to: to.to_string(),
        subject: subject.to_string(),
        text: text.to_string(),
        html,
        ..OutgoingMail::default()
    }
}
