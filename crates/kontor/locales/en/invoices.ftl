# Texts of the invoices module.

error-invoice-issued = This invoice has been issued; it can no longer be changed or deleted.
tab-invoices = Invoices
invoice-status-draft = Draft
invoice-status-unpaid = Unpaid
invoices-none = No invoices yet.
action-new-invoice = New invoice
confirm-issue = Issue this invoice? It gets its number and can no longer be changed.
flash-invoice-issued = The invoice has been issued.
field-invoice-number = Number
invoice-status-partially_paid = Partially paid
invoice-status-paid = Paid
field-amount-paid = Paid
action-record-payment = Record payment
flash-payment-recorded = The payment has been recorded.
figure-outstanding = Outstanding
figure-overdue = Overdue
## Document PDFs
pdf-invoice-title = Invoice
pdf-invoice-date = Invoice date
zip-hint = The PDFs of the chosen invoices, or of all listed when none is chosen
mail-template-invoice-subject = Invoice {"{"}number{"}"} from {"{"}company{"}"}
mail-template-invoice-body =
    Dear Sir or Madam,

    please find attached invoice {"{"}number{"}"} for {"{"}amount_due{"}"}, due on {"{"}due_date{"}"}.

    Kind regards
    {"{"}company{"}"}
invoice-sent-at = Sent
action-mark-sent = Mark as sent
invoice-send-title = Send the invoice by email
invoice-send-attachment = The invoice PDF is attached as it was issued.
flash-invoice-sent = The invoice is on its way.
flash-invoice-marked-sent = The invoice is marked as sent.
invoice-status-cancelled = Cancelled
action-cancel-invoice = Cancel invoice
confirm-cancel-invoice = Cancel this invoice? A cancellation invoice (Stornorechnung) with the same lines is issued and the invoice is closed.
field-amount-credited = Credit applied
portal-how-to-pay = How to pay
portal-reference = Reference
unit-day = day(s)
unit-week = week(s)
unit-month = month(s)
unit-year = year(s)
recurring-next = next copy on
recurring-finished = finished
recurring-copy-of = Issued automatically from the recurring invoice
action-stop-recurring = Stop recurring
confirm-stop-recurring = Issue no further copies of this invoice?
flash-recurring-stopped = No further copies will be issued.
error-recurring-every = Enter a whole number from 1 to 365.
error-recurring-cycles = Enter a whole number from 0 to 1000.
invoice-overdue = Overdue
mail-template-overdue-subject = Reminder: invoice {"{"}number{"}"} is overdue
mail-template-overdue-body =
    Dear Sir or Madam,

    invoice {"{"}number{"}"} was due on {"{"}due_date{"}"}; {"{"}amount_due{"}"} is still open. If you have paid in the meantime, please disregard this email.

    Kind regards
    {"{"}company{"}"}
action-send-receipt = Send receipt
action-copy = Copy
flash-invoice-copied = A new draft with the same lines; check it and issue it.

# The dashboard
dashboard-receivables = Open invoices
dashboard-due-week = Due in 7 days
dashboard-due-list = Overdue and due soon
dashboard-open-amount = Open
dashboard-all-open = All open invoices
dashboard-nothing-open = No open invoices.
dashboard-revenue = Revenue
dashboard-revenue-caption = Net invoiced in the last 12 months
dashboard-revenue-total = in total
dashboard-revenue-net = Net
dashboard-no-revenue = Nothing was invoiced in the last 12 months.
field-month = Month
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec
portal-balance = Your open balance
portal-all-invoices = All invoices
portal-nothing-open = No open invoices – thank you!
