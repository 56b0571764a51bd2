# Texts of the activity module.

tab-activity = Activity
# Activity
activity-log = Activity
change-history = Change history
history-when = When
history-who = Who
history-field = Field
history-old = Old
history-new = New
