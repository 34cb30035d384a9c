"""Notifications of deadlines（期限变更和暂停）."""
