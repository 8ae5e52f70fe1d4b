"""The scenario inputs in the sidebar: widgets seeded from the current scenario (read back by ui.inputs).

Each widget's key starts with ``in_``; keys that depend on a city or the currency include
them, so a change of city or currency re-seeds that input with its cited default.
A figure equal to its cited default is stored as "use the default", so its source stays
the government per diem table rather than "your input".

An input that changes figures only (a number, the name, the home region) can rerun just the
page's results: a page passes the key of its results fragment, and the input's change callback
reads the inputs into the scenario (ui.inputs.apply_inputs) and reruns that fragment alone, not
the sidebar's ~30 widgets. Inputs that change the sidebar itself (the destinations, the currency,
a city, a quote's box, the clinic table) rerun the whole page.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from calculator.model.data import DataBundle
from calculator.model.errors import ScenarioError
from calculator.model.formatting import plain_text
from calculator.model.fx import Rate, convert_money, convert_scenario, rate, rate_for
from calculator.model.scenario import Scenario
from ui import clinics, inputs, share, state
from ui.inputs import OTHER_CURRENCY, seed
from ui.widgets import cite

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


Kwargs = dict[str, Any]
"""Keyword arguments added to an input: its change callback (empty: a change reruns the whole page)."""


def _rerun_results(data: DataBundle, results: str) -> None:
    """An input's change callback: read the inputs into the scenario, then rerun only the ``results`` fragment."""
    inputs.apply_inputs(data)
    st.rerun(results)


def _figures_only(data: DataBundle, results: str | None) -> Kwargs:
    """What an input that changes figures only gets: a callback rerunning the page's results, if it has them."""
    return {"on_change": _rerun_results, "args": (data, results)} if results else {}


