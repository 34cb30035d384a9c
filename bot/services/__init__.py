"""Domain rules. Plain Python: no `telegram` import here (a test enforces it).

Functions take keyword-only plain values and a `session`, raise `DomainError`s and return plain
results, so a future WeCom/DingTalk front end can reuse them unchanged.
"""
