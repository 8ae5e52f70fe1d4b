"""Due diligence: answers, summary, readiness, and the checklist, quote and regulation warnings."""

import pytest

from calculator.model import diligence
from calculator.model.compare import compare
from tests.conftest import make_scenario

CHECKLIST_CODES = {"unverified_checklist_item", "critical_item_not_verified", "package_inclusions_unverified"}


def by_id(comparison, dest):
    return next(d for d in comparison.destinations if d.id == dest)


@pytest.fixture(scope="module")
def acceptance(data):
    all_verified = {item.id: "verified" for item in data.checklist}
    s = make_scenario(
        data,
        destinations=["mexico_colombia", "india_malaysia", "turkey_thailand"],
        quotes={"mexico_colombia": {"low": 2000, "high": 2000, "clinic": "Clinica Ejemplo"}},
        checklist={
            "mexico_colombia": {
                "jci_accreditation": "claimed",
                "itemised_quote": "claimed",
                "regulatory_approval": "unknown",
            },
            "turkey_thailand": all_verified,
        },
    )
    return compare(s, data)


def test_issue_4_acceptance_mexico(acceptance):
    mexico = by_id(acceptance, "mexico_colombia")
    codes = [a.code for a in mexico.alerts]
    assert {
        "unverified_checklist_item",
        "critical_item_not_verified",
        "package_inclusions_unverified",
        "quote_outside_range",
    } <= set(codes)
    unverified = [a for a in mexico.alerts if a.code == "unverified_checklist_item"]
    assert [a.subject for a in unverified] == ["checklist.jci_accreditation", "checklist.itemised_quote"]
    assert unverified[0].message.startswith(
        "Mexico / Colombia · Clinica Ejemplo: “JCI accreditation (checked with JCI)” is only claimed"
    )
    quote = next(a for a in mexico.alerts if a.code == "quote_outside_range")
    assert quote.message.startswith(
        "Mexico / Colombia: The quote from Clinica Ejemplo (USD 2,000 per session) is below the cited range"
    )
    assert "USD 4,000 to 12,000" in quote.message
    critical = next(a for a in mexico.alerts if a.code == "critical_item_not_verified")
    assert "Licence or approved trial for this use, in this country (unknown)" in critical.message
    assert critical.severity == "critical"


def test_issue_4_acceptance_india_and_all_verified(acceptance):
    india = by_id(acceptance, "india_malaysia")
    restriction = [a for a in india.alerts if a.code == "regulatory_restriction"]
    assert [a.message.split(" (")[0] for a in restriction] == ["India"]
    assert "icmr_dbt_stem_cell_guidelines_2017" in restriction[0].sources
    turkey = by_id(acceptance, "turkey_thailand")
    assert CHECKLIST_CODES.isdisjoint(a.code for a in turkey.alerts)
    assert turkey.diligence.readiness == "checks_done"


def test_package_warning_shows_the_effect_of_a_reserve(data):
    s = make_scenario(data, destinations=["mexico_colombia"], travel={"mexico_colombia": {"fare_per_traveller": 650}})
    alert = next(a for a in compare(s, data).destinations[0].alerts if a.code == "package_inclusions_unverified")
    # 15% of procedure + flights + lodging + daily:
    # 0.15 x (4000 + 650 + 1000 + 544) .. 0.15 x (12000 + 650 + 1750 + 952)
    assert "would add USD 929 to 2,303 to this total" in alert.message
    assert "consumer_cost_conventions" in alert.sources
    covered = make_scenario(data, destinations=["mexico_colombia"], contingency_pct=20)
    alert = next(a for a in compare(covered, data).destinations[0].alerts if a.code == "package_inclusions_unverified")
    assert "Your contingency of 20% covers a reserve of that size." in alert.message


def test_quote_above_the_range(data):
    s = make_scenario(data, destinations=["india_malaysia"], quotes={"india_malaysia": {"low": 7000, "high": 9000}})
    alert = next(a for a in compare(s, data).destinations[0].alerts if a.code == "quote_outside_range")
    assert "Your quote (USD 7,000 to 9,000 per session) is above the cited range" in alert.message


def test_quote_inside_the_range_raises_nothing(data):
    s = make_scenario(data, destinations=["india_malaysia"], quotes={"india_malaysia": {"low": 3000, "high": 3000}})
    assert "quote_outside_range" not in [a.code for a in compare(s, data).destinations[0].alerts]


def test_home_regulation_is_a_top_level_warning(data):
    c = compare(make_scenario(data, destinations=["turkey_thailand"]), data)
    home = [a for a in c.alerts if a.code == "regulatory_restriction"]
    assert len(home) == 1
    assert home[0].subject == "home.regulation"
    assert home[0].message.startswith("United States (U.S. Food and Drug Administration (FDA)")
    # Turkey's rule is unknown (null) in data/regulation.yaml: only Thailand restricts.
    turkey = [a for a in c.destinations[0].alerts if a.code == "regulatory_restriction"]
    assert [a.message.split(" (")[0] for a in turkey] == ["Thailand"]


def test_summary_counts_and_readiness_rule(data):
    items = data.checklist
    answers = {i.id: "verified" for i in items}
    assert diligence.summarise(items, answers).readiness == "checks_done"
    important = next(i.id for i in items if i.severity == "important")
    answers[important] = "claimed"
    summary = diligence.summarise(items, answers)
    assert summary.readiness == "checks_outstanding"
    assert summary.claimed == (important,)
    critical = next(i.id for i in items if i.severity == "critical")
    answers[critical] = "no"
    summary = diligence.summarise(items, answers)
    assert summary.readiness == "critical_gaps"
    assert summary.critical_gaps == (critical,)
    assert summary.counts == {"verified": len(items) - 2, "claimed": 1, "no": 1, "unknown": 0, "not_applicable": 0}
    assert summary.headline() == f"Critical gaps: {len(items) - 2} of {len(items)} verified, 1 critical not verified"


def test_unanswered_items_are_unknown(data):
    s = make_scenario(data, destinations=["mexico_colombia"], checklist={"mexico_colombia": {"gmp_lab": "verified"}})
    answers = diligence.answers_for(s, data, "mexico_colombia")
    assert answers["gmp_lab"] == "verified"
    assert answers["jci_accreditation"] == "unknown"
    assert len(answers) == len(data.checklist)


def test_every_item_claim_and_country_has_a_known_source(data):
    for group in (data.checklist, data.claims, data.questions, data.regulation.values()):
        for entry in group:
            assert entry.sources, entry
            assert all(s in data.sources for s in entry.sources)
    assert len(data.claims) >= 6
    assert {c.status for c in data.claims} <= {"supported", "partly_supported", "unsupported", "contradicted"}
    assert all(data.sources["placidway_scar_stem_cell"].id in c.sources for c in data.claims)


def test_autologous_item_is_not_a_safety_guarantee(data):
    item = next(i for i in data.checklist if i.id == "autologous_cells")
    text = (item.why + item.how_to_verify).lower()
    assert "isscr" in text or "isscr_warning_signs" in item.sources
    assert "risk" in text
