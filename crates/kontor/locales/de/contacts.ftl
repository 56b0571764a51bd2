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
