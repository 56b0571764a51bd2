# Texts of the notifications module.

notifications-none = Keine Benachrichtigungen.
action-mark-read = Als gelesen markieren
action-mark-all-read = Alle als gelesen markieren
dashboard-no-unread = Keine ungelesenen Benachrichtigungen.
dashboard-all-notifications = Alle Benachrichtigungen
