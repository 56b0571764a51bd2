# Texts of the billing module.

## Billing settings
nav-billing-settings = Abrechnung
billing-company = Firma
billing-company-name = Firmenname
billing-tax-number = Steuernummer
billing-bank = Bankverbindung
billing-bank-holder = Kontoinhaber
billing-bank-name = Bank
billing-iban = IBAN
billing-bic = BIC
billing-tax-rates = Steuersätze
billing-rate-percent = Satz (%)
billing-payment-modes = Zahlungsarten
billing-number-formats = Nummernformate
billing-number-formats-help = {"{"}N{"}"} ist die laufende Nummer ({"{"}N:5{"}"} mit fünf Stellen), {"{"}YYYY{"}"}, {"{"}YY{"}"} und {"{"}MM{"}"} das Belegdatum. Bereits vergebene Nummern bleiben, wie sie sind.
billing-reset-yearly = Jedes Jahr wieder bei 1 beginnen
error-iban = Diese IBAN ist ungültig (Prüfziffer stimmt nicht).
error-bic = Eine BIC hat 8 oder 11 Buchstaben und Ziffern.
error-tax-rate = Bitte einen Satz von 0 bis 100 mit höchstens zwei Nachkommastellen eingeben.
error-tax-rate-taken = Diesen Steuersatz gibt es schon.
error-payment-mode-taken = Eine Zahlungsart mit diesem Namen gibt es schon.
billing-mail-templates = E-Mail-Vorlagen
billing-mail-templates-help = Werden beim Versand ausgefüllt und lassen sich davor noch ändern.
billing-reminders = Zahlungserinnerungen
billing-reminder-days = Tage nach Fälligkeit
billing-reminder-days-help = An jedem dieser Tage (z. B. 7, 14, 30) geht eine E-Mail mit der Rechnung an die Kontakte mit Rechnungsberechtigung. Leer: keine Erinnerungen.
error-reminder-days = Bitte ganze Tage von 1 bis 365 eingeben, durch Kommas getrennt.
billing-logo = Logo auf Belegen
billing-logo-none = Noch kein Logo: Belege zeigen nur den Firmennamen.
billing-logo-upload = Neues Logo
billing-logo-help = PNG, JPEG oder SVG, höchstens 1 MB. Es erscheint oben rechts auf Rechnungen, Gutschriften, Quittungen und Abrechnungen, die ab jetzt erstellt werden; ausgestellte Belege behalten, womit sie ausgestellt wurden.
billing-logo-remove = Logo entfernen
error-logo-too-large = Das Logo darf höchstens 1 MB groß sein.
error-logo-format = Bitte ein PNG-, JPEG- oder SVG-Bild wählen.
error-logo-unreadable = Dieses Bild lässt sich nicht lesen; bitte als PNG oder JPEG neu speichern.
error-unknown-setting = Diese Einstellung gibt es nicht.
