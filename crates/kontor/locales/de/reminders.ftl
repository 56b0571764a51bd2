# Texts of the reminders module.

# Erinnerungen und Benachrichtigungen
tab-reminders = Erinnerungen
action-new-reminder = Neue Erinnerung
field-remind-at = Datum und Uhrzeit
field-staff = Mitarbeiter
reminder-also-email = Auch per E-Mail erinnern
reminder-email = E-Mail
reminder-notified = erinnert
reminder-pending = ausstehend
reminders-none = Noch keine Erinnerungen.
reminder-title = Erinnerung: { $company }
error-past = Bitte wählen Sie einen Zeitpunkt in der Zukunft.
reminder-set-on = Gesetzt an
dashboard-my-reminders = Meine Erinnerungen
dashboard-no-reminders = Keine anstehenden Erinnerungen.
