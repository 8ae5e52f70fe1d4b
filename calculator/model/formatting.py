"""How figures read: money with its currency and thousands separators, percents, ranges."""

from __future__ import annotations

import datetime as dt
import html
import math
import unicodedata

from calculator.model.span import Span


def _missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


def amount(value: float | None) -> str:
    """A whole amount with thousands separators, e.g. ``"-1,352"``; ``None`` reads as a dash."""
    if _missing(value):
        return "—"
    return f"{round(value):,}"


def money(value: float | None, currency: str) -> str:
    """E.g. ``money(15352, "USD") == "USD 15,352"``; ``None`` reads as a dash."""
    return "—" if _missing(value) else f"{currency} {amount(value)}"


def money_range(span: Span | None, currency: str) -> str:
    """E.g. ``"USD 6,194 to 15,352"``, or one figure when low == high; ``None`` reads as a dash."""
    if span is None:
        return "—"
    if round(span.low) == round(span.high):
        return money(span.low, currency)
    return f"{money(span.low, currency)} to {amount(span.high)}"


def percent(value: float | None, digits: int = 1) -> str:
    """E.g. ``percent(46.12) == "46.1%"``; NaN or ``None`` reads as a dash."""
    return "—" if _missing(value) else f"{value:.{digits}f}%"


def percent_range(low: float, high: float) -> str:
    """E.g. ``"50–70%"``."""
    return f"{low:g}–{high:g}%"


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DATE_INPUT_FORMAT = "YYYY-MM-DD"
"""The date picker's format: the ISO 8601 order every date on the pages, files and calendars uses."""


def day(value: dt.date | None) -> str:
    """A date as people read it, with its weekday, in ISO 8601 order, e.g. ``"Mon 2027-03-01"``.

    One format everywhere (the date picker, the pages, the report, the files): no day/month ambiguity
    whatever the reader's locale.
    """
    if value is None:
        return "—"
    return f"{_WEEKDAYS[value.weekday()]} {value.isoformat()}"


def day_range(start: dt.date | None, end: dt.date | None) -> str:
    """E.g. ``"Tue 2027-03-02 – Wed 2027-03-03"``, or one date when start == end; a dash for none."""
    if start is None or end is None:
        return "—"
    return day(start) if start == end else f"{day(start)} – {day(end)}"


_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|~$:&\"'=^%@;,/?")


def plain_text(text: str) -> str:
    r"""User text (a scenario or clinic name) made inert for a Markdown element: shown as typed, never as markup.

    Every ASCII punctuation mark that Markdown, GitHub's extensions or Streamlit give a meaning to is escaped
    with a backslash (CommonMark: a backslash before ASCII punctuation is that character, literally), so
    ``![x](http://...)`` is not an image fetched from a stranger's server, ``$...$`` is not maths,
    ``:red[...]`` is not colour and ``&lt;`` is not an entity; line breaks become spaces. HTML is escaped
    by Streamlit already (``unsafe_allow_html`` is never used).

    >>> print(plain_text("![x](y) $5"))
    \!\[x\]\(y\) \$5
    """
    flat = " ".join(text.splitlines())
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in flat)


def html_text(text: str) -> str:
    """Any text (user text above all) made inert for HTML: ``& < > " '`` as entities, shown as typed.

    The one escaping function for every HTML the app and its reports write (``plain_text`` is its twin
    for Markdown). Safe in element content and in quoted attribute values.

    >>> print(html_text('<img src=x onerror="alert(1)">'))
    &lt;img src=x onerror=&quot;alert(1)&quot;&gt;
    """
    return html.escape(text, quote=True)


def one_line(text: str) -> str:
    r"""Text made safe for one line of a terminal: control and bidirectional-override characters escaped.

    A file or key name may hold a terminal escape sequence (``\x1b[2J`` clears the screen), a newline
    (which would split a one-line error) or a right-to-left override (which reorders what follows);
    each such character is written as its Python escape instead, so the line reads as what was typed.

    >>> print(one_line("a\nb\x1b[31m\u202e"))
    a\nb\x1b[31m\u202e
    """
    return "".join(_escaped(c) if _is_control(c) else c for c in text)


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char not in "\u200d"


def _escaped(char: str) -> str:
    return char.encode("unicode_escape").decode("ascii")
