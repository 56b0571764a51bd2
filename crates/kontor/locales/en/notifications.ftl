# Texts of the notifications module.

notifications-none = No notifications.
action-mark-read = Mark read
action-mark-all-read = Mark all read
dashboard-no-unread = No unread notifications.
dashboard-all-notifications = All notifications
