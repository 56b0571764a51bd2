# Texts of the contacts module.

action-new-contact = New contact
action-make-primary = Make primary
field-primary = Primary contact
field-portal-password = Portal password
section-notifications = Email notifications
figure-contacts = Contacts
contacts-none = No contacts yet.
tab-contacts = Contacts
error-primary-exists = This customer already has a primary contact. Use "Make primary" to change it.
error-primary-required = The primary contact cannot be unset; make another contact primary instead.
error-primary-inactive = The primary contact must be active.
# Invitations
action-invite = Invite
action-reinvite = Invite again
contact-invited-at = Invited on
flash-invited = The invitation was sent.
error-contact-inactive = Only active contacts can be invited.
invite-title = Set your portal password
invite-done = Your portal password is set.
action-import-contacts = Import contacts
import-contacts-help = Upload a CSV file with a header row (separated by comma, semicolon or tab; UTF-8 or Windows-1252). Columns as in the export; only "email" is required. Areas in "permissions" and "notifications" separated by ";". Rows with errors are reported and not imported.
error-csv-email = The CSV file needs an "email" column.
