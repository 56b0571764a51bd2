# Texts of the vault module.

error-vault-sealed-elsewhere = The stored password of this entry does not belong to it (changed or swapped in the database) and is not shown.
# Vault
tab-vault = Vault
field-server = Server
field-port = Port
field-username = User name
field-visibility = Visible to
vault-share = Share with the customer's contacts
vault-shared = shared
vault-created-by = Created by
vault-updated-by = last changed by
vault-none = No vault entries yet.
vault-your-password = Your login password
vault-reveal-log = Revealed by
vault-password-keep = Leave the password empty to keep it.
action-new-entry = New vault entry
action-reveal = Reveal
error-port = A port is a number from 1 to 65535.
error-reauth-required = Please enter your login password to reveal passwords.
vault-staff-visibility = Visible to staff
