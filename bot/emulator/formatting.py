"""Telegram text formatting: HTML, MarkdownV2 and legacy Markdown to plain text + entities.

The parsers are deliberately as strict as Telegram's: markup that Telegram rejects must be
rejected here too, otherwise the product would pass its tests and then fail against the real API
(the classic case being user input interpolated into HTML without escaping).

Entity offsets and lengths are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["EntityParseError", "FormattedText", "detect_entities", "format_text", "render_html", "utf16_len"]


class EntityParseError(ValueError):
    """Markup Telegram would refuse with "Bad Request: can't parse entities: ..."."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class FormattedText:
    text: str  # what a person reads
    entities: tuple[dict[str, Any], ...] = ()


def format_text(
    source: str, parse_mode: str | None = None, entities: list[dict[str, Any]] | None = None
) -> FormattedText:
    """Parse `source` the way sendMessage would and strip surrounding whitespace like Telegram."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        parsed = _parse_html(source)
    elif mode == "markdownv2":
        parsed = _parse_markdown_v2(source)
    elif mode == "markdown":
        parsed = _parse_markdown(source)
    elif mode == "":
        parsed = FormattedText(source, tuple(entities or ()))
    else:
        raise ValueError(f"unsupported parse_mode {parse_mode!r}")
    return _strip(parsed)


def _strip(parsed: FormattedText) -> FormattedText:
    text = parsed.text
    stripped = text.strip()
    if stripped == text:
        return parsed
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    limit = utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = min(max(entity["offset"] - shift, 0), limit)
        end = min(max(entity["offset"] + entity["length"] - shift, 0), limit)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return FormattedText(stripped, tuple(entities))


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode())


@dataclass
class _Open:
    """A formatting construct that has started but not yet ended."""

    marker: str  # HTML tag name or Markdown marker
    type: str  # MessageEntity type
    start: int  # UTF-16 offset in the output
    index: int  # character index in the source, for error messages
    extra: dict[str, Any] = field(default_factory=dict)


class _Builder:
    """Accumulates plain text and entities, tracking the UTF-16 position."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.pos = 0
        self._entities: list[dict[str, Any]] = []

    def add(self, text: str) -> None:
        self._parts.append(text)
        self.pos += utf16_len(text)

    def close(self, opened: _Open) -> None:
        if self.pos > opened.start:  # Telegram drops empty entities
            entity = {"type": opened.type, "offset": opened.start, "length": self.pos - opened.start}
            entity.update(opened.extra)
            self._entities.append(entity)

    def last_entity(self) -> dict[str, Any] | None:
        return self._entities[-1] if self._entities else None

    def result(self) -> FormattedText:
        entities = sorted(self._entities, key=lambda e: (e["offset"], -e["length"]))
        return FormattedText("".join(self._parts), tuple(entities))


# --- HTML ---------------------------------------------------------------------------------------

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_TAG_NAME_RE = re.compile(r"[a-zA-Z0-9-]+")
_ATTR_NAME_RE = re.compile(r"[a-zA-Z0-9_-]+")
_UNQUOTED_VALUE_RE = re.compile(r"[^\s>\"']+")


def _html_entity(source: str, index: int) -> tuple[str, int]:
    """Decode the HTML entity at `index`; return (character, index after it)."""
    match = _HTML_ENTITY_RE.match(source, index)
    char = None
    if match:
        decimal, hexadecimal, name = match.groups()
        if name is not None:
            char = _NAMED_ENTITIES.get(name)
        else:
            code = int(decimal) if decimal is not None else int(hexadecimal, 16)
            if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                char = chr(code)
    if char is None:
        raise EntityParseError(
            f"Character '&' at byte offset {_byte_offset(source, index)} must be escaped as \"&amp;\""
        )
    return char, match.end()


def _html_unescape(source: str) -> str:
    out, index = [], 0
    while (amp := source.find("&", index)) != -1:
        out.append(source[index:amp])
        char, index = _html_entity(source, amp)
        out.append(char)
    out.append(source[index:])
    return "".join(out)


