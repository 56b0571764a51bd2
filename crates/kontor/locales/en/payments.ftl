# Texts of the payments module.

error-payment-exceeds-due = This is more than is still due on the invoice; record at most the amount due.
error-payment-draft = Payments are recorded on issued invoices only.
flash-receipt-sent = The receipt is on its way.
error-receipt-no-recipient = No contact with the invoices permission and an email address: the receipt was not sent.
zip-receipts-hint = The receipts of the chosen payments, or of all listed when none is chosen
pdf-receipt-title = Payment receipt
pdf-receipt-number = Receipt no.
pdf-payment-date = Payment date
pdf-receipt-intro = We have received { $amount } on { $date } for invoice { $number }. Thank you.
pdf-invoice-total = Invoice total
pdf-this-payment = This payment
mail-template-receipt-subject = Payment received for invoice {"{"}number{"}"}
mail-template-receipt-body =
    Dear Sir or Madam,

    thank you: we received {"{"}amount{"}"} on {"{"}date{"}"} for invoice {"{"}number{"}"}. The receipt is attached.

    Kind regards
    {"{"}company{"}"}
payment-edit-title = Change payment
dashboard-payments = Payments received
dashboard-payments-month = This month
dashboard-payments-latest = Latest
