# Texts of the portal module.

# Customer portal
portal-title = Customer portal
portal-login-title = Sign in to the customer portal
portal-dashboard = Overview
portal-profile = My profile
portal-welcome = Welcome
portal-no-areas = No portal areas are enabled for you yet.
portal-acting-as = You are logged in as
portal-back-to-admin = Back to admin
## Portal settings and company addresses
nav-portal-settings = Portal
portal-setting-primary-edits-company = The primary contact may edit the company's billing and shipping addresses in the portal
portal-recent-files = Recent files
portal-all-files = All files
settings-hint-portal = What contacts may see in the customer portal
