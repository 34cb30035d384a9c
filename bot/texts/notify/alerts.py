"""Notifications of alerts（急事提醒、值班日报和节假日提示）."""
