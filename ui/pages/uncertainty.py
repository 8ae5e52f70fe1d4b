"""Uncertainty: Monte Carlo over the ranges, the chance of saving money, an optional risk adjustment,
break-even fares and a tornado of the inputs that move the total most."""

import datetime as dt

import streamlit as st

from calculator.model.compare import compare
from calculator.model.errors import DataError
from calculator.model.formatting import money, plain_text
from calculator.model.fx import rate_for
from calculator.model.risk import Risk, load_risk_examples
from calculator.model.scenario import MAX_MONEY, Scenario, scenario_json
from calculator.model.sensitivity import break_even, tornado
from calculator.model.sources import USER_INPUT
from calculator.model.span import Span
from calculator.model.uncertainty import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    DISTRIBUTION_TEXT,
    DISTRIBUTIONS,
    Simulation,
    simulate,
)
from calculator.present.chart_files import uncertainty_figure
from calculator.present.chart_frame import chart_bytes, page_chart_bytes
from calculator.present.charts import DESTINATION_COLOURS, savings_histogram, tornado_chart
from calculator.present.citations import figure_source_ids, vendor_note
from calculator.present.simulation_output import chance_text
from calculator.present.spreadsheets import page_table_bytes
from calculator.present.table_files import uncertainty_table_bytes
from calculator.present.uncertainty_tables import (
    break_even_table,
    drawn_table,
    histogram_frame,
    marks_frame,
    percentile_table,
    risk_label,
    tornado_frame,
)
from ui import downloads, sidebar, state, widgets

HISTOGRAM_BINS = 40
PAGE_MAX_DRAWS = 1_000_000
# The page's choices, kept under a key that is not a widget key so they survive page changes.
SETTINGS_KEY = "uncertainty_settings"
DEFAULTS = {
    "mc_distribution": "uniform",
    "mc_draws": DEFAULT_DRAWS,
    "mc_seed": DEFAULT_SEED,
    "risk_on": False,
    "risk_pct": 0.0,
    "risk_care_low": 0.0,
    "risk_care_high": 0.0,
    "risk_cited": {},
    "tornado_metric": "total",
}


@st.cache_data(show_spinner="Drawing the ranges…", max_entries=32)
def _simulation(
    scenario_text: str, draws: int, seed: int, distribution: str, risk: tuple[float, float, float, tuple] | None
) -> Simulation:
    """The simulation, cached on the scenario's JSON and every parameter."""
    scenario = Scenario.model_validate_json(scenario_text)
    adjust = None if risk is None else Risk(risk[0], Span(risk[1], risk[2]), risk[3])
    return simulate(scenario, state.data(), draws, seed, distribution, adjust, bins=HISTOGRAM_BINS)


data = state.data()
scenario = sidebar.scenario_inputs(data)
rate = rate_for(scenario, data)
cur = rate.currency
try:
    examples = load_risk_examples(data.sources)
except DataError as err:
    st.error(f"A data file could not be loaded, so this page cannot run: {plain_text(str(err))}", icon="🚫")
    st.stop()

settings = st.session_state.setdefault(SETTINGS_KEY, dict(DEFAULTS))
for key, value in DEFAULTS.items():
    if key != "risk_cited":
        st.session_state.setdefault(key, settings.get(key, value))


def _apply_example(example_id: str) -> None:
    """Put a cited figure into the risk inputs and remember which source it came from."""
    example = examples[example_id]
    cited = dict(settings.get("risk_cited", {}))
    if example.sets == "probability":
        st.session_state["risk_pct"] = float(example.probability_pct)
        cited["probability"] = (example_id, float(example.probability_pct))
    else:
        cost = example.care_cost(rate.per_usd)
        st.session_state["risk_care_low"], st.session_state["risk_care_high"] = float(cost.low), float(cost.high)
        cited["care_cost"] = (example_id, float(cost.low), float(cost.high))
    st.session_state["risk_on"] = True
    settings["risk_cited"] = cited


st.title("Uncertainty: how likely is the trip to save money?")
st.caption(
    f"{plain_text(scenario.name)} · figures in {rate.describe()} · Low / mid / high put every range at the same end "
    "at once, which rarely happens. Here each range is drawn independently, many times, and the whole trip is priced "
    "for every draw: the percentiles show where most outcomes fall."
)

