# Texts of the estimates module.

tab-estimates = Angebote
estimate = Angebot
estimate-draft = Angebotsentwurf
action-new-estimate = Neues Angebot
estimates-none = Noch keine Angebote.
estimates-open = Offene Angebote
estimate-status-draft = Entwurf
estimate-status-sent = Versendet
estimate-status-accepted = Angenommen
estimate-status-declined = Abgelehnt
estimate-status-expired = Abgelaufen
field-estimate-number = Angebotsnr.
field-expiry-date = Gültig bis
field-decline-reason = Grund (optional)
estimate-converted = in Rechnung umgewandelt
estimate-converted-to = In Rechnung umgewandelt:
estimate-public-link = Link für den Kunden (ohne Anmeldung)
estimate-number-on-send = Das Angebot erhält seine Nummer, sobald es versendet oder als versendet markiert wird. Danach wird es nicht mehr geändert; „Kopieren“ legt einen neuen Entwurf an.
estimate-past-expiry = Gültigkeit abgelaufen
estimate-accepted-by = Angenommen von
estimate-declined-at = Abgelehnt am
estimate-signed-pdf = Unterschriebene Fassung (PDF)
estimate-record-answer = Antwort des Kunden erfassen (z. B. telefonisch)
estimate-record-answer-help = Wird im Verlauf mit Ihrem Namen vermerkt.
estimate-send-title = Angebot per E-Mail senden
estimate-send-attachment = Das PDF des Angebots wird angehängt. Ein Entwurf erhält beim Senden seine Nummer; der Platzhalter {"{"}number{"}"} wird dann ersetzt.
estimate-answer-title = Angebot annehmen oder ablehnen
estimate-agree = Ich habe den Text oben gelesen und stimme mit meiner Unterschrift dem Angebot zu.
estimate-legal-default = Mit Ihrer Unterschrift nehmen Sie dieses Angebot zu den genannten Preisen und Bedingungen verbindlich an. Die Annahme wird mit Name, E-Mail-Adresse, Zeitpunkt und IP-Adresse gespeichert.
estimates-settings = Angebote
estimates-settings-hint = Gültigkeit, Erinnerung vor Ablauf, Rechtstext der Annahme
estimates-settings-days-help = Ein neues Angebot ist so viele Tage ab seinem Datum gültig. Die Erinnerung geht einmal so viele Tage vor Ablauf an den Kunden (0: keine).
field-estimate-days = Gültigkeit in Tagen
field-estimate-reminder-days = Erinnerung Tage vor Ablauf
field-estimate-auto-convert = Angenommene Angebote sofort in eine Rechnung (Entwurf) umwandeln
field-legal-text = Rechtstext vor der Unterschrift
field-legal-text-help = Leer lassen für den mitgelieferten Text.
action-accept-estimate = Verbindlich annehmen
action-decline-estimate = Ablehnen
action-clear-signature = Unterschrift löschen
action-convert-invoice = In Rechnung umwandeln
action-record-acceptance = Annahme erfassen
action-record-decline = Ablehnung erfassen
action-undo-acceptance = Annahme zurücknehmen
action-undo-decline = Ablehnung zurücknehmen
confirm-estimate-number = Das Angebot als versendet markieren? Es erhält seine Nummer und kann danach nicht mehr geändert werden.
confirm-estimate-convert = Eine Rechnung (Entwurf) aus diesem Angebot erstellen? Das geht nur einmal.
confirm-estimate-undo = Die Antwort des Kunden zurücknehmen? Das Angebot ist danach wieder offen.
flash-estimate-issued = Das Angebot ist als versendet markiert.
flash-estimate-sent = Das Angebot ist unterwegs.
flash-estimate-marked-sent = Das Angebot ist als versendet markiert.
flash-estimate-copied = Ein neuer Entwurf mit den Positionen des Angebots ist angelegt.
flash-estimate-converted = Die Rechnung (Entwurf) ist angelegt.
flash-estimate-accepted = Die Annahme ist erfasst.
flash-estimate-declined = Die Ablehnung ist erfasst.
flash-estimate-answer-undone = Die Antwort ist zurückgenommen; das Angebot ist wieder offen.
flash-estimate-you-accepted = Vielen Dank, Sie haben das Angebot angenommen.
flash-estimate-you-declined = Sie haben das Angebot abgelehnt. Vielen Dank für Ihre Rückmeldung.
error-estimate-issued = Dieses Angebot ist versendet und wird nicht mehr geändert; „Kopieren“ legt einen neuen Entwurf an.
error-estimate-not-issued = Dieses Angebot ist noch ein Entwurf.
error-estimate-expired = Dieses Angebot ist abgelaufen und kann nicht mehr angenommen werden.
error-estimate-accepted = Dieses Angebot ist bereits angenommen.
error-estimate-declined = Dieses Angebot wurde abgelehnt und kann nicht mehr angenommen werden.
error-estimate-answered = Dieses Angebot wurde inzwischen beantwortet; es hat sich nichts geändert.
error-estimate-converted = Dieses Angebot ist bereits in eine Rechnung umgewandelt.
error-estimate-not-convertible = Nur versendete oder angenommene Angebote werden in eine Rechnung umgewandelt.
error-estimate-not-answered = Dieses Angebot hat keine Antwort, die sich zurücknehmen ließe.
error-accept-agree = Bitte bestätigen Sie den Text über der Unterschrift.
error-signature-blank = Bitte unterschreiben Sie im Feld oben.
error-signature-format = Die Unterschrift muss ein PNG-Bild sein.
error-signature-too-large = Die Unterschrift ist größer als 1 MB.
error-days = Eine ganze Zahl von Tagen, bitte.
billing-series-estimate = Angebote
billing-mail-template-estimate = Angebot
billing-mail-template-estimate-help = Platzhalter: {"{"}number{"}"}, {"{"}customer{"}"}, {"{"}amount{"}"}, {"{"}expiry_date{"}"}, {"{"}link{"}"}, {"{"}company{"}"}.
billing-mail-template-estimate_reminder = Angebot: Erinnerung vor Ablauf
billing-mail-template-estimate_reminder-help = Platzhalter: {"{"}number{"}"}, {"{"}customer{"}"}, {"{"}amount{"}"}, {"{"}expiry_date{"}"}, {"{"}link{"}"}, {"{"}company{"}"}.
mail-template-estimate-subject = Angebot {"{"}number{"}"} von {"{"}company{"}"}
mail-template-estimate-body =
    Sehr geehrte Damen und Herren,

    anbei erhalten Sie unser Angebot {"{"}number{"}"} über {"{"}amount{"}"}, gültig bis {"{"}expiry_date{"}"}.

    Sie können es hier ansehen und annehmen: {"{"}link{"}"}

    Mit freundlichen Grüßen
    {"{"}company{"}"}