def _currency(data: DataBundle, current: Scenario) -> str:
    """The currency inputs ('Other…': a code and the user's rate); returns the currency the figures are in."""
    codes = list(data.fx)
    chosen = st.selectbox(
        "Display currency",
        [*codes, OTHER_CURRENCY],
        key=seed("in_currency", current.currency if current.currency in codes else OTHER_CURRENCY),
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
        return chosen
    st.text_input(
        "Currency code",
        key=seed("in_currency_code", "" if current.currency in codes else current.currency),
        on_change=_convert_inputs,
        args=(data,),
        max_chars=3,
        placeholder="e.g. COP",
        help="Three letters, e.g. COP (the ECB publishes no Colombian peso rate).",
    )
    st.number_input(
        "Your rate: units per 1 USD",
        min_value=0.0001,
        value=None,
        key=seed("in_fx_rate", current.fx_rate),
        on_change=_convert_inputs,
        args=(data,),
        placeholder="e.g. 4000",
        help="Your own exchange rate, e.g. from your bank. Shown as 'your rate' beside every total.",
    )
    code = str(st.session_state.get("in_currency_code") or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code) or st.session_state.get("in_fx_rate") is None:
        st.info("Enter a three-letter currency code and your rate; figures stay in the last currency until then.")
        return current.currency
    return code


def _stay(current: Scenario, on_change: Kwargs) -> None:
    stay = current.stay
    st.subheader("Stay", help="Days at the destination = pre-treatment + procedure + local recovery.")
    st.slider(
        "Pre-treatment days (range)",
        0,
        14,
        key=seed("in_pre_days", tuple(stay.pre_days)),
        help="Consultation, blood work and screening before the procedure. Broker's figure: 1-2 days.",
        **on_change,
    )
    st.number_input(
        "Procedure days",
        1,
        14,
        key=seed("in_procedure_days", stay.procedure_days[0]),
        help="Broker's figure: one day (4-6 hours).",
        **on_change,
    )
    st.slider(
        "Local recovery days (range)",
        0,
        30,
        key=seed("in_recovery_days", tuple(stay.recovery_days)),
        help="Days between the procedure and the flight home. Broker's figure: 2-4 days; flying "
        "guidance after cosmetic procedures is 7-10 days.",
        **on_change,
    )
    st.number_input(
        "Travel days (out and back)",
        0,
        10,
        key=seed("in_travel_days", stay.travel_days[0]),
        help="Days spent travelling; they count for lost income only (an assumption: 2).",
        **on_change,
    )


def _home_quote_inputs(current: Scenario, currency: str, on_change: Kwargs) -> None:
    """The box 'I have a written quote at home' and, when ticked, the quote per session and the clinic's name."""
    if not st.checkbox(
        "I have a written quote at home",
        key=seed("in_has_quote|home", "home" in current.quotes),
        help="Your home clinic's written price per session replaces the broker's unverified home range, so "
        "every saving rests on your quote instead of the broker's claim.",
    ):
        return
    q = current.home_quote
    st.number_input(
        f"Quote per session, low ({currency})",
        min_value=0.0,
        step=100.0,
        key=seed("in_quote_low|home", q.low if q else 0.0),
        **on_change,
    )
    st.number_input(
        f"Quote per session, high ({currency})",
        min_value=0.0,
        step=100.0,
        key=seed("in_quote_high|home", q.high if q else 0.0),
        help="The same as low for a fixed price.",
        **on_change,
    )
    st.text_input("Clinic", key=seed("in_clinic|home", (q.clinic if q else "") or ""), max_chars=200, **on_change)


def _destination(
    data: DataBundle, current: Scenario, dest: str, currency: str, per_usd: float, on_change: Kwargs
) -> None:
    """One destination's expander: city, fare, lodging, daily, clinic quotes (read back by ui.inputs)."""
    row = data.prices[(current.procedure, dest)]
    given = current.travel_for(dest)
    cities = data.cities(dest)
    # Built only while open ("rerun" on opening): closed, its ~6 inputs are neither sent nor redrawn on a change.
    box = st.expander(f"{row.region_name}: travel and quote", key=inputs.open_key(dest), on_change="rerun")
    with box:
        if not box.open:
            return
        city_ids = [c.city_id for c in cities]
        if cities:
            st.selectbox(
                "City (for lodging and daily defaults)",
                city_ids,
                format_func=lambda c: data.travel[c].city,
                key=seed(f"in_city|{dest}", given.city or city_ids[0]),
                help="Defaults are this city's U.S. government per diem ceilings, not typical prices.",
            )
        city_id = inputs.chosen_city(data, current, dest)
        city = data.travel[city_id] if city_id else None
        keys = inputs.destination_keys(dest, city_id, currency, per_usd)
        st.number_input(
            f"Return fare per traveller ({currency})",
            min_value=0.0,
            step=50.0,
            value=None,
            key=seed(keys.fare, given.fare_per_traveller),
            placeholder="enter your fare",
            help="No cited default: enter a real fare. Left empty, flights are left out of the total and flagged.",
            **on_change,
        )
        defaults = inputs.city_defaults(city, per_usd)
        for part, label, step, help_text in (
            ("lodging", f"Lodging per room per night ({currency})", 10.0,
             "Prefilled with the city's per diem lodging ceiling; change it to your hotel's rate."),
            ("daily", f"Meals & incidentals per traveller per day ({currency})", 5.0,
             "Prefilled with the city's per diem M&IE ceiling (meals and incidentals)."),
        ):  # fmt: skip
            given_value = given.lodging_per_night if part == "lodging" else given.daily_per_traveller
            first = defaults[part] if given_value is None else given_value
            st.number_input(
                label,
                min_value=0.0,
                step=step,
                value=None,
                key=seed(getattr(keys, part), first),
                help=help_text,
                **on_change,
            )
        if city:
            st.caption(f"Defaults: {city.city}, {city.basis}. Source: {cite([city.source_id], data)}")
        st.session_state[inputs.CLINIC_QUOTES_KEY + dest] = clinics.clinic_table(dest, current, currency, data)


def _other_costs(current: Scenario, currency: str, on_change: Kwargs) -> None:
    st.subheader("Other costs")
    st.number_input(
        f"Travel & medical insurance ({currency}, once)",
        min_value=0.0,
        step=20.0,
        key=seed("in_insurance", current.insurance),
        help="CDC advises insurance that covers medical evacuation.",
        **on_change,
    )
    st.number_input(
        "Contingency (% of procedure and travel)",
        0.0,
        100.0,
        step=5.0,
        key=seed("in_contingency", current.contingency_pct),
        help="A reserve for hidden costs. Consumer guides suggest 10-30%: a convention, not evidence.",
        **on_change,
    )
    st.number_input(
        f"Lost income per day ({currency})",
        min_value=0.0,
        step=50.0,
        key=seed("in_lost_income", current.lost_income_per_day),
        help="Abroad: stay + travel days; at home: procedure + recovery days.",
        **on_change,
    )
    col1, col2 = st.columns(2)
    col1.number_input(
        "Follow-up trips",
        0,
        10,
        key=seed("in_fu_trips", current.follow_up_trips),
        help="Return trips for check-ups, each with fares, lodging and daily costs.",
        **on_change,
    )
    col2.number_input("Nights per follow-up", 0, 30, key=seed("in_fu_nights", current.follow_up_nights), **on_change)


def scenario_inputs(data: DataBundle, results: str | None = None) -> Scenario:
    """Render the inputs; return the scenario they describe (the last valid one if they are invalid).

    ``results``: the key of the page's results fragment (``@st.fragment(key=...)``). Given, an input that
    changes figures only reruns that fragment alone, and the page shows why invalid inputs were not
    applied (``show_problem``) inside it; without it, every change reruns the page and the
    reason is shown here, in the sidebar.
    """
    share.apply_share_link(data)  # a ?s=<token> link replaces the current scenario, once per session
    current = state.scenario()
    homes = data.regions(current.procedure, "home")
    dests = data.regions(current.procedure, "destination")
    names = {r.region_id: r.region_name for r in homes + dests}
    on_change = _figures_only(data, results)
    with st.sidebar:
        st.header("Your scenario")
        st.text_input("Scenario name", key=seed("in_name", current.name), max_chars=200, **on_change)
        st.selectbox(
            "Home (baseline)",
            [r.region_id for r in homes],
            format_func=names.get,
            key=seed("in_home", current.home),
            help="Where you would have the treatment at home.",
            **on_change,
        )
        _home_quote_inputs(current, current.currency, on_change)
        chosen = st.multiselect(
            "Destinations (1-3)",
            [r.region_id for r in dests],
            format_func=names.get,
            max_selections=3,
            key=seed("in_destinations", [d for d in current.destinations if d in names][:3]),
            help="Regions as the broker groups them; each has its own cited price range.",
        )
        currency = _currency(data, current)
        col1, col2, col3 = st.columns(3)
        col1.number_input(
            "Travellers",
            1,
            20,
            key=seed("in_travellers", current.travellers),
            help="You and any companion: fares and daily costs scale with this.",
            **on_change,
        )
        col2.number_input(
            "Rooms", 1, 20, key=seed("in_rooms", current.rooms), help="Hotel rooms per night.", **on_change
        )
        col3.number_input(
            "Sessions",
            1,
            20,
            key=seed("in_sessions", current.sessions),
            help="Treatment sessions: the procedure price is multiplied by them. Reading the broker's prices as "
            "per session is an assumption: it says prices vary with the number of sessions.",
            **on_change,
        )
        _stay(current, on_change)
        st.subheader("Per destination")
        per_usd = inputs.units_per_usd(data, *inputs.chosen_currency(data, current))
        for dest in chosen:
            _destination(data, current, dest, currency, per_usd, on_change)
        _other_costs(current, currency, on_change)
    if not chosen:
        st.sidebar.info("Pick at least one destination to compare with home.", icon="👆")
    new = inputs.apply_inputs(data)
    if results is None:
        show_problem(in_sidebar=True)
    return new


def show_problem(in_sidebar: bool = False) -> None:
    """Why the inputs were not applied, if they were not: in the sidebar, or where a results fragment shows it."""
    problem = inputs.problem()
    if problem:
        (st.sidebar if in_sidebar else st).error(
            f"Not applied: {plain_text(problem[0])} ({plain_text(problem[1])}). "
            "The figures shown are from your last valid inputs.",
            icon="🚫",
        )
