# Texts of the notes module.

action-add-note = Add note
field-contacted-at = Date contacted
notes-none = No notes yet.
markdown-help = Markdown is supported.
tab-notes = Notes
