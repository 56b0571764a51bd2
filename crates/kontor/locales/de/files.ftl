# Texts of the files module.

## Files
tab-files = Dateien
action-download = Herunterladen
action-preview = Vorschau
field-size = Größe
field-uploaded-by = Hochgeladen von
field-visible-to-customer = Für Kunden sichtbar
files-drop-hint = Dateien hierher ziehen oder auswählen.
files-max = Bis zu
files-shared = Freigegeben
files-not-shared = Nicht freigegeben
files-by-contact = Kontakt
files-attached-to = Angehängt an
flash-uploaded = Hochgeladen.
error-file-too-large = Die Datei ist größer als erlaubt.
error-file-empty = Die Datei ist leer.
error-file-name = Dieser Dateiname ist nicht erlaubt (keine Pfade oder Steuerzeichen).
error-file-name-too-long = Der Dateiname ist zu lang (höchstens 200 Zeichen).
error-file-name-invisible = Der Dateiname enthält unsichtbare Zeichen oder Zeichen, die die Schreibrichtung umkehren; bitte benennen Sie die Datei um.
error-too-many-files = Zu viele Dateien auf einmal; höchstens 20 pro Vorgang.
error-upload-broken = Das Hochladen wurde unterbrochen; bitte erneut versuchen.
field-file = Datei
file-type-pdf = PDF
file-type-image = Bild
file-type-spreadsheet = Tabelle
file-type-document = Textdokument
file-type-slides = Präsentation
file-type-archive = Archiv
file-type-audio = Audio
file-type-video = Video
file-type-text = Text
file-type-other = Datei