col_dist, col_draws, col_seed = st.columns([3, 2, 2])
distribution = col_dist.segmented_control(
    "Distribution of each price range",
    DISTRIBUTIONS,
    key="mc_distribution",
    format_func=str.capitalize,
    help=f"Uniform: {DISTRIBUTION_TEXT['uniform'].split(': ', 1)[1]}. Triangular: "
    f"{DISTRIBUTION_TEXT['triangular'].split(': ', 1)[1]}. Day ranges are always whole days, equally likely.",
) or str(DEFAULTS["mc_distribution"])
draws = col_draws.number_input(
    "Draws",
    min_value=1_000,
    max_value=PAGE_MAX_DRAWS,
    step=10_000,
    key="mc_draws",
    help="More draws, steadier percentiles (and a longer wait). 100,000 takes well under a second.",
)
seed = col_seed.number_input(
    "Seed",
    min_value=0,
    max_value=2**32 - 1,
    step=1,
    key="mc_seed",
    help="The same seed gives the same draws, on every machine: change it to see how much the figures move.",
)

with st.expander("Risk adjustment: the cost of a complication (off by default)", expanded=st.session_state["risk_on"]):
    risk_on = st.toggle(
        "Add the cost of complications to each trip abroad",
        key="risk_on",
        help="With the chance you give, a draw's trip also pays the cost of care (drawn from its range). "
        "Not medical advice: the figures below are examples, not estimates for this treatment.",
    )
    col_p, col_low, col_high = st.columns(3)
    pct = col_p.number_input("Chance of a complication (%)", 0.0, 100.0, step=0.5, key="risk_pct")
    care_low = col_low.number_input(f"Cost of care, low ({cur})", min_value=0.0, step=500.0, key="risk_care_low")
    care_high = col_high.number_input(f"Cost of care, high ({cur})", min_value=0.0, step=500.0, key="risk_care_high")
    st.caption("Cited examples (one click fills the figure; its source is shown below):")
    cols = st.columns(len(examples))
    for col, example in zip(cols, examples.values(), strict=True):
        col.button(
            example.label,
            key=f"risk_example_{example.id}",
            on_click=_apply_example,
            args=(example.id,),
            help=example.caveat,
            width="stretch",
        )
    cited = settings.get("risk_cited", {})
    sources: list[str] = []
    probability_cited = cited.get("probability")
    if probability_cited and probability_cited[1] == pct:
        sources.append(examples[probability_cited[0]].source_id)
        st.caption(f"Chance: {examples[probability_cited[0]].label}. {examples[probability_cited[0]].caveat}")
    elif pct:
        sources.append(USER_INPUT)
        st.caption("Chance: your figure.")
    care_cited = cited.get("care_cost")
    if care_cited and (care_cited[1], care_cited[2]) == (care_low, care_high):
        sources.append(examples[care_cited[0]].source_id)
        st.caption(f"Cost of care: {examples[care_cited[0]].label}. {examples[care_cited[0]].caveat}")
    elif care_high:
        sources.append(USER_INPUT)
        st.caption("Cost of care: your figures.")

risk_params = None
if risk_on:
    if care_low > care_high:
        st.error("Risk adjustment not applied: the low cost of care is above the high.", icon="🚫")
    elif care_high > MAX_MONEY:  # 1e308 would overflow the totals
        st.error(
            f"Risk adjustment not applied: the cost of care is above {money(MAX_MONEY, cur)}, the largest amount "
            "the calculator takes.",
            icon="🚫",
        )
    elif pct > 0:
        risk_params = (pct / 100, care_low, care_high, tuple(dict.fromkeys(sources)) or (USER_INPUT,))
    else:
        st.info("Risk adjustment is on but the chance of a complication is 0%: nothing is added.", icon="ℹ️")

for key in DEFAULTS:
    if key != "risk_cited":
        settings[key] = st.session_state[key]

sim = _simulation(scenario_json(scenario), int(draws), int(seed), distribution, risk_params)

cols = st.columns(len(sim.destinations))
for col, dest in zip(cols, sim.destinations, strict=True):
    o = dest.risk_adjusted or dest.outcome
    with col:
        st.header(plain_text(dest.name))
        st.metric(
            "Chance of saving money" + (", with complications" if dest.risk_adjusted else ""),
            chance_text(o.p_saves_money),
            help="The share of draws in which the whole trip costs less than having it done at home.",
        )
        st.metric(
            f"You save, median ({cur})",
            money(o.savings.p50, cur),
            help=f"5th to 95th percentile: {money(o.savings.p5, cur)} to {money(o.savings.p95, cur)}",
        )
        st.metric(
            f"Whole trip, 95th percentile ({cur})",
            money(o.total.p95, cur),
            help="1 draw in 20 costs more than this.",
        )
        if dest.risk_adjusted is not None and sim.risk is not None:
            st.metric(
                f"Expected cost of complications ({cur})",
                money(sim.risk.expected_cost, cur),
                help="Chance x the midpoint of the cost of care, per trip.",
            )

