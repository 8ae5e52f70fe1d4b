"""Share tokens: round trip, tampering, size limits, and only ScenarioError on any input."""

from __future__ import annotations

import base64
import json
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator.model.data import DataBundle
from calculator.model.errors import ScenarioError
from calculator.storage.share import MAX_JSON_BYTES, MAX_TOKEN_CHARS, decode_token, encode_token, share_url
from tests.conftest import make_scenario
from tests.storage.test_store import FULL


def _pack(obj: object, version: str = "v1") -> str:
    text = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return f"{version}." + base64.urlsafe_b64encode(zlib.compress(text)).rstrip(b"=").decode()


def test_round_trip_is_exact(data: DataBundle):
    scenario = make_scenario(data, **FULL)
    token = encode_token(scenario)
    assert decode_token(token, data) == scenario
    assert token.startswith("v1.")
    assert set(token[3:]) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert len(token) < 700  # compact: the full example scenario fits in a short link


def test_minimal_scenario_token_is_short(data: DataBundle):
    assert len(encode_token(make_scenario(data, destinations=["mexico_colombia"]))) < 400


def test_tampered_token_is_refused(data: DataBundle):
    token = encode_token(make_scenario(data, **FULL))
    middle = len(token) // 2
    tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    with pytest.raises(ScenarioError, match="share link: the link is damaged"):
        decode_token(tampered, data)
    with pytest.raises(ScenarioError, match="cut short"):
        decode_token(token[: 3 + (middle - 3) // 4 * 4], data)  # whole base64 quads, half the zlib stream
    with pytest.raises(ScenarioError, match="unexpected characters"):
        decode_token(token[:-2] + "%2", data)


def test_wrong_version_and_garbage_are_refused(data: DataBundle):
    with pytest.raises(ScenarioError, match="link version 'v2' is not supported"):
        decode_token("v2.abc", data)
    with pytest.raises(ScenarioError, match="not a scenario link"):
        decode_token("hello", data)
    with pytest.raises(ScenarioError, match="carries no scenario"):
        decode_token("", data)
    with pytest.raises(ScenarioError, match="not JSON"):
        decode_token(_pack(b"{not json"), data)


def test_a_valid_token_with_an_invalid_scenario_names_the_key(data: DataBundle):
    with pytest.raises(ScenarioError, match=r"^share link: travellers: Input should be greater than or equal to 1$"):
        decode_token(_pack({"destinations": ["mexico_colombia"], "travellers": 0}), data)
    with pytest.raises(ScenarioError, match="share link: destinations\\[0\\]: unknown destination 'atlantis'"):
        decode_token(_pack({"destinations": ["atlantis"]}), data)
    with pytest.raises(ScenarioError, match="a scenario must be a JSON object"):
        decode_token(_pack([1, 2]), data)


def test_oversize_token_and_decompression_bomb_are_refused(data: DataBundle):
    with pytest.raises(ScenarioError, match="the link is too long"):
        decode_token("v1." + "A" * MAX_TOKEN_CHARS, data)
    small_bomb = _pack(b'{"name": "' + b"x" * (MAX_JSON_BYTES * 4) + b'"}')
    assert len(small_bomb) < MAX_TOKEN_CHARS  # fits in a link, inflates past the limit
    with pytest.raises(ScenarioError, match="larger than 64 KB"):
        decode_token(small_bomb, data)


def test_a_scenario_too_large_for_a_link_is_refused_on_encode(data: DataBundle, monkeypatch: pytest.MonkeyPatch):
    scenario = make_scenario(data, **FULL)
    limit = len(encode_token(scenario)) - 1
    monkeypatch.setattr("calculator.storage.share.MAX_TOKEN_CHARS", limit)
    with pytest.raises(ScenarioError, match=f"too large to share as a link \\({limit + 1:,} > {limit:,} chars\\)"):
        encode_token(scenario)


def test_share_url_goes_back_to_the_app_root():
    assert share_url("http://localhost:8501/scenarios", "v1.x", "scenarios") == "http://localhost:8501/?s=v1.x"
    assert share_url("https://h.example/app/scenarios/?a=1", "v1.x", "scenarios") == "https://h.example/app/?s=v1.x"
    assert share_url("http://localhost:8501/", "v1.x", "scenarios") == "http://localhost:8501/?s=v1.x"
    assert share_url(None, "v1.x") == "?s=v1.x"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300) | st.from_regex(r"v1\.[A-Za-z0-9_-]{0,200}", fullmatch=True))
def test_any_string_is_a_scenario_or_a_scenario_error(data: DataBundle, token: str):
    try:
        decode_token(token, data)
    except ScenarioError as err:
        assert str(err).startswith("share link: ")
        assert "\n" not in str(err)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
_keys = st.sampled_from(list(FULL))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(_keys, _json, max_size=6) | _json)
def test_any_json_in_a_well_formed_token_is_a_scenario_or_a_scenario_error(data: DataBundle, obj: object):
    text = json.dumps(obj, allow_nan=True).encode()
    try:
        decode_token(_pack(text), data)
    except ScenarioError as err:
        assert str(err).startswith("share link")