def _html_attributes(source: str, index: int, tag: str, tag_start: int) -> tuple[dict[str, str], int]:
    """Parse attributes up to the closing '>'; return them and the index after '>'."""
    attrs: dict[str, str] = {}
    unclosed = EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(source, tag_start)}")
    while True:
        while index < len(source) and source[index].isspace():
            index += 1
        if index >= len(source):
            raise unclosed
        if source[index] == ">":
            return attrs, index + 1
        name_match = _ATTR_NAME_RE.match(source, index)
        if not name_match:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {_byte_offset(source, index)}'
            )
        name, index = name_match.group().lower(), name_match.end()
        value = ""
        if source.startswith("=", index):
            index += 1
            if index < len(source) and source[index] in "\"'":
                end = source.find(source[index], index + 1)
                if end == -1:
                    raise unclosed
                value, index = source[index + 1 : end], end + 1
            else:
                value_match = _UNQUOTED_VALUE_RE.match(source, index)
                if not value_match:
                    raise unclosed
                value, index = value_match.group(), value_match.end()
        attrs[name] = _html_unescape(value)


def _parse_html(source: str) -> FormattedText:
    out = _Builder()
    stack: list[_Open] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char == "&":
            decoded, index = _html_entity(source, index)
            out.add(decoded)
        elif char != "<":
            end = min(
                (i for i in (source.find("<", index), source.find("&", index)) if i != -1),
                default=len(source),
            )
            out.add(source[index:end])
            index = end
        elif source.startswith("</", index):
            index = _html_end_tag(source, index, stack, out)
        else:
            index = _html_start_tag(source, index, stack, out)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].marker}"')
    return out.result()


def _html_start_tag(source: str, index: int, stack: list[_Open], out: _Builder) -> int:
    name_match = _TAG_NAME_RE.match(source, index + 1)
    tag = name_match.group().lower() if name_match else ""
    if tag not in _HTML_TAGS:
        raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {_byte_offset(source, index)}')
    attrs, after = _html_attributes(source, name_match.end(), tag, index)
    opened = _Open(tag, _HTML_TAGS[tag], out.pos, index)
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityParseError('Tag "span" must have class "tg-spoiler"')
    if tag == "a":
        # An <a> without href is accepted by Telegram but produces no entity.
        opened.type = "text_link" if attrs.get("href") else ""
        opened.extra["url"] = attrs.get("href", "")
    elif tag == "tg-emoji":
        if "emoji-id" not in attrs:
            raise EntityParseError('Tag "tg-emoji" must have attribute "emoji-id"')
        opened.extra["custom_emoji_id"] = attrs["emoji-id"]
    elif tag == "blockquote" and "expandable" in attrs:
        opened.type = "expandable_blockquote"
    elif (
        tag == "code"
        and stack
        and stack[-1].marker == "pre"
        and attrs.get("class", "").startswith("language-")
    ):
        # <pre><code class="language-x"> is one pre entity with a language, not pre + code.
        stack[-1].extra["language"] = attrs["class"].removeprefix("language-")
        opened.type = ""
    stack.append(opened)
    return after


def _html_end_tag(source: str, index: int, stack: list[_Open], out: _Builder) -> int:
    end = source.find(">", index)
    if end == -1:
        raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(source, index)}")
    tag = source[index + 2 : end].strip().lower()
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(source, index)}")
    opened = stack.pop()
    if tag != opened.marker:
        raise EntityParseError(
            f"Unmatched end tag at byte offset {_byte_offset(source, index)}, "
            f'expected "</{opened.marker}>", found "</{tag}>"'
        )
    if opened.type:
        out.close(opened)
    return end + 1


# --- MarkdownV2 ---------------------------------------------------------------------------------

_MD2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MD2_TOGGLES = {"*": "bold", "__": "underline", "_": "italic", "~": "strikethrough", "||": "spoiler"}
_ENTITY_TITLES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
}


