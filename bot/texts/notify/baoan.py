"""Notifications of baoan（包案）."""
