# Texts of the custom_fields module.

# Custom fields
nav-custom-fields = Custom fields
action-new-field = New custom field
confirm-delete-field = Delete this field and every value stored in it?
cf-kind = Record type
cf-label = Label
cf-key = Key
cf-type = Type
cf-options = Options
cf-none = No custom fields yet.
cf-choices = Choices
cf-choices-help = One choice per line (for select and multi-select).
cf-order = Order
error-option = Please choose one of the offered options.
error-admin-only = Only administrators may change this field.
error-unknown-field = There is no such custom field.
error-key = A key uses lower-case letters, digits and underscores (at most 40).
error-key-taken = This key is already used for this record type.
error-duplicate-option = Each choice may appear only once.
error-options-required = Select fields need at least one choice.
error-portal-editable = A field can only be editable in the portal if it is visible there.
error-kind-fixed = The record type of a field cannot be changed.
error-type-in-use = The type cannot change while records hold values for this field.
settings-hint-custom-fields = Extra fields for customers and contacts
