# Texts of the notes module.

action-add-note = Notiz hinzufügen
field-contacted-at = Kontaktiert am
notes-none = Noch keine Notizen.
markdown-help = Markdown wird unterstützt.
tab-notes = Notizen
