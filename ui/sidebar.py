"""The scenario inputs in the sidebar: widgets seeded from the current scenario, read back into a new one.

Each widget's key starts with ``in_``; keys that depend on a city or the currency include
them, so a change of city or currency re-seeds that input with its cited default.
A figure equal to its cited default is stored as "use the default", so its source stays
the government per diem table rather than "your input".
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from calculator.model.data import DataBundle
from calculator.model.errors import ScenarioError
from calculator.model.formatting import plain_text
from calculator.model.fx import Rate, convert_money, convert_scenario, rate, rate_for
from calculator.model.scenario import Scenario, parse_scenario
from ui import clinics, share, state
from ui.widgets import cite

OTHER_CURRENCY = "Other…"


def _seed(key: str, value: Any) -> str:
    """Give a widget its first value from the scenario (never overwrite what the user typed).

    Re-assigning a value already there keeps it when the user moves to another page: each page's
    widgets are new widgets to Streamlit, which would otherwise show their defaults.
    """
    if key not in st.session_state:
        st.session_state[key] = value
    else:
        st.session_state[key] = st.session_state[key]
    return key


def _default_or_user(value: float | None, default: float | None) -> float | None:
    """None (use the cited default) when the entry equals the default, else the user's figure."""
    if value is None or (default is not None and abs(value - default) < 0.005):
        return None
    return float(value)


def _either(user: float | None, default: float | None) -> float | None:
    """The user's figure (0 included) if there is one, else the default."""
    return default if user is None else user


def _per_diem_input(label: str, key: str, first: float | None, step: float, help_text: str) -> float | None:
    """A money input prefilled with its per diem default (a key per city, currency and rate: see module doc)."""
    return st.number_input(label, min_value=0.0, step=step, value=None, key=_seed(key, first), help=help_text)


CURRENCY_NOTICE_KEY = "currency_notice"
"""Session key of the one-line notice saying which figures a currency change converted, at which rate."""
RISK_MONEY_KEYS = ("risk_care_low", "risk_care_high")
"""The Uncertainty page's own money inputs (the cost of care), converted with the scenario's."""


def _chosen_rate(data: DataBundle) -> Rate | None:
    """The rate the currency widgets name now, or None while 'Other…' lacks a code or a rate."""
    chosen = st.session_state.get("in_currency")
    if chosen != OTHER_CURRENCY:
        return rate(chosen, None, data) if chosen in data.fx else None
    code = str(st.session_state.get("in_currency_code") or "").strip().upper()
    per_usd = st.session_state.get("in_fx_rate")
    if not re.fullmatch(r"[A-Z]{3}", code) or per_usd is None or code == "USD":
        return None
    return rate(code, float(per_usd), data)


def _convert_inputs(data: DataBundle) -> None:
    """On a change of currency: convert every figure the user entered, then show them in the new currency.

    The current scenario's money inputs (and the Uncertainty page's cost of care) are converted at the
    two dated rates; every input widget is then seeded again from the converted scenario.
    """
    new = _chosen_rate(data)
    current = state.scenario()
    old = rate_for(current, data)
    if new is None or (new.currency, new.per_usd) == (old.currency, old.per_usd):
        return
    try:
        converted = convert_scenario(current, new, data)
    except ScenarioError as err:
        st.session_state[CURRENCY_NOTICE_KEY] = f"Not converted: {err.problem}"
        return
    for key in RISK_MONEY_KEYS:
        if st.session_state.get(key) is not None:
            st.session_state[key] = round(convert_money(float(st.session_state[key]), old, new), 2)
    state.set_scenario(converted, reseed_widgets=True)
    st.session_state[CURRENCY_NOTICE_KEY] = (
        f"Your own figures (fares, lodging, daily costs, quotes, insurance, lost income, cost of care) were "
        f"converted from {old.currency} to {new.currency}: {new.sentence()}"
    )


