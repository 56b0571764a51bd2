//! The attachables of one record, rendered for its page.

use kernel::AppResult;

use super::html::Attached;
use crate::{
    common::{attach::Rendered, entity_ref::EntityRef},
    http::{ctx::Ctx, form::FormState, identity::SignedIn},
    modules::{
        files::service as files, notes::service as notes, reminders::service as reminders,
        staff::service as staff,
    },
    state::AppState,
};

/// The notes, files and reminders on `record`, whose page is `page`, with
/// the note and reminder forms as given (empty, or as typed and refused).
pub async fn shown(
    state: &AppState,
    c: &Ctx,
    me: &SignedIn,
    (record, page): (EntityRef, &str),
    (nf, rf): (FormState, FormState),
) -> AppResult<Rendered> {
    let (notes, files, reminders, staff) = futures::try_join!(
        notes::views_on(&state.db, &me.actor, record),
        files::list_on(&state.db, record),
        reminders::views_on(&state.db, &me.actor, record),
        staff::directory(&state.db),
    )?;
    let attached = Attached {
        c,
        notes_id: format!("{}-notes", record.kind.replace('_', "-")),
        notes,
        nf,
        note_action: format!("{page}/notes"),
        files,
        files_action: format!("{page}/files"),
        reminders,
        rf,
        staff,
        reminder_action: format!("{page}/reminders"),
    };
    Rendered::of(&attached)
}
