# Texts of the contacts module.

action-new-contact = Neuer Kontakt
action-make-primary = Zum Hauptkontakt machen
field-primary = Hauptkontakt
field-portal-password = Portal-Passwort
section-notifications = E-Mail-Benachrichtigungen
figure-contacts = Kontakte
contacts-none = Noch keine Kontakte.
tab-contacts = Kontakte
error-primary-exists = Dieser Kunde hat bereits einen Hauptkontakt. Ändern Sie ihn mit „Zum Hauptkontakt machen“.
error-primary-required = Der Hauptkontakt kann nicht abgewählt werden; machen Sie stattdessen einen anderen Kontakt zum Hauptkontakt.
error-primary-inactive = Der Hauptkontakt muss aktiv sein.
# Einladungen
action-invite = Einladen
action-reinvite = Erneut einladen
contact-invited-at = Eingeladen am
flash-invited = Die Einladung wurde gesendet.
error-contact-inactive = Nur aktive Kontakte können eingeladen werden.
invite-title = Portal-Passwort festlegen
invite-done = Ihr Portal-Passwort ist gesetzt.
action-import-contacts = Kontakte importieren
import-contacts-help = Laden Sie eine CSV-Datei mit Kopfzeile hoch (Trennzeichen Komma, Semikolon oder Tab; UTF-8 oder Windows-1252). Spalten wie im Export; nur „email“ ist Pflicht. Bereiche in „permissions“ und „notifications“ durch „;“ getrennt. Fehlerhafte Zeilen werden gemeldet und nicht importiert.
error-csv-email = Die CSV-Datei braucht eine Spalte „email“.
