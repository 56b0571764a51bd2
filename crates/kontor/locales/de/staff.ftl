# Texts of the staff module.

nav-staff = Mitarbeiter
nav-roles = Rollen
action-revoke = Widerrufen
action-new-staff = Neuer Mitarbeiter
action-new-role = Neue Rolle
action-create-token = Token erstellen
reset-title = Neues Passwort wählen
account-title = Mein Konto
account-tokens = API-Tokens
token-once = Kopieren Sie den Token jetzt; er wird nur einmal angezeigt:
field-token-name = Name des Tokens
field-role = Rolle
field-admin = Administrator
flash-password-reset = Ihr Passwort wurde gesetzt. Bitte melden Sie sich an.
flash-token-revoked = Der Token wurde widerrufen.
error-password-short = Das Passwort muss mindestens 10 Zeichen lang sein.
error-password-common = Dieses Passwort ist zu leicht zu erraten (zum Beispiel eine Wiederholung, eine Tastaturreihe oder ein häufiges Passwort). Bitte wählen Sie ein anderes.
error-last-admin = Der letzte aktive Administrator kann nicht entfernt werden.
error-role-in-use = Diese Rolle ist noch Mitarbeitern zugewiesen.
account-calendar = Kalender-Feed Ihrer Erinnerungen (geheim halten)
settings-hint-staff = Wer sich anmelden darf, Rollen und Kundenzuordnung
settings-hint-roles = Was eine Rolle sehen und ändern darf
