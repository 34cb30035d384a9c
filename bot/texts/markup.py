"""The one place that turns a typed value into HTML-safe text (Telegram parse_mode=HTML)."""

import html


def escape(value: object) -> str:
    """A typed value (or a name) as put into an HTML message."""
    return html.escape(str(value), quote=False)
