# Texts of the vault module.

error-vault-sealed-elsewhere = Das gespeicherte Passwort dieses Eintrags gehört nicht zu ihm (in der Datenbank verändert oder vertauscht) und wird nicht angezeigt.
# Tresor
tab-vault = Tresor
field-server = Server
field-port = Port
field-username = Benutzername
field-visibility = Sichtbar für
vault-share = Mit den Kontakten des Kunden teilen
vault-shared = geteilt
vault-created-by = Angelegt von
vault-updated-by = zuletzt geändert von
vault-none = Noch keine Tresoreinträge.
vault-your-password = Ihr Anmeldepasswort
vault-reveal-log = Angezeigt von
vault-password-keep = Lassen Sie das Passwort leer, um es zu behalten.
action-new-entry = Neuer Tresoreintrag
action-reveal = Anzeigen
error-port = Ein Port ist eine Zahl von 1 bis 65535.
error-reauth-required = Bitte geben Sie Ihr Anmeldepasswort ein, um Passwörter anzuzeigen.
vault-staff-visibility = Sichtbar für Mitarbeiter
