# Texts of the reminders module.

# Reminders and notifications
tab-reminders = Reminders
action-new-reminder = New reminder
field-remind-at = Date and time
field-staff = Staff member
reminder-also-email = Also send an email
reminder-email = email
reminder-notified = notified
reminder-pending = pending
reminders-none = No reminders yet.
reminder-title = Reminder: { $company }
error-past = Please choose a time in the future.
reminder-set-on = Set on
dashboard-my-reminders = My reminders
dashboard-no-reminders = No upcoming reminders.
