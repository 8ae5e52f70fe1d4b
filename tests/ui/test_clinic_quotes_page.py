"""Issue 15 in AppTest: two clinics entered in the sidebar's table become two columns and two cards on Compare.

Mexico, 1 traveller, 1 room, stay 4-7 days, fare 650, lodging 250, daily 136 (hand-computed):
Clinica Uno 6,500, everything included, 3 hotel nights: 7,944 / 8,523 / 9,102, deposit 500 non-refundable;
Clinica Dos 4,800 + lab processing 1,200 + pre-op tests 300: 8,494 / 9,073 / 9,652, consultation and
follow-up visits unpriced.
"""

import re

from streamlit.testing.v1 import AppTest

from tests.conftest import APP, APPTEST_TIMEOUT
from tests.ui.answer import answer_text, chart_dataset, figures, open_destination, set_input, side_by_side

ITEMS = ("consultation", "pre_op_tests", "harvest", "lab_processing", "injection", "follow_up_visits")
UNO = {"clinic": "Clinica Uno", "low": 6500, "nights": 3, "deposit": 500, "refundable": False}
UNO |= {f"inc_{i}": True for i in ITEMS}
DOS = {"clinic": "Clinica Dos", "low": 4800, "inc_harvest": True, "inc_injection": True}
DOS |= {"extra_lab_processing": 1200, "extra_pre_op_tests": 300}


def clinics_app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.run()
    at.multiselect(key="in_destinations").set_value(["mexico_colombia"]).run()
    open_destination(at, "mexico_colombia")
    set_input(at, "in_fare|mexico_colombia|USD", 650)
    at.checkbox(key="in_has_quote|mexico_colombia").check().run()
    at.session_state["in_clinics|mexico_colombia"] = {"edited_rows": {}, "added_rows": [UNO, DOS], "deleted_rows": []}
    at.run()
    assert not at.exception
    return at


def text_of(at: AppTest) -> str:
    shown = " ".join(e.value for e in [*at.markdown, *at.warning, *at.error, *at.caption])
    return re.sub(r"\\(.)", r"\1", shown) + " " + answer_text(at)


def test_each_clinic_is_a_column_and_a_card_with_hand_computed_totals():
    at = clinics_app()
    frame = side_by_side(at)
    uno, dos = "Mexico / Colombia · Clinica Uno", "Mexico / Colombia · Clinica Dos"
    assert list(frame.columns) == [
        "United States / Western Europe (home)",
        uno,
        dos,
        "Mexico / Colombia · broker's range",
    ]
    assert frame.loc["Total", uno] == "USD 7,944 to 9,102"
    assert frame.loc["Total", dos] == "USD 8,494 to 9,652"
    assert frame.loc["Lodging", uno] == "USD 250 to 1,000"
    assert frame.loc["Total", "Mexico / Colombia · broker's range"] == "USD 6,194 to 15,352 ⚠"
    assert frame.loc["Deposit at risk (not in the total)", uno] == "USD 500, non-refundable"
    assert frame.loc["Deposit at risk (not in the total)", dos] == ""
    assert frame.loc["Left out, no price given", dos] == "Consultation; Follow-up visits"
    assert frame.loc["Left out, no price given", uno] == "nothing"
    # The answer first: one card per clinic, mid totals 8,523 and 9,073.
    assert figures(at) == ["USD 8,523", "USD 9,073"]
    page = text_of(at)
    assert "Deposit USD 500, non-refundable: at risk if the trip is cancelled (not in the total)" in page
    assert "Not priced (total incomplete): consultation, follow-up visits" in page
    assert "ask Clinica Dos the price of consultation and follow-up visits" in page
    totals = chart_dataset(at, "totals")  # the chart's data, sent apart from its spec
    assert [(t["label"], t["mid"]) for t in totals][1:] == [(uno, 8523), (dos, 9073)]  # one bar per clinic


def test_clinics_round_trip_through_the_scenario_and_a_share_link():
    from calculator.model.data import load_data
    from calculator.storage.share import decode_token, encode_token

    at = clinics_app()
    scenario = at.session_state["scenario"]
    uno, dos = scenario.quotes["mexico_colombia"]
    assert (uno.clinic, uno.includes, uno.lodging_nights_included, uno.deposit) == ("Clinica Uno", list(ITEMS), 3, 500)
    assert (dos.includes, dos.extras) == (["harvest", "injection"], {"lab_processing": 1200, "pre_op_tests": 300})
    data = load_data()
    assert decode_token(encode_token(scenario), data) == scenario


def test_due_diligence_answers_per_clinic_override_the_destinations():
    from calculator.model.data import load_data
    from calculator.model.scenario import load_scenario_file
    from tests.conftest import ROOT

    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.session_state["scenario"] = load_scenario_file(ROOT / "examples" / "clinics.json", load_data())
    at.run()
    at.switch_page("ui/pages/diligence.py").run()
    assert not at.exception
    assert [t.label for t in at.tabs] == ["Mexico / Colombia · Clinica Uno", "Mexico / Colombia · Clinica Dos"]
    # One click per answer: the GMP lab item of Clinica Dos's tab set to verified.
    at.segmented_control(key="in_dd|mexico_colombia|1|Clinica Dos|gmp_lab").set_value("verified").run()
    assert not at.exception
    uno, dos = at.session_state["scenario"].quotes["mexico_colombia"]
    assert (uno.checklist, dos.checklist) == ({"jci_accreditation": "verified"}, {"gmp_lab": "verified"})
    summary = next(d.value for d in at.dataframe if "Destination" in d.value.columns).set_index("Destination")
    assert summary.loc["Mexico / Colombia · Clinica Dos", "Verified"] == 1
    assert summary.loc["Mexico / Colombia · Clinica Uno", "Verified"] == 1
