"""``python -m calculator export``: a chart, a table or the report, written to a file (DESIGN.md section 6).

    export SCENARIO.json --chart compare|timeline|uncertainty [--format png|svg|pdf] -o FILE
    export SCENARIO.json --table compare|timeline|uncertainty [--format csv|xlsx] -o FILE
    export SCENARIO.json --report html|pdf -o FILE

``--format`` defaults to the output file's extension. ``--start`` (the procedure date,
default today) dates the timeline; ``--uncertainty`` adds the Monte Carlo figures to the
report (``--draws``, ``--seed``). ``-o -`` writes to standard output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from calculator.cli import options
from calculator.model.data import DataBundle
from calculator.model.errors import InputError
from calculator.model.uncertainty import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS

CHARTS = ("compare", "timeline", "uncertainty")
TABLES = ("compare", "timeline", "uncertainty")
FORMATS = {"chart": ("png", "svg", "pdf"), "table": ("csv", "xlsx"), "report": ("html", "pdf")}
"""The formats of each kind of export (rendered by ``present.chart_files``, ``table_files``, ``report_files``)."""


def _format(args: argparse.Namespace, allowed: tuple[str, ...], what: str) -> str:
    """The explicit ``--format``, else the output file's extension; InputError if it does not fit ``what``."""
    fmt = args.format or (args.output.suffix.lstrip(".").lower() if str(args.output) != "-" else "")
    if fmt not in allowed:
        given = (
            f"--format {fmt}"
            if args.format
            else "no --format (needed with -o -)"
            if str(args.output) == "-"
            else f"the extension of {args.output}"
        )
        raise InputError("--format", f"{given!s} does not fit a {what}: use one of {', '.join(allowed)}")
    return fmt


def _write(path: Path, content: bytes) -> str:
    if str(path) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return ""
    try:
        path.write_bytes(content)
    except OSError as err:
        raise InputError(f"-o {path}", f"cannot be written ({err.strerror or err})") from None
    return f"{path}\n"  # the path it wrote, for a person and for a script


def export_bytes(args: argparse.Namespace, data: DataBundle, today: dt.date) -> bytes:
    """The bytes the ``export`` command's arguments ask for (the renderers load only when an export runs)."""
    from calculator.model.compare import compare
    from calculator.model.scenario import load_scenario_file
    from calculator.model.timeline import parse_start, trip_timeline
    from calculator.model.uncertainty import simulate
    from calculator.present.chart_files import HISTOGRAM_BINS, compare_figure, timeline_figure, uncertainty_figure
    from calculator.present.chart_frame import chart_bytes
    from calculator.present.report_content import build_report
    from calculator.present.report_files import report_bytes
    from calculator.present.table_files import table_bytes, timeline_xlsx, uncertainty_table_bytes
    from calculator.present.timeline_files import timeline_csv

    kind = "chart" if args.chart else "table" if args.table else "report"
    fmt = args.report if kind == "report" else _format(args, FORMATS[kind], kind)
    if kind == "report" and args.format and args.format != args.report:
        raise InputError("--format", f"--report {args.report} writes {args.report}, not {args.format}")
    wants_simulation = args.uncertainty or "uncertainty" in (args.chart, args.table)
    start = parse_start(args.start, "--start") if args.start else today
    scenario = load_scenario_file(args.scenario, data)
    comparison = compare(scenario, data)
    simulation = simulate(scenario, data, args.draws, args.seed, bins=HISTOGRAM_BINS) if wants_simulation else None
    if kind == "chart":
        if args.chart == "compare":
            return chart_bytes(compare_figure(comparison, data, today), fmt)
        if args.chart == "uncertainty":
            figure = uncertainty_figure(simulation, comparison, data, today)
            if figure is None:
                raise InputError(str(args.scenario), "every input is a single figure: there is no spread to chart")
            return chart_bytes(figure, fmt)
        return chart_bytes(timeline_figure(trip_timeline(scenario, start), scenario.name, data, today), fmt)
    if kind == "table":
        timeline = trip_timeline(scenario, start)
        if args.table == "compare":
            return table_bytes(comparison, data, fmt, timeline)
        if args.table == "uncertainty":
            return uncertainty_table_bytes(simulation, comparison, data, fmt)
        if fmt == "csv":
            return timeline_csv(timeline).encode("utf-8")
        return timeline_xlsx(timeline, comparison, data)
    report = build_report(comparison, data, today, trip_timeline(scenario, start), simulation)
    return report_bytes(report, fmt)


def _export(args: argparse.Namespace, data: DataBundle) -> str:
    return _write(args.output, export_bytes(args, data, dt.date.today()))


def add_export(sub: argparse._SubParsersAction) -> None:
    """The ``export`` subcommand."""
    p = sub.add_parser(
        "export", help="a chart (png, svg, pdf), a table (csv, xlsx) or the report (html, pdf) to a file"
    )
    p.add_argument("scenario", type=Path, help="scenario JSON file")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--chart", choices=CHARTS, help="a chart as on the page, with title, date and sources")
    what.add_argument("--table", choices=TABLES, help="a table: csv, or xlsx with sources and warnings sheets")
    what.add_argument("--report", choices=FORMATS["report"], help="the whole report: html (self-contained) or pdf")
    p.add_argument(
        "--format",
        choices=tuple(dict.fromkeys(f for fs in FORMATS.values() for f in fs)),
        help="default: -o's extension",
    )
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="where to write ('-' = stdout)")
    p.add_argument("--start", metavar="YYYY-MM-DD", help="the procedure date for the timeline (default today)")
    p.add_argument(
        "--uncertainty",
        action="store_true",
        help="add the Monte Carlo figures to the report",
    )
    p.add_argument(
        "--draws",
        type=options.whole_number(1, MAX_DRAWS),
        default=DEFAULT_DRAWS,
        help=f"draws for --uncertainty (default {DEFAULT_DRAWS:,})",
    )
    p.add_argument(
        "--seed", type=options.seed, default=DEFAULT_SEED, help=f"seed for --uncertainty (default {DEFAULT_SEED})"
    )
    p.set_defaults(run=_export)
