# Texts of the statement module.

period-all = Gesamter Zeitraum
period-start = Beginn
period-today = heute
statement-custom-hint = Für einen eigenen Zeitraum „Eigener Zeitraum“ wählen und von und/oder bis eintragen
statement-period = Zeitraum
statement-kind = Art
statement-reference = Beleg
statement-debit = Soll
statement-credit = Haben
statement-balance = Saldo
statement-carried = Übertrag
statement-beginning = Anfangssaldo
statement-invoiced = In Rechnung gestellt
statement-paid = Bezahlt
statement-credited = Gutschriften
statement-refunded = Erstattungen
statement-balance-due = Offener Saldo
statement-invoice = Rechnung
statement-payment = Zahlung
statement-credit-note = Gutschrift
statement-credit-applied = Guthaben verrechnet
statement-refund = Erstattung
action-print = Drucken
action-show = Anzeigen
error-to-before-from = Das Ende des Zeitraums liegt vor seinem Beginn.
pdf-statement-title = Abrechnung
pdf-statement-date = Datum
flash-statement-sent = Die Abrechnung ist unterwegs.
mail-template-statement-subject = Ihre Abrechnung von {"{"}company{"}"}
mail-template-statement-body =
    Sehr geehrte Damen und Herren,

    anbei erhalten Sie Ihre Abrechnung für {"{"}period{"}"}. Der offene Saldo beträgt {"{"}balance{"}"}.

    Mit freundlichen Grüßen
    {"{"}company{"}"}
statement-send-title = Abrechnung per E-Mail senden
statement-send-attachment = Die Abrechnung dieses Zeitraums wird als PDF angehängt.
