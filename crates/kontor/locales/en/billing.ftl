# Texts of the billing module.

## Billing settings
nav-billing-settings = Billing
billing-company = Company
billing-company-name = Company name
billing-tax-number = Tax number
billing-bank = Bank account
billing-bank-holder = Account holder
billing-bank-name = Bank
billing-iban = IBAN
billing-bic = BIC
billing-tax-rates = Tax rates
billing-rate-percent = Rate (%)
billing-payment-modes = Payment modes
billing-number-formats = Number formats
billing-number-formats-help = {"{"}N{"}"} is the running number ({"{"}N:5{"}"} with five digits), {"{"}YYYY{"}"}, {"{"}YY{"}"} and {"{"}MM{"}"} the document date. Numbers already given keep theirs.
billing-reset-yearly = Start again at 1 each year
error-iban = This IBAN is not valid (check the digits).
error-bic = A BIC has 8 or 11 letters and digits.
error-tax-rate = Enter a rate from 0 to 100 with at most two decimals.
error-tax-rate-taken = This rate exists already.
error-payment-mode-taken = A payment mode with this name exists already.
billing-mail-templates = Email templates
billing-mail-templates-help = Filled in when a document is sent, and editable before sending.
billing-reminders = Overdue reminders
billing-reminder-days = Days after the due date
billing-reminder-days-help = An email with the invoice attached goes to the contacts with the invoices permission on each of these days (e.g. 7, 14, 30). Empty: no reminders.
error-reminder-days = Enter whole days from 1 to 365, separated by commas.
billing-logo = Logo on documents
billing-logo-none = No logo yet: documents show the company name only.
billing-logo-upload = New logo
billing-logo-help = PNG, JPEG or SVG, up to 1 MB. It appears at the top right of invoices, credit notes, receipts and statements issued from now on; issued documents keep what they were issued with.
billing-logo-remove = Remove logo
error-logo-too-large = The logo may be at most 1 MB.
error-logo-format = Please choose a PNG, JPEG or SVG image.
error-logo-unreadable = This image cannot be read; please save it again as PNG or JPEG.
error-unknown-setting = There is no such setting.
