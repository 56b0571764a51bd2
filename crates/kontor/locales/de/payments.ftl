# Texts of the payments module.

error-payment-exceeds-due = Das ist mehr, als auf der Rechnung noch offen ist; bitte höchstens den offenen Betrag erfassen.
error-payment-draft = Zahlungen werden nur auf gestellte Rechnungen erfasst.
flash-receipt-sent = Die Quittung ist unterwegs.
error-receipt-no-recipient = Kein Kontakt mit Rechnungsberechtigung und E-Mail-Adresse: Die Quittung wurde nicht gesendet.
zip-receipts-hint = Die Quittungen der gewählten Zahlungen, oder aller gelisteten, wenn keine gewählt ist
pdf-receipt-title = Zahlungsbestätigung
pdf-receipt-number = Quittungsnr.
pdf-payment-date = Zahlungsdatum
pdf-receipt-intro = Wir haben am { $date } { $amount } für die Rechnung { $number } erhalten. Vielen Dank.
pdf-invoice-total = Rechnungsbetrag
pdf-this-payment = Diese Zahlung
mail-template-receipt-subject = Zahlungseingang zur Rechnung {"{"}number{"}"}
mail-template-receipt-body =
    Sehr geehrte Damen und Herren,

    vielen Dank: Wir haben am {"{"}date{"}"} {"{"}amount{"}"} für die Rechnung {"{"}number{"}"} erhalten. Die Quittung liegt bei.

    Mit freundlichen Grüßen
    {"{"}company{"}"}
payment-edit-title = Zahlung ändern
dashboard-payments = Zahlungseingänge
dashboard-payments-month = Diesen Monat
dashboard-payments-latest = Zuletzt eingegangen
