"""Share links: the scenario as a compact, URL-safe, versioned token (``?s=<token>``).

A token is ``"v1."`` followed by the scenario's JSON (compact, ``None`` left out), compressed with
zlib and encoded as base64url without padding (RFC 4648, section 5: letters, digits, ``-`` and
``_`` only, nothing to escape in a URL). A typical scenario makes a token of 300-600 characters.

Decoding trusts nothing: the token's length is capped (``MAX_TOKEN_CHARS``), the decompressed JSON
is capped too (``MAX_JSON_BYTES``, read through ``zlib.decompressobj`` with ``max_length`` so a
small "zip bomb" cannot inflate to gigabytes), zlib's checksum catches most tampering, and the
JSON is validated as any scenario file is (``parse_scenario``). No pickle, no eval: JSON only.
Every failure is a ``ScenarioError`` naming the link and, where it can, the key.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from urllib.parse import urlencode, urlsplit, urlunsplit

from calculator.model.data import DataBundle
from calculator.model.errors import ScenarioError
from calculator.model.scenario import Scenario, parse_scenario

TOKEN_VERSION = "v1"  # noqa: S105 (a format version, not a secret)
MAX_TOKEN_CHARS = 8192
"""Longest token accepted (8 KB): well inside every browser's and server's URL limit."""
MAX_JSON_BYTES = 64 * 1024
"""Largest decompressed scenario JSON accepted from a link."""
SHARE_PARAM = "s"
"""The query parameter that carries the token."""

_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


def encode_token(scenario: Scenario) -> str:
    """The scenario as a share token: ``"v1." + base64url(zlib(compact JSON))``.

    Raises ScenarioError when the token would be longer than ``MAX_TOKEN_CHARS``.
    """
    text = json.dumps(scenario.model_dump(mode="json", exclude_none=True), separators=(",", ":"), ensure_ascii=False)
    packed = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).rstrip(b"=").decode("ascii")
    token = f"{TOKEN_VERSION}.{packed}"
    if len(token) > MAX_TOKEN_CHARS:
        raise ScenarioError(
            "share link", f"the scenario is too large to share as a link ({len(token):,} > {MAX_TOKEN_CHARS:,} chars)"
        )
    return token


def _inflate(packed: bytes, where: str) -> bytes:
    """zlib-decompress at most ``MAX_JSON_BYTES``; refuse anything larger, truncated or corrupt."""
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(packed, MAX_JSON_BYTES)
    except zlib.error:
        raise ScenarioError(where, "the link is damaged (it does not decompress): copy the whole link again") from None
    if inflater.unconsumed_tail or len(text) > MAX_JSON_BYTES:
        raise ScenarioError(where, f"the scenario in the link is larger than {MAX_JSON_BYTES // 1024} KB")
    if not inflater.eof:
        raise ScenarioError(where, "the link is cut short: copy the whole link again")
    if inflater.unused_data:
        raise ScenarioError(where, "the link has extra data after the scenario: copy the link again")
    return text


def decode_token(token: object, data: DataBundle, where: str = "share link") -> Scenario:
    """The scenario in a share token, validated; ScenarioError (naming ``where``) on any problem."""
    if not isinstance(token, str) or not token.strip():
        raise ScenarioError(where, "the link carries no scenario")
    token = token.strip()
    if len(token) > MAX_TOKEN_CHARS:
        raise ScenarioError(where, f"the link is too long ({len(token):,} > {MAX_TOKEN_CHARS:,} characters)")
    version, dot, body = token.partition(".")
    if not dot or not re.fullmatch(r"v\d{1,3}", version):
        raise ScenarioError(where, "not a scenario link (it should start with 'v1.')")
    if version != TOKEN_VERSION:
        raise ScenarioError(where, f"link version {version!r} is not supported (this app reads {TOKEN_VERSION})")
    if not _BASE64URL.fullmatch(body):
        raise ScenarioError(where, "the link is damaged (unexpected characters): copy the whole link again")
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise ScenarioError(where, "the link is damaged (bad encoding): copy the whole link again") from None
    text = _inflate(packed, where)
    try:
        raw = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ScenarioError(where, "the link does not hold a valid scenario (not JSON)") from None
    return parse_scenario(raw, data, where)


def share_url(page_url: str | None, token: str, page_path: str = "") -> str:
    """The app's address with ``?s=<token>``: ``page_url`` minus ``page_path`` (back to the app's root).

    >>> share_url("http://localhost:8501/scenarios?x=1", "v1.abc", "scenarios")
    'http://localhost:8501/?s=v1.abc'
    """
    query = urlencode({SHARE_PARAM: token})
    if not page_url:
        return f"?{query}"
    parts = urlsplit(page_url)
    path = parts.path
    if page_path and path.rstrip("/").endswith("/" + page_path):
        path = path.rstrip("/")[: -len(page_path)]
    return urlunsplit((parts.scheme, parts.netloc, path or "/", query, ""))
