"""Notifications of supervision（督办通知和督办单）."""
