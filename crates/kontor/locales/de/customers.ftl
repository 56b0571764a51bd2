# Texts of the customers module.

action-import = CSV importieren
action-export-csv = CSV exportieren
action-export-excel = Für Excel exportieren
action-select-all = Alle auswählen
action-new-customer = Neuer Kunde
action-delete-customer = Kunde löschen
action-manage-groups = Gruppen verwalten
field-company = Firma
field-currency = Währung
field-state = Bundesland
field-latitude = Breitengrad
field-longitude = Längengrad
field-same-as-billing = Wie Rechnungsadresse
# Kunden
search-customers = Name, USt-IdNr., Ort, Kontakt suchen …
filter-all-groups = Alle Gruppen
customers-none = Keine Kunden gefunden.
groups-none = Noch keine Gruppen.
section-groups = Kundengruppen
section-admins = Kundenbetreuer
section-address = Adresse
section-billing = Rechnungsadresse
section-shipping = Lieferadresse
import-help = Laden Sie eine CSV-Datei mit Kopfzeile hoch. Spalten wie im Export; nur „company“ ist Pflicht. Fehlerhafte Zeilen werden gemeldet und nicht importiert.
import-imported = Importiert
import-failed = Fehlgeschlagen
import-line = Zeile
import-errors = Fehler
map-no-coordinates = Für diesen Kunden sind keine Koordinaten hinterlegt. Tragen Sie Breiten- und Längengrad unten oder im Profil ein oder klicken Sie in die Karte.
map-open-external = In OpenStreetMap öffnen
map-click-help = Klicken Sie in die Karte, um die Position zu wählen.
# Reiter
tab-profile = Profil
tab-map = Karte
flash-nothing-selected = Es wurde nichts ausgewählt.
error-number-taken = Diese Kundennummer wird bereits verwendet.
error-coordinate = Der Breitengrad muss zwischen -90 und 90 liegen, der Längengrad zwischen -180 und 180.
error-coordinate-pair = Bitte geben Sie Breiten- und Längengrad an.
error-vat-id = Eine USt-IdNr. beginnt mit einem Ländercode aus zwei Buchstaben, z. B. DE123456789.
error-currency = Diese Währung wird nicht unterstützt.
error-unknown-group = Diese Kundengruppe gibt es nicht.
error-csv = Die Datei ist keine gültige CSV-Datei.
error-csv-company = Die CSV-Datei braucht eine Spalte „company“.
# Geokodierung
action-geocode = Aus Adresse ermitteln
flash-geocoded = Die Position wurde aus der Adresse ermittelt.
error-geocode-no-address = Der Kunde hat keine Adresse, die nachgeschlagen werden kann.
error-geocode-not-found = Die Adresse wurde nicht gefunden.
error-geocode-failed = Der Adressdienst hat nicht geantwortet. Bitte versuchen Sie es später erneut.
## Invoices
error-customer-has-documents = Dieser Kunde hat Rechnungen oder Gutschriften, die dauerhaft aufbewahrt werden; bitte deaktivieren Sie den Kunden stattdessen.
error-currency-fixed = Die Währung kann nicht mehr geändert werden, sobald der Kunde Rechnungen oder Gutschriften hat.
customers-newest-first = neueste zuerst; zum Sortieren eine Spaltenüberschrift anklicken

customer-tabs = Bereiche des Kunden
field-csv-file = CSV-Datei
dashboard-recent-customers = Zuletzt geöffnet
dashboard-no-recent = Noch keine Kunden geöffnet.
dashboard-all-customers = Alle Kunden
flash-customers-activated = Die gewählten Kunden sind jetzt aktiv.
flash-customers-deactivated = Die gewählten Kunden sind jetzt inaktiv.
customers-found = Kunden
