# Texte des Vorschlagsmoduls.

tab-proposals = Vorschläge
proposal = Vorschlag
kind-proposal = Vorschlag
proposal-draft = Vorschlagsentwurf
action-new-proposal = Neuer Vorschlag
proposals-none = Noch keine Vorschläge.
proposal-status-draft = Entwurf
proposal-status-sent = Versendet
proposal-status-open = Geöffnet
proposal-status-revised = Überarbeitet
proposal-status-declined = Abgelehnt
proposal-status-accepted = Angenommen
proposal-status-expired = Abgelaufen
field-proposal-number = Vorschlagsnr.
field-open-till = Offen bis
proposal-converted-estimate = Umgewandelt in Angebot:
proposal-converted-invoice = Umgewandelt in Rechnung:
proposal-public-link = Link für den Kunden (ohne Anmeldung)
proposal-number-on-send = Der Vorschlag erhält seine Nummer beim Versenden oder beim Markieren als versendet. Danach wird er nicht mehr geändert; „Überarbeiten“ legt einen neuen Entwurf an.
proposal-past-date = „Offen bis“ überschritten
proposal-accepted-by = Angenommen von
proposal-declined-at = Abgelehnt am
proposal-signed-pdf = Unterschriebene Fassung (PDF)
proposal-record-answer = Antwort des Kunden erfassen (z. B. telefonisch)
proposal-record-answer-help = Wird im Verlauf unter Ihrem Namen vermerkt.
proposal-send-title = Vorschlag per E-Mail senden
proposal-send-attachment = Das PDF des Vorschlags ist angehängt. Ein Entwurf erhält seine Nummer beim Versenden; der Platzhalter {"{"}number{"}"} wird dann gefüllt.
proposal-answer-title = Vorschlag annehmen oder ablehnen
proposal-agree = Ich habe den obigen Text gelesen und nehme den Vorschlag mit meiner Unterschrift an.
proposal-legal-default = Mit Ihrer Unterschrift nehmen Sie diesen Vorschlag wie beschrieben an. Die Annahme wird mit Ihrem Namen, Ihrer E-Mail-Adresse, der Uhrzeit und Ihrer IP-Adresse festgehalten; das unterschriebene PDF erhält eine Bestätigungsseite.
proposal-comments = Kommentare
proposal-comments-none = Noch keine Kommentare.
proposals-settings = Vorschläge
proposals-settings-hint = Tage bis „Offen bis“, Erinnerung vor dem Datum, Rechtstext der Annahme
proposals-settings-days-help = Ein neuer Vorschlag ist so viele Tage ab seinem Datum offen. Der Kunde wird einmal so viele Tage vor diesem Datum erinnert (0: nie).
field-proposal-days = Offen für (Tage)
field-proposal-reminder-days = Erinnerung Tage vor „Offen bis“
field-proposal-auto-convert = Angenommene Vorschläge sofort umwandeln
action-accept-proposal = Verbindlich annehmen
action-decline-proposal = Ablehnen
confirm-proposal-number = Vorschlag als versendet markieren? Er erhält seine Nummer und kann danach nicht mehr geändert werden.
confirm-proposal-convert = Einen Entwurf aus diesem Vorschlag erstellen? Das geht je Art einmal.
confirm-proposal-revise = Einen neuen Entwurf dieses Vorschlags anlegen? Dieser wird als überarbeitet markiert und kann nicht mehr angenommen werden.
confirm-proposal-undo = Die Antwort des Kunden zurücknehmen? Der Vorschlag ist dann wieder offen.
flash-proposal-created = Der Vorschlag ist angelegt.
flash-proposal-saved = Der Vorschlag ist gespeichert.
flash-proposal-deleted = Der Entwurf ist gelöscht.
flash-proposal-issued = Der Vorschlag ist als versendet markiert.
flash-proposal-sent = Der Vorschlag ist unterwegs.
flash-proposal-marked-sent = Der Vorschlag ist als versendet markiert.
flash-proposal-revised = Ein neuer Entwurf des Vorschlags ist angelegt; der alte ist als überarbeitet markiert.
flash-proposal-converted = Der Entwurf ist angelegt.
flash-proposal-accepted = Die Annahme ist erfasst.
flash-proposal-declined = Die Ablehnung ist erfasst.
flash-proposal-answer-undone = Die Antwort ist zurückgenommen; der Vorschlag ist wieder offen.
flash-proposal-you-accepted = Vielen Dank, Sie haben den Vorschlag angenommen.
flash-proposal-you-declined = Sie haben den Vorschlag abgelehnt. Danke für Ihre Rückmeldung.
error-proposal-issued = Dieser Vorschlag ist versendet und wird nicht mehr geändert; „Überarbeiten“ legt einen neuen Entwurf an.
error-proposal-not-issued = Dieser Vorschlag ist noch ein Entwurf.
error-proposal-expired = Dieser Vorschlag ist über sein „Offen bis“ hinaus und kann nicht mehr angenommen werden.
error-proposal-accepted = Dieser Vorschlag ist bereits angenommen.
error-proposal-declined = Dieser Vorschlag wurde abgelehnt und kann nicht mehr angenommen werden.
error-proposal-revised = Dieser Vorschlag wurde durch eine Überarbeitung ersetzt und kann nicht mehr angenommen werden.
error-proposal-answered = Dieser Vorschlag wurde inzwischen beantwortet; nichts wurde geändert.
error-proposal-converted = Aus diesem Vorschlag wurde bereits etwas erstellt; seine Antwort bleibt bestehen.
error-proposal-not-answered = Dieser Vorschlag hat keine Antwort, die zurückgenommen werden kann.
error-proposal-not-accepted = Nur ein angenommener Vorschlag wird umgewandelt.
error-proposal-no-lines = Dieser Vorschlag hat keine Positionen zum Umwandeln.
error-proposal-has-estimate = Dieser Vorschlag wurde bereits in ein Angebot umgewandelt.
error-proposal-has-invoice = Dieser Vorschlag wurde bereits in eine Rechnung umgewandelt.
error-proposal-not-revisable = Nur ein versendeter, geöffneter, abgelehnter oder abgelaufener Vorschlag wird überarbeitet.
billing-series-proposal = Vorschläge
billing-mail-template-proposal = Vorschlag
billing-mail-template-proposal-help = Platzhalter: {"{"}number{"}"}, {"{"}subject{"}"}, {"{"}customer{"}"}, {"{"}amount{"}"}, {"{"}open_till{"}"}, {"{"}link{"}"}, {"{"}company{"}"}.
billing-mail-template-proposal_reminder = Vorschlag: Erinnerung vor „Offen bis“
billing-mail-template-proposal_reminder-help = Platzhalter: {"{"}number{"}"}, {"{"}subject{"}"}, {"{"}customer{"}"}, {"{"}amount{"}"}, {"{"}open_till{"}"}, {"{"}link{"}"}, {"{"}company{"}"}.
mail-template-proposal-subject = Vorschlag {"{"}number{"}"}: {"{"}subject{"}"}
mail-template-proposal-body =
    Sehr geehrte Damen und Herren,

    anbei unser Vorschlag {"{"}number{"}"} „{"{"}subject{"}"}“, offen bis {"{"}open_till{"}"}.

    Hier können Sie ihn lesen, kommentieren und annehmen: {"{"}link{"}"}

    Mit freundlichen Grüßen
    {"{"}company{"}"}
