//! The Bootstrap Icons the pages use, drawn inline from the vendored
//! sprite. Referenced as `<use href="icons.svg#…">` instead, every page
//! laid itself out a second time once the sprite document had loaded.

use std::{collections::HashMap, sync::LazyLock};

const SPRITE: &str = include_str!("../../static/vendor/bootstrap-icons/icons.svg");

/// Each symbol of the sprite as an `<svg>` of its own, by name.
static ICONS: LazyLock<HashMap<&'static str, String>> = LazyLock::new(|| {
    SPRITE
        .split("<symbol ")
        .skip(1)
        .filter_map(|symbol| {
            let (head, rest) = symbol.split_once('>')?;
            let body = rest.split("</symbol>").next()?;
            let name = head.split("id=\"").nth(1)?.split('"').next()?;
            let view_box = head.split("viewBox=\"").nth(1)?.split('"').next()?;
            Some((
                name,
                format!(
                    "<svg class=\"bi bi-{name}\" viewBox=\"{view_box}\" aria-hidden=\"true\" focusable=\"false\">{body}</svg>"
                ),
            ))
        })
        .collect()
});

/// The icon `name`, decorative (screen readers skip it); nothing for a
/// name the sprite lacks (`scripts/vendor-icons.py` puts in what the
/// templates name).
pub fn svg(name: &str) -> &'static str {
    ICONS.get(name).map_or("", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_symbol_is_an_icon_of_its_own() {
        assert_eq!(ICONS.len(), SPRITE.matches("<symbol ").count());
        let bell = svg("bell");
        assert!(bell.starts_with("<svg class=\"bi bi-bell\" viewBox=\"0 0 16 16\""));
        assert!(bell.contains("<path") && bell.ends_with("</svg>"));
        assert_eq!(svg("no-such-icon"), "");
    }
}
