//! The portal's side of the shell: the signed-in contact as an extractor
//! and the page context in the contact's language with the portal menu
//! from the module descriptors. Every module's portal pages use them.

use axum::{extract::FromRequestParts, http::request::Parts};
use axum_extra::extract::CookieJar;
use kernel::AppError;

use crate::{
    http::ctx::{Ctx, NavItem, NavSection},
    i18n,
    modules::{
        portal::{model::COOKIE, service},
        portal_links, under,
    },
    state::AppState,
};

/// The signed-in contact as every portal page reads it.
pub use crate::modules::portal::model::PortalUser;

/// The signed-in contact; anonymous requests go to the portal login.
pub struct Portal(pub PortalUser, pub String);

impl FromRequestParts<AppState> for Portal {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar
            .get(COOKIE)
            .map(|c| c.value().to_string())
            .ok_or(AppError::Unauthorized)?;
        let user = service::identify(&state.db, &token, &state.clock)
            .await?
            .ok_or(AppError::Unauthorized)?;
        Ok(Portal(user, token))
    }
}

/// The page context in the contact's language with the portal menu.
pub fn ctx(mut c: Ctx, user: Option<&PortalUser>) -> Ctx {
    if let Some(u) = user {
        c.locale = u.locale;
    }
    c.flash = c.flash_key.as_deref().map(|k| i18n::t(c.locale, k));
    c.staff_name = None;
    c.mail_notice = None;
    c.nav = match user {
        Some(u) => {
            let links: Vec<_> = portal_links()
                .into_iter()
                .filter(|l| l.area.is_none_or(|area| u.may(area)))
                .collect();
            // The entry whose page the path lies deepest under: the
            // dashboard at `/portal` holds every other page.
            let current = links
                .iter()
                .filter(|l| under(&c.path, l.href))
                .map(|l| l.href)
                .max_by_key(|href| href.len());
            vec![NavSection {
                label: None,
                items: links
                    .iter()
                    .map(|l| NavItem {
                        href: l.href,
                        label: i18n::t(c.locale, l.label_key),
                        icon: l.icon,
                        active: current == Some(l.href),
                    })
                    .collect(),
            }]
        }
        None => Vec::new(),
    };
    c
}
