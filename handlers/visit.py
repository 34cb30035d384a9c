"""/visit: first-inquiry registration (首问责任制) of a visitor, caller or letter by center staff."""

handlers: list = []
