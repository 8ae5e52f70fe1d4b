"""The two messages issue 13 found misleading, checked against figures computed by hand.

The scenario: Mexico / Colombia, one traveller, fare 650, lodging 250 a night, 136 a day, the default stay
(4-7 days), and a quote of 1,000 to 20,000 per session. Contingency base (DESIGN.md 4: procedure + flights +
lodging + daily + follow-up) = low 1,000 + 650 + 250 x 4 + 136 x 4 = 3,194; high 20,000 + 650 + 250 x 7 +
136 x 7 = 23,352.
"""

from __future__ import annotations

import pytest

from calculator.model.compare import compare
from tests.conftest import make_scenario

TRAVEL = {"mexico_colombia": {"fare_per_traveller": 650, "lodging_per_night": 250, "daily_per_traveller": 136}}


def _message(data, code: str, **raw) -> str:
    scenario = make_scenario(data, destinations=["mexico_colombia"], travel=TRAVEL, **raw)
    found = [a.message for a in compare(scenario, data).destinations[0].alerts if a.code == code]
    assert len(found) == 1, found
    return found[0]


QUOTE = {"mexico_colombia": {"low": 1000, "high": 20000}}


@pytest.mark.parametrize(
    ("pct", "says"),
    [
        # 15% of 3,194 = 479.1; 15% of 23,352 = 3,502.8
        (0, "A 15% contingency (a convention, not evidence) would add USD 479 to 3,503 to this total."),
        # 5 points between 10% and 15%: 5% of 3,194 = 159.7; 5% of 23,352 = 1,167.6
        (10, "Raising your contingency from 10% to 15% (a convention, not evidence) would add USD 160 to 1,168"),
        # 2.5 points: 79.85 and 583.8
        (12.5, "Raising your contingency from 12.5% to 15% (a convention, not evidence) would add USD 80 to 584"),
        (15, "Your contingency of 15% covers a reserve of that size."),
        (40, "Your contingency of 40% covers a reserve of that size."),
    ],
)
def test_the_hidden_cost_reserve_is_what_15_percent_adds_on_top_of_the_users_contingency(data, pct, says):
    assert says in _message(data, "package_inclusions_unverified", quotes=QUOTE, contingency_pct=pct)


@pytest.mark.parametrize(
    ("low", "high", "says"),
    [
        # the broker's range for Mexico / Colombia is USD 4,000 to 12,000
        (1000, 20000, "is below the cited range at the low end and above it at the high end"),
        (1000, 5000, "is below the cited range: ask in writing what it leaves out"),
        (5000, 20000, "is above the cited range: ask for an itemised quote"),
    ],
)
def test_a_quote_outside_the_range_says_which_end_is_outside(data, low, high, says):
    message = _message(data, "quote_outside_range", quotes={"mexico_colombia": {"low": low, "high": high}})
    assert says in message and "The broker's range is USD 4,000 to 12,000." in message


def test_a_quote_inside_the_range_gives_no_warning(data):
    scenario = make_scenario(
        data, destinations=["mexico_colombia"], travel=TRAVEL, quotes={"mexico_colombia": {"low": 5000, "high": 9000}}
    )
    assert not [a for a in compare(scenario, data).destinations[0].alerts if a.code == "quote_outside_range"]
