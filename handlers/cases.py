"""The case card (/case, and the 查看事项 button on every notification), its actions, /mycases and /search."""

handlers: list = []
