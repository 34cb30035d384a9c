"""/report: a grid worker's (or staff member's) guided incident report."""

handlers: list = []
