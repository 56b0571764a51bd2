//! The message catalogue (`locales/<lang>/<module>.ftl`, Fluent; `app.ftl`
//! for the shell and what several modules share) compiled into the
//! binary. A missing German key would silently show English, so a unit test
//! keeps both catalogues key-for-key identical.

use std::{borrow::Cow, collections::HashMap};

use fluent_templates::{Loader, fluent_bundle::FluentValue, static_loader};
pub use kernel::i18n::Locale;
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static DE: LanguageIdentifier = langid!("de");
static EN: LanguageIdentifier = langid!("en");

fn lang(locale: Locale) -> &'static LanguageIdentifier {
    match locale {
        Locale::De => &DE,
        Locale::En => &EN,
    }
}

/// The message for `key`; the key itself when unknown (never panics on
/// keys that arrive from outside, such as a flash cookie).
pub fn t(locale: Locale, key: &str) -> String {
    lookup(locale, key).unwrap_or_else(|| key.to_string())
}

/// The message for `key`, if there is one.
pub fn lookup(locale: Locale, key: &str) -> Option<String> {
    LOCALES.try_lookup(lang(locale), key)
}

pub fn t_args(locale: Locale, key: &str, args: &[(&'static str, String)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())))
        .collect();
    LOCALES
        .try_lookup_with_args(lang(locale), key, &args)
        .unwrap_or_else(|| key.to_string())
}

/// Whether a key exists; flash keys read from a cookie are checked with this.
pub fn has(key: &str) -> bool {
    LOCALES.try_lookup(&EN, key).is_some()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The keys of each file (`app.ftl`, `invoices.ftl` ...) of a language.
    fn keys(lang: &str) -> BTreeSet<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut keys = BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines() {
                if let Some((key, _)) = line.split_once(" =")
                    && !key.starts_with([' ', '#', '.'])
                    && !key.is_empty()
                {
                    keys.insert((file.clone(), key.to_string()));
                }
            }
        }
        keys
    }

    #[test]
    /// Key for key, and each in the same module's file.
    fn german_and_english_have_the_same_keys() {
        let (de, en) = (keys("de"), keys("en"));
        let only_en: Vec<_> = en.difference(&de).collect();
        let only_de: Vec<_> = de.difference(&en).collect();
        assert!(
            only_en.is_empty() && only_de.is_empty(),
            "only en: {only_en:?}, only de: {only_de:?}"
        );
    }

    #[test]
    fn lookups_differ_by_language() {
        assert_eq!(t(Locale::De, "nav-customers"), "Kunden");
        assert_eq!(t(Locale::En, "nav-customers"), "Customers");
        assert_eq!(t(Locale::En, "no-such-key"), "no-such-key");
    }
}
