"""Reading the sidebar's inputs back into a scenario, from session state alone.

The sidebar (ui.sidebar) renders the widgets; this module turns their values, kept by Streamlit in
session state under each widget's key, into the scenario they describe. Reading from session state,
not from the widgets' return values, lets an input's change callback rebuild the scenario without
rendering the sidebar again: a page then reruns only its results fragment (``st.rerun(key)`` from
the callback), which is most of what makes a change on Compare cheap (README "Performance").

Keys that depend on a city or the currency include them (see ui.sidebar), so the same functions
name a widget's key when it is rendered and when it is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import streamlit as st

from calculator.model.data import DataBundle, TravelRow
from calculator.model.errors import ScenarioError
from calculator.model.fx import rate
from calculator.model.scenario import Scenario, parse_scenario
from ui import state

OTHER_CURRENCY = "Other…"
PROBLEM_KEY = "inputs_problem"
"""Session key of the last inputs' problem (why they were not applied), or absent when they were."""
CLINIC_QUOTES_KEY = "clinic_quotes_read|"
"""Prefix of the session keys holding each destination's clinic quotes as last read from its table."""


def seed(key: str, value: Any) -> str:
    """Give a widget its first value from the scenario (never overwrite what the user typed); returns ``key``.

    Re-assigning a value already there keeps it when the user moves to another page: each page's
    widgets are new widgets to Streamlit, which would otherwise show their defaults.
    """
    if key not in st.session_state:
        st.session_state[key] = value
    else:
        st.session_state[key] = st.session_state[key]
    return key


def open_key(dest: str) -> str:
    """The session key of ``dest``'s expander in the sidebar: True while it is open (its inputs are shown)."""
    return f"open_dest|{dest}"


def is_open(dest: str) -> bool:
    """Whether ``dest``'s inputs are open in the sidebar (closed, they are not rendered and keep their values)."""
    return bool(st.session_state.get(open_key(dest)))


@dataclass(frozen=True)
class DestinationKeys:
    """The widget keys of one destination's inputs (a key per city, currency and rate: see ui.sidebar)."""

    city: str
    fare: str
    lodging: str
    daily: str


def destination_keys(dest: str, city_id: str | None, currency: str, per_usd: float) -> DestinationKeys:
    """The keys of ``dest``'s inputs; a new city, currency or rate gives new keys, so they re-seed."""
    return DestinationKeys(
        city=f"in_city|{dest}",
        fare=f"in_fare|{dest}|{currency}",
        lodging=f"in_lodging|{dest}|{city_id}|{currency}|{per_usd:.8g}",
        daily=f"in_daily|{dest}|{city_id}|{currency}|{per_usd:.8g}",
    )


def city_defaults(city: TravelRow | None, per_usd: float) -> dict[str, float | None]:
    """The city's per diem lodging and meals & incidentals ceilings in the display currency (2 decimals)."""
    return {
        "lodging": round(city.lodging_per_night * per_usd, 2) if city else None,
        "daily": round(city.daily_per_traveller * per_usd, 2) if city else None,
    }


def default_or_user(value: float | None, default: float | None) -> float | None:
    """None (use the cited default) when the entry equals the default, else the user's figure."""
    if value is None or (default is not None and abs(value - default) < 0.005):
        return None
    return float(value)


def chosen_city(data: DataBundle, current: Scenario, dest: str) -> str | None:
    """The city picked for ``dest`` (its widget's value), else the scenario's, else the region's first."""
    ids = [c.city_id for c in data.cities(dest)]
    if not ids:
        return None
    picked = st.session_state.get(f"in_city|{dest}")
    return picked if picked in ids else (current.travel_for(dest).city or ids[0])


def chosen_currency(data: DataBundle, current: Scenario) -> tuple[str, float | None]:
    """(currency, own rate or None) the currency inputs name; the scenario's while 'Other…' is incomplete."""
    chosen = st.session_state.get("in_currency", current.currency)
    if chosen != OTHER_CURRENCY:
        return (chosen, None) if chosen in data.fx else (current.currency, current.fx_rate)
    code = str(st.session_state.get("in_currency_code") or "").strip().upper()
    per_usd = st.session_state.get("in_fx_rate")
    if not re.fullmatch(r"[A-Z]{3}", code) or per_usd is None:
        return current.currency, current.fx_rate
    return code, float(per_usd)


def units_per_usd(data: DataBundle, currency: str, fx_rate: float | None) -> float:
    """Units of the display currency per US dollar (the dated ECB rate, or the user's own)."""
    return rate(currency, fx_rate, data).per_usd if currency in data.fx or fx_rate else 1.0