mail-template-estimate_reminder-subject = Erinnerung: Angebot {"{"}number{"}"} gilt bis {"{"}expiry_date{"}"}
mail-template-estimate_reminder-body =
    Sehr geehrte Damen und Herren,

    unser Angebot {"{"}number{"}"} über {"{"}amount{"}"} ist noch bis {"{"}expiry_date{"}"} gültig.

    Sie können es hier ansehen und annehmen: {"{"}link{"}"}

    Mit freundlichen Grüßen
    {"{"}company{"}"}
mail-estimate-accepted-subject = Angebot { $number } angenommen ({ $company })
mail-estimate-accepted-text = Hallo { $name },

    { $who } hat das Angebot { $number } für { $company } angenommen.
mail-estimate-accepted-action = Angebot öffnen
mail-estimate-declined-subject = Angebot { $number } abgelehnt ({ $company })
mail-estimate-declined-text = Hallo { $name },

    { $who } hat das Angebot { $number } für { $company } abgelehnt.
mail-estimate-declined-action = Angebot öffnen
pdf-estimate-title = Angebot
pdf-estimate-number = Angebotsnr.
pdf-estimate-date = Angebotsdatum
pdf-expiry-date = Gültig bis
zip-estimates-hint = Die PDFs der gewählten Angebote, oder aller gelisteten, wenn keine gewählt ist
accept-cert-title = Annahmebestätigung
accept-cert-intro = Das Dokument auf den vorigen Seiten wurde wie folgt angenommen.
accept-cert-name = Name
accept-cert-email = E-Mail
accept-cert-time = Zeitpunkt
accept-cert-ip = IP-Adresse
accept-cert-agent = Browser
accept-cert-hash = SHA-256 des Dokuments
accept-cert-recorded = Erfasst
accept-cert-by-staff = von einem Mitarbeiter im Auftrag des Kunden
accept-cert-signature = Unterschrift
kind-estimate = Angebot
error-estimate-date-past = Das Gültigkeitsdatum ist vorbei; bitte vor dem Versenden ein späteres eintragen.
