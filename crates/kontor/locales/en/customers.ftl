# Texts of the customers module.

action-import = Import CSV
action-export-csv = Export CSV
action-export-excel = Export for Excel
action-select-all = Select all
action-new-customer = New customer
action-delete-customer = Delete customer
action-manage-groups = Manage groups
field-company = Company
field-currency = Currency
field-state = State
field-latitude = Latitude
field-longitude = Longitude
field-same-as-billing = Same as billing address
# Customers
search-customers = Search name, VAT ID, city, contact …
filter-all-groups = All groups
customers-none = No customers found.
groups-none = No groups yet.
section-groups = Customer groups
section-admins = Customer admins
section-address = Address
section-billing = Billing address
section-shipping = Shipping address
import-help = Upload a CSV file with a header row. Columns as in the export; only "company" is required. Rows with errors are reported and not imported.
import-imported = Imported
import-failed = Failed
import-line = Line
import-errors = Errors
map-no-coordinates = No coordinates are set for this customer. Enter latitude and longitude below or in the profile, or click on the map.
map-open-external = Open in OpenStreetMap
map-click-help = Click on the map to pick the position.
# Tabs
tab-profile = Profile
tab-map = Map
flash-nothing-selected = Nothing was selected.
error-number-taken = This customer number is already in use.
error-coordinate = Latitude must be between -90 and 90, longitude between -180 and 180.
error-coordinate-pair = Please enter both latitude and longitude.
error-vat-id = A VAT ID starts with a two-letter country code, e.g. DE123456789.
error-currency = This currency is not supported.
error-unknown-group = This customer group does not exist.
error-csv = The file is not valid CSV.
error-csv-company = The CSV file needs a "company" column.
# Geocoding
action-geocode = Look up from address
flash-geocoded = The position was looked up from the address.
error-geocode-no-address = The customer has no address to look up.
error-geocode-not-found = The address was not found.
error-geocode-failed = The address lookup service did not answer. Please try again later.
## Invoices
error-customer-has-documents = This customer has invoices or credit notes, which are kept for good; deactivate the customer instead.
error-currency-fixed = The currency cannot change once the customer has invoices or credit notes.
customers-newest-first = newest first; click a column heading to sort by it

customer-tabs = Sections of the customer
field-csv-file = CSV file
dashboard-recent-customers = Recently opened
dashboard-no-recent = No customers opened yet.
dashboard-all-customers = All customers
flash-customers-activated = The chosen customers are active now.
flash-customers-deactivated = The chosen customers are inactive now.
customers-found = Customers
