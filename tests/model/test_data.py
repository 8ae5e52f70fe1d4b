"""The bundled data files load, cite their sources, and a malformed file names the file, row and column."""

import shutil
from pathlib import Path

import pytest

from calculator.model.data import DATA_DIR, load_data
from calculator.model.errors import DataError
from calculator.model.sources import SourceKind


def test_seed_price_table(data):
    prices = {region: row for (_, region), row in data.prices.items()}
    home = prices["us_western_europe"]
    assert (home.price_low, home.price_high, home.high_open, home.role) == (15000, 25000, True, "home")
    assert (prices["mexico_colombia"].price_low, prices["mexico_colombia"].price_high) == (4000, 12000)
    assert prices["mexico_colombia"].stated_savings_pct == (50, 70)
    assert prices["turkey_thailand"].stated_savings_pct == (60, 80)
    assert prices["india_malaysia"].stated_savings_pct == (65, 85)
    assert prices["india_malaysia"].countries == ("IN", "MY")
    assert all(r.source_kind == SourceKind.VENDOR_CLAIM for r in prices.values())


def test_travel_defaults_cover_every_seed_country(data):
    countries = {row.country for row in data.travel.values()}
    assert {"MX", "CO", "TR", "TH", "IN", "MY", "US", "GB", "FR", "DE"} <= countries
    mexico = data.default_city("mexico_colombia")
    assert (mexico.city, mexico.lodging_per_night, mexico.daily_per_traveller) == ("Mexico City", 250, 136)
    assert data.travel["us_standard_conus"].lodging_per_night == 110
    assert all(data.sources[r.source_id].kind == SourceKind.GOVERNMENT for r in data.travel.values())


def test_fx_rates_are_dated_ecb_rates_without_cop(data):
    assert data.fx["USD"].per_eur == 1.1684
    assert str(data.fx["GBP"].rate_date) == "2026-04-13"
    assert {"EUR", "GBP", "MXN", "TRY", "THB", "INR", "MYR"} <= set(data.fx)
    assert "COP" not in data.fx


def test_every_source_is_complete(data):
    for source in data.sources.values():
        assert source.publisher and source.title and source.kind


def test_checklist_has_the_contract_ids_with_sources(data):
    ids = {item.id for item in data.checklist}
    assert {
        "jci_accreditation",
        "gmp_lab",
        "autologous_cells",
        "physician_expertise",
        "cell_viability_counts",
        "itemised_quote",
        "regulatory_approval",
        "informed_consent",
        "emergency_care",
        "follow_up_plan",
        "evacuation_insurance",
        "independent_medical_advice",
        "pretravel_consult",
    } <= ids
    assert all(item.sources for item in data.checklist)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("costs.csv", "4000,12000", "4000,twelve", "costs.csv, line 3, column 'price_high'"),
        ("costs.csv", "3000,10000", "10001,10000", "costs.csv, line 4, column 'row'"),
        ("travel_costs.csv", "250,136", "-250,136", "travel_costs.csv, line 2, column 'lodging_per_night'"),
        (
            "fx_rates.csv",
            "GBP,Pound sterling,0.87058",
            "GBP,Pound sterling,0",
            "fx_rates.csv, line 4, column 'per_eur'",
        ),
        (
            "costs.csv",
            ",placidway_scar_stem_cell,vendor_claim,Broker's estimate;",
            ",nowhere,vendor_claim,x;",
            "costs.csv, region 'mexico_colombia': source 'nowhere' is not in sources.yaml",
        ),
        (
            "sources.yaml",
            "kind: vendor_claim",
            "kind: rumour",
            "sources.yaml, sources[1] (id 'placidway_scar_stem_cell')",
        ),
    ],
)
def test_a_malformed_file_is_named_with_row_and_column(data_copy, file, old, new, message):
    _replace(data_copy / file, old, new)
    with pytest.raises(DataError) as err:
        load_data(data_copy)
    assert str(err.value).startswith(message)


def test_a_missing_file_is_named(data_copy):
    (data_copy / "fx_rates.csv").unlink()
    with pytest.raises(DataError, match=r"^fx_rates.csv: cannot be read"):
        load_data(data_copy)


def test_yaml_is_loaded_safely(data_copy):
    (data_copy / "safety_checklist.yaml").write_text("items: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(DataError, match=r"^safety_checklist.yaml: cannot be read"):
        load_data(data_copy)