def _currency(data: DataBundle, current: Scenario) -> tuple[str, float | None]:
    codes = list(data.fx)
    chosen = st.selectbox(
        "Display currency",
        [*codes, OTHER_CURRENCY],
        key=_seed("in_currency", current.currency if current.currency in codes else OTHER_CURRENCY),
        on_change=_convert_inputs,
        args=(data,),
        help="Every figure, and every amount you enter, is in this currency. Changing it converts the figures "
        "you entered too. Data in USD are converted at the ECB reference rate of its date; pick 'Other…' to "
        "enter any currency (e.g. COP) at your own rate.",
    )
    notice = st.session_state.get(CURRENCY_NOTICE_KEY)
    if notice:
        st.caption(f"💱 {plain_text(notice)}")
    if chosen != OTHER_CURRENCY:
        return chosen, None
    code = (
        st.text_input(
            "Currency code",
            key=_seed("in_currency_code", "" if current.currency in codes else current.currency),
            on_change=_convert_inputs,
            args=(data,),
            max_chars=3,
            placeholder="e.g. COP",
            help="Three letters, e.g. COP (the ECB publishes no Colombian peso rate).",
        )
        .strip()
        .upper()
    )
    per_usd = st.number_input(
        "Your rate: units per 1 USD",
        min_value=0.0001,
        value=None,
        key=_seed("in_fx_rate", current.fx_rate),
        on_change=_convert_inputs,
        args=(data,),
        placeholder="e.g. 4000",
        help="Your own exchange rate, e.g. from your bank. Shown as 'your rate' beside every total.",
    )
    if not re.fullmatch(r"[A-Z]{3}", code) or per_usd is None:
        st.info("Enter a three-letter currency code and your rate; figures stay in the last currency until then.")
        return current.currency, current.fx_rate
    return code, per_usd


def _stay(current: Scenario) -> dict[str, Any]:
    stay = current.stay
    st.subheader("Stay", help="Days at the destination = pre-treatment + procedure + local recovery.")
    pre = st.slider(
        "Pre-treatment days (range)",
        0,
        14,
        key=_seed("in_pre_days", tuple(stay.pre_days)),
        help="Consultation, blood work and screening before the procedure. Broker's figure: 1-2 days.",
    )
    proc = st.number_input(
        "Procedure days",
        1,
        14,
        key=_seed("in_procedure_days", stay.procedure_days[0]),
        help="Broker's figure: one day (4-6 hours).",
    )
    rec = st.slider(
        "Local recovery days (range)",
        0,
        30,
        key=_seed("in_recovery_days", tuple(stay.recovery_days)),
        help="Days between the procedure and the flight home. Broker's figure: 2-4 days; flying "
        "guidance after cosmetic procedures is 7-10 days.",
    )
    travel = st.number_input(
        "Travel days (out and back)",
        0,
        10,
        key=_seed("in_travel_days", stay.travel_days[0]),
        help="Days spent travelling; they count for lost income only (an assumption: 2).",
    )
    return {"pre_days": list(pre), "procedure_days": proc, "recovery_days": list(rec), "travel_days": travel}


def _quote_inputs(slot: str, current: Scenario, currency: str, label: str, help_text: str) -> dict[str, Any]:
    """A checkbox and, when ticked, a quote per session (low, high) and the clinic's name; {} when unticked.

    ``slot`` is ``home`` for the user's written quote at home (``quotes.home``); destinations take a
    table of clinics (ui.clinics).
    """
    if not st.checkbox(label, key=_seed(f"in_has_quote|{slot}", slot in current.quotes), help=help_text):
        return {}
    q = current.home_quote
    low = st.number_input(
        f"Quote per session, low ({currency})",
        min_value=0.0,
        step=100.0,
        key=_seed(f"in_quote_low|{slot}", q.low if q else 0.0),
    )
    high = st.number_input(
        f"Quote per session, high ({currency})",
        min_value=0.0,
        step=100.0,
        key=_seed(f"in_quote_high|{slot}", q.high if q else 0.0),
        help="The same as low for a fixed price.",
    )
    clinic = st.text_input("Clinic", key=_seed(f"in_clinic|{slot}", (q.clinic if q else "") or ""), max_chars=200)
    return {"low": low, "high": high, **({"clinic": clinic} if clinic.strip() else {})}


