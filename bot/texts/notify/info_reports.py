"""Notifications of info reports（信息报告）."""
