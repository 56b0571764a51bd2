//! The block of a record's attachables as its page shows it.

use askama::Template;

use crate::{
    http::{ctx::Ctx, form::FormState},
    modules::{
        files::model::StoredFile, notes::model::NoteView, reminders::model::ReminderView,
        staff::model::StaffMember,
    },
};

#[derive(Template)]
#[template(path = "attachables/templates/attached.html")]
pub(super) struct Attached<'a> {
    pub c: &'a Ctx,
    /// What the notes section is named by (`invoice-notes`).
    pub notes_id: String,
    pub notes: Vec<NoteView>,
    pub nf: FormState,
    pub note_action: String,
    pub files: Vec<StoredFile>,
    pub files_action: String,
    pub reminders: Vec<ReminderView>,
    pub rf: FormState,
    pub staff: Vec<StaffMember>,
    pub reminder_action: String,
}
