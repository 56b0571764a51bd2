# Texts of the invoices module.

error-invoice-issued = Diese Rechnung ist gestellt und kann nicht mehr geändert oder gelöscht werden.
tab-invoices = Rechnungen
invoice-status-draft = Entwurf
invoice-status-unpaid = Offen
invoices-none = Noch keine Rechnungen.
action-new-invoice = Neue Rechnung
confirm-issue = Rechnung jetzt stellen? Sie erhält ihre Nummer und kann danach nicht mehr geändert werden.
flash-invoice-issued = Die Rechnung ist gestellt.
field-invoice-number = Nummer
invoice-status-partially_paid = Teilweise bezahlt
invoice-status-paid = Bezahlt
field-amount-paid = Bezahlt
action-record-payment = Zahlung erfassen
flash-payment-recorded = Die Zahlung ist erfasst.
figure-outstanding = Offen
figure-overdue = Überfällig
## Document PDFs
pdf-invoice-title = Rechnung
pdf-invoice-date = Rechnungsdatum
zip-hint = Die PDFs der gewählten Rechnungen, oder aller gelisteten, wenn keine gewählt ist
mail-template-invoice-subject = Rechnung {"{"}number{"}"} von {"{"}company{"}"}
mail-template-invoice-body =
    Sehr geehrte Damen und Herren,

    anbei erhalten Sie die Rechnung {"{"}number{"}"} über {"{"}amount_due{"}"}, fällig am {"{"}due_date{"}"}.

    Mit freundlichen Grüßen
    {"{"}company{"}"}
invoice-sent-at = Versendet
action-mark-sent = Als versendet markieren
invoice-send-title = Rechnung per E-Mail senden
invoice-send-attachment = Das Rechnungs-PDF wird so angehängt, wie es ausgestellt wurde.
flash-invoice-sent = Die Rechnung ist unterwegs.
flash-invoice-marked-sent = Die Rechnung ist als versendet markiert.
invoice-status-cancelled = Storniert
action-cancel-invoice = Rechnung stornieren
confirm-cancel-invoice = Diese Rechnung stornieren? Eine Stornorechnung mit denselben Positionen wird ausgestellt und die Rechnung geschlossen.
field-amount-credited = Gutschriften verrechnet
portal-how-to-pay = So bezahlen Sie
portal-reference = Verwendungszweck
unit-day = Tag(e)
unit-week = Woche(n)
unit-month = Monat(e)
unit-year = Jahr(e)
recurring-next = nächste Kopie am
recurring-finished = abgeschlossen
recurring-copy-of = Automatisch ausgestellt aus der wiederkehrenden Rechnung
action-stop-recurring = Wiederholung beenden
confirm-stop-recurring = Keine weiteren Kopien dieser Rechnung ausstellen?
flash-recurring-stopped = Es werden keine weiteren Kopien ausgestellt.
error-recurring-every = Bitte eine ganze Zahl von 1 bis 365 eingeben.
error-recurring-cycles = Bitte eine ganze Zahl von 0 bis 1000 eingeben.
invoice-overdue = Überfällig
mail-template-overdue-subject = Zahlungserinnerung: Rechnung {"{"}number{"}"}
mail-template-overdue-body =
    Sehr geehrte Damen und Herren,

    die Rechnung {"{"}number{"}"} war am {"{"}due_date{"}"} fällig; offen sind noch {"{"}amount_due{"}"}. Sollten Sie inzwischen bezahlt haben, betrachten Sie diese E-Mail bitte als gegenstandslos.

    Mit freundlichen Grüßen
    {"{"}company{"}"}
action-send-receipt = Quittung senden
action-copy = Kopieren
flash-invoice-copied = Ein neuer Entwurf mit denselben Positionen; bitte prüfen und ausstellen.

# The dashboard
dashboard-receivables = Offene Rechnungen
dashboard-due-week = Fällig in 7 Tagen
dashboard-due-list = Überfällig und bald fällig
dashboard-open-amount = Offen
dashboard-all-open = Alle offenen Rechnungen
dashboard-nothing-open = Keine offenen Rechnungen.
dashboard-revenue = Umsatz
dashboard-revenue-caption = Netto berechnet in den letzten 12 Monaten
dashboard-revenue-total = zusammen
dashboard-revenue-net = Netto
dashboard-no-revenue = In den letzten 12 Monaten wurde nichts berechnet.
field-month = Monat
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mär
month-short-4 = Apr
month-short-5 = Mai
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Okt
month-short-11 = Nov
month-short-12 = Dez
portal-balance = Ihr offener Saldo
portal-all-invoices = Alle Rechnungen
portal-nothing-open = Keine offenen Rechnungen – vielen Dank!
