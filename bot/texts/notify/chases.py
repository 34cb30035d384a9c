"""Notifications of chases（首问催办）."""
