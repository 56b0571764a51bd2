# Texts of the portal module.

# Kundenportal
portal-title = Kundenportal
portal-login-title = Anmeldung zum Kundenportal
portal-dashboard = Übersicht
portal-profile = Mein Profil
portal-welcome = Willkommen
portal-no-areas = Für Sie sind noch keine Portalbereiche freigeschaltet.
portal-acting-as = Sie sind angemeldet als
portal-back-to-admin = Zurück zur Verwaltung
## Portal settings and company addresses
nav-portal-settings = Portal
portal-setting-primary-edits-company = Der Hauptkontakt darf Rechnungs- und Lieferadresse der Firma im Portal ändern
portal-recent-files = Neueste Dateien
portal-all-files = Alle Dateien
settings-hint-portal = Was Kontakte im Kundenportal sehen dürfen