def _parse_markdown_v2(source: str) -> FormattedText:
    out = _Builder()
    stack: list[_Open] = []
    index = 0
    at_line_start = True
    while index < len(source):
        char = source[index]
        top = stack[-1] if stack else None
        if char == "\\" and index + 1 < len(source) and ord(source[index + 1]) < 128:
            out.add(source[index + 1])
            index += 2
        elif top is not None and top.type in ("code", "pre"):
            # Inside code only '`' and '\' are special.
            if source.startswith(top.marker, index):
                out.close(stack.pop())
                index += len(top.marker)
            else:
                out.add(char)
                index += 1
        elif source.startswith("```", index):
            newline = source.find("\n", index + 3)
            language = source[index + 3 : newline] if newline != -1 else ""
            opened = _Open("```", "pre", out.pos, index)
            if language and not any(c.isspace() for c in language):
                opened.extra["language"] = language
                index = newline + 1
            else:
                index += 3
            stack.append(opened)
        elif char == "`":
            stack.append(_Open("`", "code", out.pos, index))
            index += 1
        elif marker := next((m for m in ("||", "__", "*", "_", "~") if source.startswith(m, index)), None):
            if top is not None and top.marker == marker:
                out.close(stack.pop())
            else:
                stack.append(_Open(marker, _MD2_TOGGLES[marker], out.pos, index))
            index += len(marker)
        elif char == "[":
            stack.append(_Open("[", "text_link", out.pos, index))
            index += 1
        elif char == "]" and top is not None and top.marker == "[":
            url, index = _md2_link_url(source, index + 1)
            top.extra["url"] = url
            out.close(stack.pop())
        elif char == ">" and at_line_start:
            index = _md2_blockquote_line(source, index + 1, out)
        elif char in _MD2_RESERVED or char == "\\":
            raise EntityParseError(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        else:
            out.add(char)
            index += 1
        at_line_start = index > 0 and source[index - 1] == "\n"
    if stack:
        opened = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_ENTITY_TITLES[opened.type]} entity at byte offset "
            f"{_byte_offset(source, opened.index)}"
        )
    return out.result()


def _md2_link_url(source: str, index: int) -> tuple[str, int]:
    if not source.startswith("(", index):
        raise EntityParseError("Character ']' is reserved and must be escaped with the preceding '\\'")
    url, index = [], index + 1
    while index < len(source) and source[index] != ")":
        if source[index] == "\\" and index + 1 < len(source):
            index += 1
        url.append(source[index])
        index += 1
    if index >= len(source):
        raise EntityParseError("Can't find end of a URL")
    return "".join(url), index + 1


def _md2_blockquote_line(source: str, index: int, out: _Builder) -> int:
    """Emit one '>' quoted line; consecutive quoted lines merge into one blockquote entity."""
    newline = source.find("\n", index)
    end = len(source) if newline == -1 else newline
    start = out.pos
    # The line's content is parsed as plain text with escapes; nested formatting in quotes is rare.
    line = re.sub(r"\\(.)", r"\1", source[index:end])
    out.add(line)
    previous = out.last_entity()
    if previous and previous["type"] == "blockquote" and previous["offset"] + previous["length"] == start - 1:
        previous["length"] = out.pos - previous["offset"]
    else:
        out.close(_Open(">", "blockquote", start, index))
    return end


# --- legacy Markdown ----------------------------------------------------------------------------

_MD_SIMPLE = {"*": "bold", "_": "italic", "```": "pre", "`": "code"}
_MD_LINK_RE = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


def _parse_markdown(source: str) -> FormattedText:
    out = _Builder()
    index = 0
    while index < len(source):
        char = source[index]
        marker = next((m for m in ("```", "*", "_", "`") if source.startswith(m, index)), None)
        if char == "\\" and index + 1 < len(source) and source[index + 1] in "_*`[":
            out.add(source[index + 1])
            index += 2
        elif marker is not None:
            end = source.find(marker, index + len(marker))
            if end == -1:
                raise EntityParseError(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(source, index)}"
                )
            opened = _Open(marker, _MD_SIMPLE[marker], out.pos, index)
            out.add(source[index + len(marker) : end])
            out.close(opened)
            index = end + len(marker)
        elif char == "[":
            match = _MD_LINK_RE.match(source, index)
            if not match:
                raise EntityParseError(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(source, index)}"
                )
            opened = _Open("[", "text_link", out.pos, index, {"url": match.group(2)})
            out.add(match.group(1))
            out.close(opened)
            index = match.end()
        else:
            out.add(char)
            index += 1
    return out.result()


# --- rendering for people (the sandbox page) ----------------------------------------------------

SAFE_LINK_SCHEMES = ("http://", "https://", "tg://", "mailto:")
_SIMPLE_TAGS = {
    "bold": "b",
    "italic": "i",
    "underline": "u",
    "strikethrough": "s",
    "code": "code",
    "blockquote": "blockquote",
    "expandable_blockquote": "blockquote",
}


def _safe_url(url: str) -> str | None:
    url = url.strip()
    return url if url.lower().startswith(SAFE_LINK_SCHEMES) else None


def _link(url: str | None) -> tuple[str, str] | None:
    if url is None:
        return None
    href = html.escape(url, quote=True)
    return f'<a href="{href}" target="_blank" rel="noopener noreferrer">', "</a>"