def _destination(data: DataBundle, current: Scenario, dest: str, currency: str, per_usd: float) -> tuple[dict, list]:
    """One destination's expander: city, fare, lodging, daily, clinic quotes. Returns (travel, quotes)."""
    row = data.prices[(current.procedure, dest)]
    given = current.travel_for(dest)
    cities = data.cities(dest)
    with st.expander(f"{row.region_name}: travel and quote", expanded=False):
        city_ids = [c.city_id for c in cities]
        city_id = (
            st.selectbox(
                "City (for lodging and daily defaults)",
                city_ids,
                format_func=lambda c: data.travel[c].city,
                key=_seed(f"in_city|{dest}", given.city or (city_ids[0] if city_ids else None)),
                help="Defaults are this city's U.S. government per diem ceilings, not typical prices.",
            )
            if cities
            else None
        )
        city = data.travel[city_id] if city_id else None
        fare = st.number_input(
            f"Return fare per traveller ({currency})",
            min_value=0.0,
            step=50.0,
            value=None,
            key=_seed(f"in_fare|{dest}|{currency}", given.fare_per_traveller),
            placeholder="enter your fare",
            help="No cited default: enter a real fare. Left empty, flights are left out of the total and flagged.",
        )
        defaults = {
            "lodging": round(city.lodging_per_night * per_usd, 2) if city else None,
            "daily": round(city.daily_per_traveller * per_usd, 2) if city else None,
        }
        lodging = _per_diem_input(
            f"Lodging per room per night ({currency})",
            f"in_lodging|{dest}|{city_id}|{currency}|{per_usd:.8g}",
            _either(given.lodging_per_night, defaults["lodging"]),
            10.0,
            "Prefilled with the city's per diem lodging ceiling; change it to your hotel's rate.",
        )
        daily = _per_diem_input(
            f"Meals & incidentals per traveller per day ({currency})",
            f"in_daily|{dest}|{city_id}|{currency}|{per_usd:.8g}",
            _either(given.daily_per_traveller, defaults["daily"]),
            5.0,
            "Prefilled with the city's per diem M&IE ceiling (meals and incidentals).",
        )
        if city:
            st.caption(f"Defaults: {city.city}, {city.basis}. Source: {cite([city.source_id], data)}")
        quote = clinics.clinic_table(dest, current, currency, data)
    travel = {
        "fare_per_traveller": fare,
        "lodging_per_night": _default_or_user(lodging, defaults["lodging"]),
        "daily_per_traveller": _default_or_user(daily, defaults["daily"]),
        "city": city_id if city and not city.default_for_region else None,
    }
    return {k: v for k, v in travel.items() if v is not None}, quote


