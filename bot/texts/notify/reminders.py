"""Notifications of reminders（期限提醒）."""
