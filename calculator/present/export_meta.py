"""What every exported file shares: the formats and their MIME types, the file's name, the app's version.

The chart formats (PNG, SVG, PDF) and the table formats (CSV, XLSX) with the MIME type of every
download; :func:`file_name`, the sanitised scenario name, what the file holds and the date; the
app's version (:func:`app_version`) and the one-line :func:`stamp` a file's footnote carries; and
the not-medical-advice note that every chart and report repeats.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from importlib import metadata
from pathlib import Path
from typing import Literal

ChartFormat = Literal["png", "svg", "pdf"]
TableFormat = Literal["csv", "xlsx"]
CHART_FORMATS: tuple[ChartFormat, ...] = ("png", "svg", "pdf")
TABLE_FORMATS: tuple[TableFormat, ...] = ("csv", "xlsx")
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
    "json": "application/json",
}


APP_NAME = "medtravel-calculator"
NOT_MEDICAL_ADVICE = (
    "Not medical advice: this compares costs and lists what to check. Talk to a doctor who is "
    "independent of any clinic before deciding on treatment."
)
_ROOT = Path(__file__).resolve().parents[2]


def app_version() -> str:
    """The app's version: ``project.version`` of pyproject.toml (or the installed package's)."""
    try:
        with (_ROOT / "pyproject.toml").open("rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        try:
            return metadata.version(APP_NAME)
        except metadata.PackageNotFoundError:
            return "unknown"


def stamp(generated: dt.date) -> str:
    """E.g. ``"medtravel-calculator 0.1.0, generated 2026-04-20"``."""
    return f"{APP_NAME} {app_version()}, generated {generated.isoformat()}"


# --- file names ----------------------------------------------------------------------------------


def file_stem(name: str, limit: int = 60) -> str:
    """A scenario name made safe for a file name: ASCII letters, digits and ``-`` only, lower case.

    >>> file_stem("Client A: Mexico vs Turkey / 2027")
    'client-a-mexico-vs-turkey-2027'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:limit].strip("-")
    return stem or "scenario"


def file_name(scenario_name: str, what: str, ext: str, day: dt.date) -> str:
    """E.g. ``"client-a_compare-chart_2026-04-20.png"``: the sanitised scenario name, what, the date."""
    return f"{file_stem(scenario_name)}_{file_stem(what)}_{day.isoformat()}.{ext}"
