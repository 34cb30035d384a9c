"""Notifications of cases（事项的登记、交办、办结和答复）."""
