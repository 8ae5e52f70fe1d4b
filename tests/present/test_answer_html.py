"""Compare's answer block as HTML: hand-computed figures, folded reasons, and user text that stays text."""

from __future__ import annotations

import re

from calculator.model.compare import compare
from calculator.model.formatting import html_text
from calculator.model.scenario import parse_scenario
from calculator.present.answer_html import Header, answer_html, breakdown_html, sources_html
from calculator.present.citations import vendor_source_ids
from calculator.present.tables import breakdown_rows

EVIL = '<img src=x onerror="alert(1)"> & <script>alert(2)</script> "q" \'a\''


def _block(data, raw: dict | None = None, header: Header | None = None) -> tuple[str, object]:
    scenario = parse_scenario(raw or {"destinations": ["mexico_colombia", "india_malaysia"]}, data, "test")
    comparison = compare(scenario, data)
    labels = {i.id: i.label for i in data.package_items}
    block = answer_html(
        comparison, header or Header("T", "C", None), labels, vendor_source_ids(data.sources), data.sources
    )
    return block, comparison


def _text(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def test_html_text_escapes_every_markup_character():
    assert html_text(EVIL) == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;script&gt;alert(2)&lt;/script&gt; "
        "&quot;q&quot; &#x27;a&#x27;"
    )


def test_cards_carry_the_hand_computed_figures(data):
    block, _ = _block(data)
    # Mexico City, 1 traveller, no fare: 4,000-12,000 + lodging 250 x 4-7 + M&IE 136 x 4-7 = 5,544 to 14,702
    # New Delhi: 2,500-7,500 + lodging 226 x 4-7 + M&IE 86 x 4-7 ... as the engine's table says (below)
    assert re.findall(r'data-figure="total-mid">([^<]*)<', block)[0] == f"USD {round((5544 + 14702) / 2):,}"
    # home mid 20,000 (15,000 to 25,000): saving 20,000 - 10,123 = 9,877, which is 49.4% of 20,000
    assert re.findall(r'data-figure="saving-mid">([^<]*)<', block)[0] == "USD 9,877"
    assert "↑ 49.4%" in block
    text = _text(block)
    assert "Low to high: USD 5,544 to 14,702" in text
    assert text.count("Flights not included: no fare") == 2
    assert text.count("Whole trip, mid (USD)") == 2
    assert "Home (United States / Western Europe): USD 15,000 to 25,000+, the broker&#x27;s unverified estimate" in text
    assert text.count("It is not medical advice") == 1


def test_the_reasons_are_folded_under_each_card_with_codes_and_sources(data):
    block, comparison = _block(data)
    mexico = comparison.destinations[0]
    summary = f"<summary>Why: {len(mexico.alerts)} warnings behind these figures</summary>"
    assert summary in block
    folded = block.split(summary, 1)[1].split("</details>", 1)[0]
    assert folded.count("<code>") == len(mexico.alerts)  # each warning with its code
    assert "<code>missing_input</code>" in folded and "Sources: PlacidWay" in folded
    assert folded.index('class="box critical"') < folded.index('class="box warning"')  # most severe first


def test_the_breakdown_is_a_table_of_the_engines_rows_total_last(data):
    _, comparison = _block(data)
    dest = comparison.destinations[0]
    table = breakdown_html(dest, "USD", vendor_source_ids(data.sources))
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td></tr>', table)
    expected = [(html_text(p), html_text(v)) for p, v in breakdown_rows(dest, "USD", vendor_source_ids(data.sources))]
    assert rows == expected
    assert rows[-1] == ("Total", "USD 5,544 to 14,702")
    assert ("Lodging", "USD 1,000 to 1,750") in rows


def test_user_text_is_shown_as_text(data):
    raw = {
        "name": EVIL,
        "destinations": ["mexico_colombia"],
        "quotes": {
            "mexico_colombia": [{"low": 5000, "high": 5000, "clinic": EVIL}],
            "home": {"low": 18000, "high": 18000},
        },
    }
    header = Header(title="Home vs 1 destination", caption=f"{EVIL} · caption", experimental=None)
    block, _ = _block(data, raw, header)
    assert "<img" not in block and "<script" not in block and 'onerror="' not in block
    assert block.count(html_text(EVIL)) >= 3  # the caption, the card's title and its label, escaped
    assert "your written quote" in block


def test_sources_are_listed_once_each(data):
    _, comparison = _block(data)
    listed = sources_html(comparison.source_ids(), data.sources)
    ids = list(dict.fromkeys(i for i in comparison.source_ids() if i in data.sources))
    assert listed.count("<li>") == len(ids) > 3
    assert "Sources of every figure on this page" in listed
