# Texts of the estimates module.

tab-estimates = Estimates
estimate = Estimate
estimate-draft = Draft estimate
action-new-estimate = New estimate
estimates-none = No estimates yet.
estimates-open = Open estimates
estimate-status-draft = Draft
estimate-status-sent = Sent
estimate-status-accepted = Accepted
estimate-status-declined = Declined
estimate-status-expired = Expired
field-estimate-number = Estimate no.
field-expiry-date = Valid until
field-decline-reason = Reason (optional)
estimate-converted = converted to an invoice
estimate-converted-to = Converted to invoice:
estimate-public-link = Link for the customer (no sign-in)
estimate-number-on-send = The estimate gets its number when it is sent or marked as sent. It is not changed after that; "Copy" makes a new draft.
estimate-past-expiry = Past its expiry date
estimate-accepted-by = Accepted by
estimate-declined-at = Declined on
estimate-signed-pdf = Signed copy (PDF)
estimate-record-answer = Record the customer's answer (e.g. by phone)
estimate-record-answer-help = Recorded in the activity under your name.
estimate-send-title = Send estimate by email
estimate-send-attachment = The estimate's PDF is attached. A draft gets its number when it is sent; the placeholder {"{"}number{"}"} is filled in then.
estimate-answer-title = Accept or decline the estimate
estimate-agree = I have read the text above and accept the estimate with my signature.
estimate-legal-default = By signing you accept this estimate at the prices and terms stated, as a binding order. The acceptance is recorded with your name, email address, the time and your IP address.
estimates-settings = Estimates
estimates-settings-hint = Validity, reminder before expiry, the legal text of acceptance
estimates-settings-days-help = A new estimate is valid this many days from its date. The customer is reminded once this many days before it expires (0: never).
field-estimate-days = Valid for (days)
field-estimate-reminder-days = Reminder days before expiry
field-estimate-auto-convert = Convert accepted estimates to an invoice (draft) at once
field-legal-text = Legal text before the signature
field-legal-text-help = Leave empty for the built-in text.
action-accept-estimate = Accept (binding)
action-decline-estimate = Decline
action-clear-signature = Clear signature
action-convert-invoice = Convert to invoice
action-record-acceptance = Record acceptance
action-record-decline = Record decline
action-undo-acceptance = Undo acceptance
action-undo-decline = Undo decline
confirm-estimate-number = Mark the estimate as sent? It gets its number and cannot be changed after that.
confirm-estimate-convert = Make an invoice (draft) of this estimate? This can be done once.
confirm-estimate-undo = Take the customer's answer back? The estimate is open again.
flash-estimate-issued = The estimate is marked as sent.
flash-estimate-sent = The estimate is on its way.
flash-estimate-marked-sent = The estimate is marked as sent.
flash-estimate-copied = A new draft with the estimate's lines is created.
flash-estimate-converted = The invoice (draft) is created.
flash-estimate-accepted = The acceptance is recorded.
flash-estimate-declined = The decline is recorded.
flash-estimate-answer-undone = The answer is taken back; the estimate is open again.
flash-estimate-you-accepted = Thank you, you have accepted the estimate.
flash-estimate-you-declined = You have declined the estimate. Thank you for letting us know.
error-estimate-issued = This estimate has been sent and is not changed any more; "Copy" makes a new draft.
error-estimate-not-issued = This estimate is still a draft.
error-estimate-expired = This estimate has expired and can no longer be accepted.
error-estimate-accepted = This estimate has already been accepted.
error-estimate-declined = This estimate was declined and can no longer be accepted.
error-estimate-answered = This estimate has been answered meanwhile; nothing was changed.
error-estimate-converted = This estimate has already been converted to an invoice.
error-estimate-not-convertible = Only sent or accepted estimates are converted to an invoice.
error-estimate-not-answered = This estimate has no answer to take back.
error-accept-agree = Please confirm the text above the signature.
error-signature-blank = Please sign in the box above.
error-signature-format = The signature must be a PNG image.
error-signature-too-large = The signature is larger than 1 MB.
error-days = A whole number of days, please.
billing-series-estimate = Estimates
billing-mail-template-estimate = Estimate
billing-mail-template-estimate-help = Placeholders: {"{"}number{"}"}, {"{"}customer{"}"}, {"{"}amount{"}"}, {"{"}expiry_date{"}"}, {"{"}link{"}"}, {"{"}company{"}"}.
billing-mail-template-estimate_reminder = Estimate: reminder before expiry
billing-mail-template-estimate_reminder-help = Placeholders: {"{"}number{"}"}, {"{"}customer{"}"}, {"{"}amount{"}"}, {"{"}expiry_date{"}"}, {"{"}link{"}"}, {"{"}company{"}"}.
mail-template-estimate-subject = Estimate {"{"}number{"}"} from {"{"}company{"}"}
mail-template-estimate-body =
    Dear Sir or Madam,

    please find attached our estimate {"{"}number{"}"} of {"{"}amount{"}"}, valid until {"{"}expiry_date{"}"}.

    You can view and accept it here: {"{"}link{"}"}

    Kind regards
    {"{"}company{"}"}
mail-template-estimate_reminder-subject = Reminder: estimate {"{"}number{"}"} is valid until {"{"}expiry_date{"}"}
mail-template-estimate_reminder-body =
    Dear Sir or Madam,

    our estimate {"{"}number{"}"} of {"{"}amount{"}"} is valid until {"{"}expiry_date{"}"}.

    You can view and accept it here: {"{"}link{"}"}

    Kind regards
    {"{"}company{"}"}
mail-estimate-accepted-subject = Estimate { $number } accepted ({ $company })
mail-estimate-accepted-text = Hello { $name },

    { $who } has accepted estimate { $number } for { $company }.
mail-estimate-accepted-action = Open the estimate
mail-estimate-declined-subject = Estimate { $number } declined ({ $company })
mail-estimate-declined-text = Hello { $name },

    { $who } has declined estimate { $number } for { $company }.
mail-estimate-declined-action = Open the estimate
pdf-estimate-title = Estimate
pdf-estimate-number = Estimate no.
pdf-estimate-date = Estimate date
pdf-expiry-date = Valid until
zip-estimates-hint = The PDFs of the chosen estimates, or of all listed when none is chosen
accept-cert-title = Certificate of acceptance
accept-cert-intro = The document on the previous pages was accepted as follows.
accept-cert-name = Name
accept-cert-email = Email
accept-cert-time = Time
accept-cert-ip = IP address
accept-cert-agent = Browser
accept-cert-hash = SHA-256 of the document
accept-cert-recorded = Recorded
accept-cert-by-staff = by a staff member on the customer's behalf
accept-cert-signature = Signature
kind-estimate = Estimate
error-estimate-date-past = The expiry date has passed; set a later one before sending the estimate.
