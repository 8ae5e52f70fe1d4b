"""The answer-first texts (Compare's cards, the report's first page): hand-checked figures in plain words."""

from calculator.model.compare import compare
from calculator.present.summary import destination_summaries, home_line, plural, title
from tests.conftest import MEXICO_ACCEPTANCE, make_scenario


def test_plural():
    assert plural(1, "destination") == "1 destination"
    assert plural(3, "destination") == "3 destinations"
    assert plural(0, "warning") == "0 warnings"


def test_solo_mexico_card_says_the_worst_case_costs_more(data):
    comparison = compare(make_scenario(data, **MEXICO_ACCEPTANCE), data)
    (card,) = destination_summaries(comparison)
    assert card.title == "Mexico / Colombia (Mexico City)"
    assert (card.total_mid, card.total_range) == ("USD 10,773", "USD 6,194 to 15,352")
    assert (card.saving_mid, card.saving_pct_mid) == ("USD 9,227", "46.1%")
    assert card.saving_range == "worst USD -352, best 18,806+"  # the home range is open at the top
    assert card.costs_more == "Could cost you more: in the worst case USD 352 more than home."
    assert card.missing is None
    assert (card.critical, card.vendor_claims) == (3, 3)
    assert card.warnings == "3 critical warnings · 3 vendor-claim warnings"
    assert title(comparison) == "Home vs 1 destination"
    assert home_line(comparison.home, "USD", False) == (
        "Home (United States / Western Europe): USD 15,000 to 25,000+, the broker's unverified estimate"
    )


def test_a_missing_fare_and_a_trip_that_always_costs_more(data):
    raw = {
        **{k: v for k, v in MEXICO_ACCEPTANCE.items() if k != "travel"},
        "quotes": {"home": {"low": 5000, "high": 5000}},
    }
    (card,) = destination_summaries(compare(make_scenario(data, **raw), data))
    assert card.missing == "Flights not included: no fare"
    # Home 5,000; Mexico without flights 5,544 to 14,702: at least 544 more in every case.
    assert card.costs_more == "Costs more than home in every case: at least USD 544 more."
    assert card.saving_range == "worst USD -9,702, best -544"
