"""A 督办通知书 in chat: its card, the unit's sign-for and feedback, the director's decisions."""

handlers: list = []