if sim.risk is not None:
    st.info(f"Risk adjustment on: {risk_label(sim.risk, cur, data.sources)}", icon="⚕️")

hist = histogram_frame(sim, risk_adjusted=sim.risk is not None)
marks = marks_frame(sim, risk_adjusted=sim.risk is not None)
if not hist.empty:
    st.subheader(
        f"Simulated savings vs home ({cur}, {sim.draws:,} draws" + (", with complications)" if sim.risk else ")")
    )
    for i, name in enumerate(dict.fromkeys(hist["destination"])):
        chart = savings_histogram(
            hist[hist["destination"] == name],
            marks[marks["destination"] == name],
            cur,
            name,
            DESTINATION_COLOURS[i % len(DESTINATION_COLOURS)],
        )
        st.altair_chart(chart, width="stretch")
    downloads.chart_downloads(
        "dl_uncertainty_chart",
        lambda fmt: chart_bytes(uncertainty_figure(sim, compare(scenario, data), data, dt.date.today()), fmt),
        scenario.name,
        "savings-distribution",
    )
else:
    st.info("Every input is a single figure, so every draw is the same: see the Compare page.", icon="ℹ️")

st.dataframe(percentile_table(sim), width="stretch")
downloads.table_downloads(
    "dl_uncertainty_table",
    lambda fmt: uncertainty_table_bytes(sim, compare(scenario, data), data, fmt),
    scenario.name,
    "uncertainty",
)
with st.expander("What was drawn, and how"):
    st.markdown(
        f"**{sim.draws:,} draws**, seed {sim.seed}. Each price range: {DISTRIBUTION_TEXT[sim.distribution]}. "
        "Each day range: a whole number of days, all equally likely, shared by home and every destination in "
        "a draw (the same patient). Single figures (fares, lodging, daily costs...) are used as they are; a "
        "missing fare leaves the flights out, as on the Compare page. p5 / p50 / p95: 5 in 100 draws fall "
        "below p5, half below p50, 95 in 100 below p95."
    )
    st.dataframe(drawn_table(sim), width="stretch", hide_index=True)

st.header("Break-even")
st.caption(
    "The return fare per traveller at which each destination stops saving money (the model is linear in the "
    "fare, so this is exact), and how far the home price would have to fall for home to cost the same."
)
break_even_frame = break_even_table(break_even(scenario, data), cur)
st.dataframe(break_even_frame, width="stretch")
downloads.table_downloads(
    "dl_break_even_table",
    lambda fmt: page_table_bytes(break_even_frame, fmt, "Break-even", data, figure_source_ids(compare(scenario, data))),
    scenario.name,
    "break-even",
)

st.header("Which inputs move the total most")
metric = (
    st.segmented_control(
        "Effect on",
        ["total", "savings"],
        key="tornado_metric",
        format_func={"total": "Mid total", "savings": "Mid saving"}.get,
        help="Each bar: one range at its low end and at its high end, every other range at its midpoint.",
    )
    or "total"
)
bars = {d.name: tornado(scenario, data, d.id, metric) for d in sim.destinations}
frame = tornado_frame(bars, cur)
if frame.empty:
    st.info("No input is a range: nothing to show.", icon="ℹ️")
else:
    label = "mid total" if metric == "total" else "mid saving"
    st.altair_chart(tornado_chart(frame, cur, f"{scenario.name}: what moves the {label}", label), width="stretch")
    downloads.chart_downloads(
        "dl_tornado_chart",
        lambda fmt: page_chart_bytes(
            tornado_chart(frame, cur, "", label),
            fmt,
            f"Which inputs move the {label}",
            scenario.name,
            figure_source_ids(compare(scenario, data)),
            data,
            dt.date.today(),
            subtitle=f"figures in {cur}",
            vendor_note=vendor_note(compare(scenario, data), data),
        ),
        scenario.name,
        "tornado",
    )

with st.expander("Sources of the figures on this page"):
    ids = [*compare(scenario, data).source_ids(), *(sim.risk.sources if sim.risk else ())]
    for source_id in dict.fromkeys(ids):
        st.markdown(f"- {widgets.cite([source_id], data)}")