def _travel(data: DataBundle, current: Scenario, dest: str, currency: str, per_usd: float) -> dict[str, Any]:
    """One destination's travel inputs as scenario fields (a figure equal to its cited default: left out)."""
    city_id = chosen_city(data, current, dest)
    city = data.travel[city_id] if city_id else None
    keys = destination_keys(dest, city_id, currency, per_usd)
    defaults = city_defaults(city, per_usd)
    given = current.travel_for(dest)
    ss = st.session_state
    travel = {
        "fare_per_traveller": ss.get(keys.fare, given.fare_per_traveller),
        "lodging_per_night": default_or_user(ss.get(keys.lodging, given.lodging_per_night), defaults["lodging"]),
        "daily_per_traveller": default_or_user(ss.get(keys.daily, given.daily_per_traveller), defaults["daily"]),
        "city": city_id if city and not city.default_for_region else None,
    }
    return {k: v for k, v in travel.items() if v is not None}


def _home_quote() -> dict[str, Any]:
    """The written quote at home (low, high, clinic) when its box is ticked, else {}."""
    if not st.session_state.get("in_has_quote|home"):
        return {}
    clinic = str(st.session_state.get("in_clinic|home") or "")
    return {
        "low": st.session_state.get("in_quote_low|home", 0.0),
        "high": st.session_state.get("in_quote_high|home", 0.0),
        **({"clinic": clinic} if clinic.strip() else {}),
    }


def raw_inputs(data: DataBundle, current: Scenario) -> dict[str, Any]:
    """The scenario the inputs describe, as a raw dict for ``parse_scenario`` (read from session state)."""
    ss = st.session_state
    currency, fx_rate = chosen_currency(data, current)
    per_usd = units_per_usd(data, currency, fx_rate)
    chosen = list(ss.get("in_destinations", current.destinations))
    home_quote = _home_quote()
    quotes: dict[str, Any] = {"home": home_quote} if home_quote else {}
    closed = [d for d in chosen if not is_open(d)]
    kept = current.model_dump() if closed else {}  # a closed destination's figures: as they are (unchangeable)
    travel: dict[str, Any] = {}
    for dest in chosen:
        if dest in closed:
            travel[dest] = kept["travel"].get(dest, {})
            if dest in kept["quotes"]:
                quotes[dest] = kept["quotes"][dest]
            continue
        travel[dest] = _travel(data, current, dest, currency, per_usd)
        if ss.get(f"in_has_quote|{dest}") and ss.get(CLINIC_QUOTES_KEY + dest):
            quotes[dest] = ss[CLINIC_QUOTES_KEY + dest]
    pre, rec = ss.get("in_pre_days", current.stay.pre_days), ss.get("in_recovery_days", current.stay.recovery_days)
    return {
        "name": str(ss.get("in_name", current.name)).strip() or "Untitled scenario",
        "procedure": current.procedure,
        "currency": currency,
        "home": ss.get("in_home", current.home),
        "destinations": chosen,
        "travellers": ss.get("in_travellers", current.travellers),
        "rooms": ss.get("in_rooms", current.rooms),
        "sessions": ss.get("in_sessions", current.sessions),
        "stay": {
            "pre_days": list(pre),
            "procedure_days": ss.get("in_procedure_days", current.stay.procedure_days[0]),
            "recovery_days": list(rec),
            "travel_days": ss.get("in_travel_days", current.stay.travel_days[0]),
        },
        "travel": travel,
        "quotes": quotes,
        "insurance": ss.get("in_insurance", current.insurance),
        "follow_up_trips": ss.get("in_fu_trips", current.follow_up_trips),
        "follow_up_nights": ss.get("in_fu_nights", current.follow_up_nights),
        "contingency_pct": ss.get("in_contingency", current.contingency_pct),
        "lost_income_per_day": ss.get("in_lost_income", current.lost_income_per_day),
        "checklist": {d: a for d, a in current.checklist.items() if d in chosen},
        "checklist_notes": {d: n for d, n in current.checklist_notes.items() if d in chosen},
        **({"fx_rate": fx_rate} if fx_rate is not None else {}),
    }


def apply_inputs(data: DataBundle) -> Scenario:
    """Make the inputs' scenario the current one; if they are invalid, keep the last valid one and say why.

    The reason (``PROBLEM_KEY``) names the field, e.g. "Not applied: ... (travel.mexico_colombia...)".
    With no destination picked the scenario stays as it was (the sidebar asks for one).
    """
    current = state.scenario()
    raw = raw_inputs(data, current)
    if not raw["destinations"]:
        st.session_state.pop(PROBLEM_KEY, None)
        return current
    try:
        new = parse_scenario(raw, data, "inputs")
    except ScenarioError as err:
        st.session_state[PROBLEM_KEY] = (err.problem, err.where.removeprefix("inputs: "))
        return current
    st.session_state.pop(PROBLEM_KEY, None)
    state.set_scenario(new)
    return new


def problem() -> tuple[str, str] | None:
    """Why the last inputs were not applied: (problem, field), or None when they were."""
    return st.session_state.get(PROBLEM_KEY)
