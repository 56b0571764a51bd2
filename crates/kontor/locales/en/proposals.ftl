# Texts of the proposals module.

tab-proposals = Proposals
proposal = Proposal
kind-proposal = Proposal
proposal-draft = Draft proposal
action-new-proposal = New proposal
proposals-none = No proposals yet.
proposal-status-draft = Draft
proposal-status-sent = Sent
proposal-status-open = Open
proposal-status-revised = Revised
proposal-status-declined = Declined
proposal-status-accepted = Accepted
proposal-status-expired = Expired
field-proposal-number = Proposal no.
field-open-till = Open till
proposal-converted-estimate = Converted to estimate:
proposal-converted-invoice = Converted to invoice:
proposal-public-link = Link for the customer (no sign-in)
proposal-number-on-send = The proposal gets its number when it is sent or marked as sent. It is not changed after that; "Revise" makes a new draft.
proposal-past-date = Past its open-till date
proposal-accepted-by = Accepted by
proposal-declined-at = Declined on
proposal-signed-pdf = Signed copy (PDF)
proposal-record-answer = Record the customer's answer (e.g. by phone)
proposal-record-answer-help = Recorded in the activity under your name.
proposal-send-title = Send proposal by email
proposal-send-attachment = The proposal's PDF is attached. A draft gets its number when it is sent; the placeholder {"{"}number{"}"} is filled in then.
proposal-answer-title = Accept or decline the proposal
proposal-agree = I have read the text above and accept the proposal with my signature.
proposal-legal-default = By signing you accept this proposal as stated. The acceptance is recorded with your name, email address, the time and your IP address, and a certificate page is added to the signed PDF.
proposal-comments = Comments
proposal-comments-none = No comments yet.
proposals-settings = Proposals
proposals-settings-hint = Open-till days, reminder before the date, the legal text of acceptance
proposals-settings-days-help = A new proposal is open this many days from its date. The customer is reminded once this many days before that date (0: never).
field-proposal-days = Open for (days)
field-proposal-reminder-days = Reminder days before the open-till date
field-proposal-auto-convert = Convert accepted proposals at once
action-accept-proposal = Accept (binding)
action-decline-proposal = Decline
confirm-proposal-number = Mark the proposal as sent? It gets its number and cannot be changed after that.
confirm-proposal-convert = Make a draft of this proposal? This can be done once for each kind.
confirm-proposal-revise = Make a new draft of this proposal? This one is marked revised and can no longer be accepted.
confirm-proposal-undo = Take the customer's answer back? The proposal is open again.
flash-proposal-created = The proposal is created.
flash-proposal-saved = The proposal is saved.
flash-proposal-deleted = The draft is deleted.
flash-proposal-issued = The proposal is marked as sent.
flash-proposal-sent = The proposal is on its way.
flash-proposal-marked-sent = The proposal is marked as sent.
flash-proposal-revised = A new draft of the proposal is created; the old one is marked revised.
flash-proposal-converted = The draft is created.
flash-proposal-accepted = The acceptance is recorded.
flash-proposal-declined = The decline is recorded.
flash-proposal-answer-undone = The answer is taken back; the proposal is open again.
flash-proposal-you-accepted = Thank you, you have accepted the proposal.
flash-proposal-you-declined = You have declined the proposal. Thank you for letting us know.
error-proposal-issued = This proposal has been sent and is not changed any more; "Revise" makes a new draft.
error-proposal-not-issued = This proposal is still a draft.
error-proposal-expired = This proposal is past its open-till date and can no longer be accepted.
error-proposal-accepted = This proposal has already been accepted.
error-proposal-declined = This proposal was declined and can no longer be accepted.
error-proposal-revised = This proposal was replaced by a revision and can no longer be accepted.
error-proposal-answered = This proposal has been answered meanwhile; nothing was changed.
error-proposal-converted = Something was made of this proposal already; its answer stands.
error-proposal-not-answered = This proposal has no answer to take back.
error-proposal-not-accepted = Only an accepted proposal is converted.
error-proposal-no-lines = This proposal has no item lines to convert.
error-proposal-has-estimate = This proposal has already been converted to an estimate.
error-proposal-has-invoice = This proposal has already been converted to an invoice.
error-proposal-not-revisable = Only a sent, open, declined or expired proposal is revised.
billing-series-proposal = Proposals
billing-mail-template-proposal = Proposal
billing-mail-template-proposal-help = Placeholders: {"{"}number{"}"}, {"{"}subject{"}"}, {"{"}customer{"}"}, {"{"}amount{"}"}, {"{"}open_till{"}"}, {"{"}link{"}"}, {"{"}company{"}"}.
billing-mail-template-proposal_reminder = Proposal: reminder before the open-till date
billing-mail-template-proposal_reminder-help = Placeholders: {"{"}number{"}"}, {"{"}subject{"}"}, {"{"}customer{"}"}, {"{"}amount{"}"}, {"{"}open_till{"}"}, {"{"}link{"}"}, {"{"}company{"}"}.
mail-template-proposal-subject = Proposal {"{"}number{"}"}: {"{"}subject{"}"}
mail-template-proposal-body =
    Dear Sir or Madam,

    please find attached our proposal {"{"}number{"}"} "{"{"}subject{"}"}", open till {"{"}open_till{"}"}.

    You can read, comment on and accept it here: {"{"}link{"}"}

    Kind regards
    {"{"}company{"}"}
mail-template-proposal_reminder-subject = Reminder: proposal {"{"}number{"}"} is open till {"{"}open_till{"}"}
mail-template-proposal_reminder-body =
    Dear Sir or Madam,

    our proposal {"{"}number{"}"} "{"{"}subject{"}"}" is open till {"{"}open_till{"}"}.

    You can read and accept it here: {"{"}link{"}"}

    Kind regards
    {"{"}company{"}"}
mail-proposal-accepted-subject = Proposal { $number } accepted ({ $company })
mail-proposal-accepted-text = Hello { $name },

    { $who } has accepted proposal { $number } for { $company }.
mail-proposal-accepted-action = Open the proposal
mail-proposal-declined-subject = Proposal { $number } declined ({ $company })
mail-proposal-declined-text = Hello { $name },

    { $who } has declined proposal { $number } for { $company }.
mail-proposal-declined-action = Open the proposal
mail-proposal-commented-subject = New comment on proposal { $number } ({ $company })
mail-proposal-commented-text = Hello { $name },

    { $who } has commented on proposal { $number } for { $company }.
mail-proposal-commented-action = Read the comment
mail-proposal-staff-commented-subject = New comment on proposal { $number }: { $subject }
mail-proposal-staff-commented-text = Hello { $name },

    { $who } has commented on proposal { $number } "{ $subject }".
mail-proposal-staff-commented-action = Read the comment
pdf-proposal-title = Proposal
pdf-proposal-number = Proposal no.
pdf-proposal-date = Date
pdf-open-till = Open till
zip-proposals-hint = The PDFs of the chosen proposals, or of all listed when none is chosen
error-proposal-date-past = The open-till date has passed; set a later one before sending the proposal.
field-proposal-agent = Assigned to
error-convert-target = Choose "estimate" or "invoice".
