"""The Evidence & claims tables: the vendor's claims against the evidence, regulation, the bibliography."""

from __future__ import annotations

import pandas as pd

from calculator.model.data import DataBundle
from calculator.model.sources import KIND_LABELS

CLAIM_STATUS_LABELS = {
    "supported": "Supported",
    "partly_supported": "Partly supported",
    "unsupported": "Unsupported",
    "contradicted": "Contradicted",
}
RESTRICTS_LABELS = {True: "Restricted", False: "Not restricted", None: "Unknown (no source says)"}


def claims_frame(data: DataBundle) -> pd.DataFrame:
    """One row per vendor claim: the quoted words, where, status, what the evidence says, sources."""
    return pd.DataFrame(
        [
            {
                "Claim": c.quote,
                "Where": c.where,
                "Topic": c.topic,
                "Status": CLAIM_STATUS_LABELS[c.status],
                "What the evidence says": c.evidence,
                "Sources": ", ".join(c.sources),
            }
            for c in data.claims
        ]
    )


def regulation_frame(data: DataBundle) -> pd.DataFrame:
    """One row per country: regulator, rule, whether it restricts this use, as of, summary, sources."""
    return pd.DataFrame(
        [
            {
                "Country": r.name,
                "Regulator": r.regulator,
                "Rule": r.rule,
                "This use": RESTRICTS_LABELS[r.restricts_this_use],
                "As of": r.as_of,
                "What to ask for": r.summary,
                "Sources": ", ".join(r.sources),
            }
            for r in data.regulation.values()
        ]
    )


def bibliography_frame(data: DataBundle) -> pd.DataFrame:
    """Every source the app uses: id, publisher, title, date, kind, URL, note."""
    return pd.DataFrame(
        [
            {
                "Id": s.id,
                "Publisher": s.publisher,
                "Title": s.title,
                "Date": s.date,
                "Kind": KIND_LABELS[s.kind],
                "URL": s.url or None,
                "Note": s.note,
            }
            for s in data.sources.values()
        ]
    )
