# Texts of the staff module.

nav-staff = Staff
nav-roles = Roles
action-revoke = Revoke
action-new-staff = New staff member
action-new-role = New role
action-create-token = Create token
reset-title = Choose a new password
account-title = My account
account-tokens = API tokens
token-once = Copy this token now; it is shown only once:
field-token-name = Token name
field-role = Role
field-admin = Administrator
flash-password-reset = Your password was set. Please log in.
flash-token-revoked = The token was revoked.
error-password-short = The password must have at least 10 characters.
error-password-common = This password is too easy to guess (a repetition, a keyboard row or a common password, for example). Please choose another one.
error-last-admin = The last active administrator cannot be removed.
error-role-in-use = This role is still assigned to staff members.
account-calendar = Calendar feed of your reminders (keep it secret)
settings-hint-staff = Who may sign in, their roles and customers
settings-hint-roles = What a role may see and change
