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
