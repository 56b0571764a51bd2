//! What a new customer starts with unless told otherwise: the language
//! and currency the business mostly works in, chosen at the first-run
//! setup. Customers already kept are not touched when they change.

use kernel::{AppResult, FieldErrors, clock::Clock, i18n::Locale, settings};
use sea_orm::ConnectionTrait;

use super::model::{CURRENCIES, CustomerInput};
use crate::policy::{self, Action, StaffActor};

const LANGUAGE: &str = "customers.default_language";
const CURRENCY: &str = "customers.default_currency";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Defaults {
    pub language: Locale,
    pub currency: String,
}

impl Defaults {
    /// As typed in a form: a language code and a currency the app knows.
    pub fn parse(language: &str, currency: &str) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let language = Locale::parse(language.trim()).unwrap_or_else(|| {
            e.add("language", "error-invalid");
            Locale::default()
        });
        let currency = currency.trim().to_uppercase();
        if !CURRENCIES.contains(&currency.as_str()) {
            e.add("currency", "error-currency");
        }
        match e.is_empty() {
            true => Ok(Self { language, currency }),
            false => Err(e),
        }
    }
}

/// The defaults as chosen, German and euro until then.
pub async fn get(db: &impl ConnectionTrait) -> AppResult<Defaults> {
    let (language, currency) = (
        settings::get(db, LANGUAGE).await?,
        settings::get(db, CURRENCY).await?,
    );
    Ok(Defaults {
        language: language
            .as_deref()
            .and_then(Locale::parse)
            .unwrap_or_default(),
        currency: currency
            .filter(|c| CURRENCIES.contains(&c.as_str()))
            .unwrap_or_else(|| CURRENCIES[0].to_owned()),
    })
}

pub async fn save(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    defaults: &Defaults,
    clock: &Clock,
) -> AppResult<()> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    settings::set(db, LANGUAGE, defaults.language.code(), clock.now()).await?;
    settings::set(db, CURRENCY, &defaults.currency, clock.now()).await?;
    Ok(())
}

/// A new customer's input with the defaults where it names no language
/// or currency (an empty currency has always meant the default one; an
/// empty language stays an error).
pub async fn fill(db: &impl ConnectionTrait, input: &CustomerInput) -> AppResult<CustomerInput> {
    let no_currency = input
        .currency
        .as_deref()
        .is_none_or(|c| c.trim().is_empty());
    if input.language.is_some() && !no_currency {
        return Ok(input.clone());
    }
    let d = get(db).await?;
    let mut filled = input.clone();
    if input.language.is_none() {
        filled.language = Some(d.language.code().to_owned());
    }
    if no_currency {
        filled.currency = Some(d.currency);
    }
    Ok(filled)
}
