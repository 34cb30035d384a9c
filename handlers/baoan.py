"""包案 (leader case responsibility): proposal, approval, plan, extension, completion, /baoan."""

handlers: list = []
