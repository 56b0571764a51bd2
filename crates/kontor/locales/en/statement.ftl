# Texts of the statement module.

period-all = All time
period-start = the beginning
period-today = today
statement-custom-hint = For a custom period choose "Custom" and enter from and/or to
statement-period = Period
statement-kind = Type
statement-reference = Reference
statement-debit = Debit
statement-credit = Credit
statement-balance = Balance
statement-carried = Carried forward
statement-beginning = Beginning balance
statement-invoiced = Invoiced
statement-paid = Paid
statement-credited = Credit notes
statement-refunded = Refunds
statement-balance-due = Balance due
statement-invoice = Invoice
statement-payment = Payment
statement-credit-note = Credit note
statement-credit-applied = Credit applied
statement-refund = Refund
action-print = Print
action-show = Show
error-to-before-from = The end of the period lies before its start.
pdf-statement-title = Statement
pdf-statement-date = Date
flash-statement-sent = The statement is on its way.
mail-template-statement-subject = Your statement from {"{"}company{"}"}
mail-template-statement-body =
    Dear Sir or Madam,

    please find attached your statement for {"{"}period{"}"}. The balance due is {"{"}balance{"}"}.

    Kind regards
    {"{"}company{"}"}
statement-send-title = Send the statement by email
statement-send-attachment = The statement of this period is attached as a PDF.