def _entity_tags(entity: dict[str, Any], covered: str) -> tuple[str, str] | None:
    kind = entity.get("type")
    if kind in _SIMPLE_TAGS:
        tag = _SIMPLE_TAGS[kind]
        return f"<{tag}>", f"</{tag}>"
    if kind == "pre":
        return "<pre>", "</pre>"
    if kind == "spoiler":
        return '<span class="tg-spoiler">', "</span>"
    if kind == "text_link":
        return _link(_safe_url(str(entity.get("url") or "")))
    if kind == "url":
        return _link(_safe_url(covered if "://" in covered else "https://" + covered))
    if kind == "email":
        return _link("mailto:" + covered)
    if kind == "bot_command":
        command = html.escape(covered, quote=True)
        return f'<a href="#" class="tg-command" data-command="{command}">', "</a>"
    if kind in ("mention", "text_mention", "hashtag", "cashtag"):
        return '<span class="tg-mention">', "</span>"
    return None


def render_html(text: str | None, entities: tuple[dict[str, Any], ...] | list[dict[str, Any]] = ()) -> str:
    """A message's text and entities as HTML for a browser, the way a Telegram client shows it.

    Safe by construction: every character of the text is escaped, and the only markup is what
    this function writes for known entity types (links only with http(s)/tg/mailto URLs).
    Overlapping entities are clipped to nest, as a client would draw them.
    """
    if not text:
        return ""
    index_at: dict[int, int] = {}
    unit = 0
    for index, char in enumerate(text):
        index_at[unit] = index
        unit += 2 if ord(char) > 0xFFFF else 1
    index_at[unit] = len(text)

    def to_index(offset: int) -> int:
        offset = min(max(offset, 0), unit)
        while offset not in index_at:  # inside a surrogate pair: round down
            offset -= 1
        return index_at[offset]

    spans = []
    for entity in entities:
        try:
            offset, length = int(entity.get("offset", 0)), int(entity.get("length", 0))
        except (TypeError, ValueError):
            continue
        start, end = to_index(offset), to_index(offset + length)
        tags = _entity_tags(entity, text[start:end]) if end > start else None
        if tags is not None:
            spans.append((start, end, tags))
    spans.sort(key=lambda span: (span[0], -span[1]))

    out: list[str] = []
    cursor = 0
    stack: list[tuple[int, str]] = []  # (end, closing tag), innermost last

    def emit(upto: int) -> None:
        nonlocal cursor
        if upto > cursor:
            out.append(html.escape(text[cursor:upto], quote=False))
            cursor = upto

    for start, end, (opening, closing) in spans:
        while stack and stack[-1][0] <= start:
            stop, tag = stack.pop()
            emit(stop)
            out.append(tag)
        if stack:
            end = min(end, stack[-1][0])
        if end <= start:
            continue
        emit(start)
        out.append(opening)
        stack.append((end, closing))
    while stack:
        stop, tag = stack.pop()
        emit(stop)
        out.append(tag)
    emit(len(text))
    return "".join(out)


_AUTO_RE = re.compile(
    r"(?P<url>\bhttps?://[^\s<>\"]+|\bt\.me/[^\s<>\"]+)"
    r"|(?<![^\s(（,，:：;；、])(?P<command>/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,})?)(?![\w/])"
)
_NO_AUTO_INSIDE = frozenset({"code", "pre", "text_link", "url", "bot_command", "email"})


def detect_entities(text: str | None, entities: tuple[dict[str, Any], ...] = ()) -> tuple[dict[str, Any], ...]:
    """`entities` plus the links and /commands Telegram's servers find in a message by themselves
    (they arrive as url and bot_command entities), except inside code or an existing link."""
    if not text:
        return tuple(entities)
    taken = [
        (e["offset"], e["offset"] + e["length"]) for e in entities if e.get("type") in _NO_AUTO_INSIDE
    ]
    found = []
    for match in _AUTO_RE.finditer(text):
        value = match.group()
        if match.lastgroup == "url":
            value = value.rstrip(".,;:!?)）。，；：！？")
        start = utf16_len(text[: match.start()])
        end = start + utf16_len(value)
        if any(start < b and a < end for a, b in taken):
            continue
        found.append({"type": match.lastgroup.replace("command", "bot_command"), "offset": start,
                      "length": end - start})
    return tuple(sorted([*entities, *found], key=lambda e: (e["offset"], -e["length"])))