def scenario_inputs(data: DataBundle) -> Scenario:
    """Render the inputs; return the scenario they describe (the last valid one if they are invalid)."""
    share.apply_share_link(data)  # a ?s=<token> link replaces the current scenario, once per session
    current = state.scenario()
    homes = data.regions(current.procedure, "home")
    dests = data.regions(current.procedure, "destination")
    names = {r.region_id: r.region_name for r in homes + dests}
    with st.sidebar:
        st.header("Your scenario")
        name = st.text_input("Scenario name", key=_seed("in_name", current.name), max_chars=200)
        home = st.selectbox(
            "Home (baseline)",
            [r.region_id for r in homes],
            format_func=names.get,
            key=_seed("in_home", current.home),
            help="Where you would have the treatment at home.",
        )
        home_quote = _quote_inputs(
            "home",
            current,
            current.currency,
            "I have a written quote at home",
            "Your home clinic's written price per session replaces the broker's unverified home range, so "
            "every saving rests on your quote instead of the broker's claim.",
        )
        chosen = st.multiselect(
            "Destinations (1-3)",
            [r.region_id for r in dests],
            format_func=names.get,
            max_selections=3,
            key=_seed("in_destinations", [d for d in current.destinations if d in names][:3]),
            help="Regions as the broker groups them; each has its own cited price range.",
        )
        currency, fx_rate = _currency(data, current)
        col1, col2, col3 = st.columns(3)
        travellers = col1.number_input(
            "Travellers",
            1,
            20,
            key=_seed("in_travellers", current.travellers),
            help="You and any companion: fares and daily costs scale with this.",
        )
        rooms = col2.number_input("Rooms", 1, 20, key=_seed("in_rooms", current.rooms), help="Hotel rooms per night.")
        sessions = col3.number_input(
            "Sessions",
            1,
            20,
            key=_seed("in_sessions", current.sessions),
            help="Treatment sessions: the procedure price is multiplied by them. Reading the broker's prices as "
            "per session is an assumption: it says prices vary with the number of sessions.",
        )
        stay = _stay(current)
        st.subheader("Per destination")
        per_usd = rate(currency, fx_rate, data).per_usd if currency in data.fx or fx_rate else 1.0
        travel, quotes = {}, ({"home": home_quote} if home_quote else {})
        for dest in chosen:
            travel[dest], quote = _destination(data, current, dest, currency, per_usd)
            if quote:
                quotes[dest] = quote
        st.subheader("Other costs")
        insurance = st.number_input(
            f"Travel & medical insurance ({currency}, once)",
            min_value=0.0,
            step=20.0,
            key=_seed("in_insurance", current.insurance),
            help="CDC advises insurance that covers medical evacuation.",
        )
        contingency = st.number_input(
            "Contingency (% of procedure and travel)",
            0.0,
            100.0,
            step=5.0,
            key=_seed("in_contingency", current.contingency_pct),
            help="A reserve for hidden costs. Consumer guides suggest 10-30%: a convention, not evidence.",
        )
        lost = st.number_input(
            f"Lost income per day ({currency})",
            min_value=0.0,
            step=50.0,
            key=_seed("in_lost_income", current.lost_income_per_day),
            help="Abroad: stay + travel days; at home: procedure + recovery days.",
        )
        col1, col2 = st.columns(2)
        fu_trips = col1.number_input(
            "Follow-up trips",
            0,
            10,
            key=_seed("in_fu_trips", current.follow_up_trips),
            help="Return trips for check-ups, each with fares, lodging and daily costs.",
        )
        fu_nights = col2.number_input(
            "Nights per follow-up", 0, 30, key=_seed("in_fu_nights", current.follow_up_nights)
        )
    raw = {
        "name": name.strip() or "Untitled scenario",
        "procedure": current.procedure,
        "currency": currency,
        "home": home,
        "destinations": chosen,
        "travellers": travellers,
        "rooms": rooms,
        "sessions": sessions,
        "stay": stay,
        "travel": travel,
        "quotes": quotes,
        "insurance": insurance,
        "follow_up_trips": fu_trips,
        "follow_up_nights": fu_nights,
        "contingency_pct": contingency,
        "lost_income_per_day": lost,
        "checklist": {d: a for d, a in current.checklist.items() if d in chosen},
        "checklist_notes": {d: n for d, n in current.checklist_notes.items() if d in chosen},
        **({"fx_rate": fx_rate} if fx_rate is not None else {}),
    }
    if not chosen:
        st.sidebar.info("Pick at least one destination to compare with home.", icon="👆")
        return current
    try:
        new = parse_scenario(raw, data, "inputs")
    except ScenarioError as err:
        st.sidebar.error(
            f"Not applied: {plain_text(err.problem)} ({plain_text(err.where.removeprefix('inputs: '))}). "
            "The figures shown are from your last valid inputs.",
            icon="🚫",
        )
        return current
    state.set_scenario(new)
    return new