mail-template-proposal_reminder-subject = Erinnerung: Vorschlag {"{"}number{"}"} ist offen bis {"{"}open_till{"}"}
mail-template-proposal_reminder-body =
    Sehr geehrte Damen und Herren,

    unser Vorschlag {"{"}number{"}"} „{"{"}subject{"}"}“ ist offen bis {"{"}open_till{"}"}.

    Hier können Sie ihn lesen und annehmen: {"{"}link{"}"}

    Mit freundlichen Grüßen
    {"{"}company{"}"}
mail-proposal-accepted-subject = Vorschlag { $number } angenommen ({ $company })
mail-proposal-accepted-text = Hallo { $name },

    { $who } hat den Vorschlag { $number } für { $company } angenommen.
mail-proposal-accepted-action = Vorschlag öffnen
mail-proposal-declined-subject = Vorschlag { $number } abgelehnt ({ $company })
mail-proposal-declined-text = Hallo { $name },

    { $who } hat den Vorschlag { $number } für { $company } abgelehnt.
mail-proposal-declined-action = Vorschlag öffnen
mail-proposal-commented-subject = Neuer Kommentar zu Vorschlag { $number } ({ $company })
mail-proposal-commented-text = Hallo { $name },

    { $who } hat den Vorschlag { $number } für { $company } kommentiert.
mail-proposal-commented-action = Kommentar lesen
mail-proposal-staff-commented-subject = Neuer Kommentar zu Vorschlag { $number }: { $subject }
mail-proposal-staff-commented-text = Guten Tag { $name },

    { $who } hat den Vorschlag { $number } „{ $subject }“ kommentiert.
mail-proposal-staff-commented-action = Kommentar lesen
pdf-proposal-title = Vorschlag
pdf-proposal-number = Vorschlagsnr.
pdf-proposal-date = Datum
pdf-open-till = Offen bis
zip-proposals-hint = Die PDFs der gewählten Vorschläge oder aller gelisteten, wenn keiner gewählt ist
error-proposal-date-past = Das Datum „Offen bis“ ist vorbei; bitte vor dem Versenden ein späteres eintragen.
field-proposal-agent = Zuständig
error-convert-target = Bitte „estimate“ oder „invoice“ wählen.
