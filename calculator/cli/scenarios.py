"""``python -m calculator scenarios [--db URL] [--owner ID] ACTION``: the saved-scenario store from the command line.

Actions (DESIGN.md section 6): ``save FILE``, ``list``, ``show NAME``, ``history NAME``,
``delete NAME``, ``restore NAME [--revision N]`` and ``purge NAME``. ``--client LABEL`` picks the
advisor's client label; without it a name is looked up across clients (an error if it is ambiguous).
``--owner ID`` acts as that owner (default ``local``, the owner of the app run on one's own machine; a signed-in
user's ID is ``ISSUER#SUBJECT``): another owner's scenario is "not found", exactly as one that does not exist.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from calculator.cli import options
from calculator.model.data import DataBundle
from calculator.model.scenario import load_scenario_file, scenario_json

if TYPE_CHECKING:  # the store (SQLAlchemy) loads only when a scenarios command runs: other commands start faster
    from calculator.storage.records import SavedScenario
    from calculator.storage.store import Store


def _when(moment: datetime) -> str:
    """A UTC time to the second, e.g. ``2026-05-10 14:03:12Z``."""
    return moment.strftime("%Y-%m-%d %H:%M:%SZ")


def _who(record: SavedScenario) -> str:
    return f"{record.name!r}" + (f" (client {record.client!r})" if record.client else "")


def _save(args: argparse.Namespace, store: Store, data: DataBundle) -> str:
    from calculator.storage.tables import fit_note

    scenario = load_scenario_file(args.file, data)
    if args.name is not None:
        scenario = scenario.model_copy(update={"name": args.name})  # the store checks the name (empty, too long)
    record = store.save(scenario, client=args.client or "", note=fit_note(f"saved from {args.file}"))
    return f"saved {_who(record)} as revision {record.revision} in {store.label}\n"


def _list(args: argparse.Namespace, store: Store, data: DataBundle) -> str:
    records = store.list(search=args.search or "", client=args.client, include_deleted=args.deleted)
    if args.format == "json":
        return json.dumps([r.as_dict() for r in records], indent=2, ensure_ascii=False) + "\n"
    if not records:
        return f"no saved scenarios in {store.label}\n"
    lines = [f"{'updated (UTC)':<21} {'rev':>3}  {'client':<16} name · summary"]
    for r in records:
        gone = "  [deleted]" if r.deleted else ""
        lines.append(f"{_when(r.updated):<21} {r.revision:>3}  {r.client or '-':<16} {r.name} · {r.summary}{gone}")
    return "\n".join(lines) + "\n"


def _show(args: argparse.Namespace, store: Store, data: DataBundle) -> str:
    return scenario_json(store.load(args.name, data, client=args.client, number=args.revision)) + "\n"


def _history(args: argparse.Namespace, store: Store, data: DataBundle) -> str:
    revisions = store.history(args.name, client=args.client)
    if args.format == "json":
        return json.dumps([r.as_dict() for r in revisions], indent=2, ensure_ascii=False) + "\n"
    return "".join(f"{r.number:>3}  {_when(r.saved)}  {r.summary}  ({r.note})\n" for r in revisions)


def _delete(args: argparse.Namespace, store: Store, data: DataBundle) -> str:
    record = store.delete(args.name, client=args.client)
    return f"deleted {_who(record)}; it is kept until purged (undo: scenarios restore {record.name!r})\n"


def _restore(args: argparse.Namespace, store: Store, data: DataBundle) -> str:
    if args.revision is None:
        record = store.undelete(args.name, client=args.client)
        return f"restored {_who(record)} (revision {record.revision})\n"
    record = store.restore_revision(args.name, args.revision, client=args.client)
    return f"restored revision {args.revision} of {_who(record)} as revision {record.revision}\n"


def _purge(args: argparse.Namespace, store: Store, data: DataBundle) -> str:
    record = store.get(args.name, client=args.client)
    store.purge(args.name, client=args.client)
    return f"purged {_who(record)} and its {record.revision} revision(s) for good\n"


def _run(args: argparse.Namespace, data: DataBundle) -> str:
    from calculator.storage.store import Store

    store = Store(args.db, owner=args.owner)  # a bad owner (empty, too long) is one StoreError line
    try:
        return args.action(args, store, data)
    finally:
        store.close()


def _name_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help="the scenario's name")
    p.add_argument("--client", help="the client label it is saved under (default: any, if the name is unique)")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``scenarios`` and its actions on the top-level subparsers."""
    p = sub.add_parser("scenarios", help="saved scenarios: save, list, show, history, delete, restore, purge")
    p.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: $DATABASE_URL, else the SQLite file $CALC_DB_PATH or var/scenarios.sqlite3)",
    )
    p.add_argument(
        "--owner",
        metavar="ID",
        default="local",  # calculator.storage.tables.LOCAL_OWNER, not imported: SQLAlchemy loads only for this command
        help="act as this owner: only their scenarios are seen or changed (default: local)",
    )
    p.set_defaults(run=_run)
    actions = p.add_subparsers(dest="scenarios_action", required=True)

    a = actions.add_parser("save", help="save a scenario file under its name (a new revision if it exists)")
    a.add_argument("file", type=Path, help="scenario JSON file")
    a.add_argument("--client", default="", help="client label (default: none)")
    a.add_argument("--name", help="save under this name (default: the name in the file)")
    a.set_defaults(action=_save)

    a = actions.add_parser("list", help="saved scenarios, most recent first")
    a.add_argument("--format", choices=("table", "json"), default="table")
    a.add_argument("--client", help="only this client label")
    a.add_argument("--search", help="text in the name or client label")
    a.add_argument("--deleted", action="store_true", help="include deleted scenarios")
    a.set_defaults(action=_list)

    a = actions.add_parser("show", help="print a saved scenario as JSON")
    _name_args(a)
    a.add_argument("--revision", type=options.revision, help="an earlier revision (default: the latest)")
    a.set_defaults(action=_show)

    a = actions.add_parser("history", help="every revision: number, time (UTC), summary")
    _name_args(a)
    a.add_argument("--format", choices=("table", "json"), default="table")
    a.set_defaults(action=_history)

    a = actions.add_parser("delete", help="delete (recoverable with restore until purged)")
    _name_args(a)
    a.set_defaults(action=_delete)

    a = actions.add_parser("restore", help="undelete, or with --revision N make revision N current again")
    _name_args(a)
    a.add_argument("--revision", type=options.revision, help="append this earlier revision as the newest")
    a.set_defaults(action=_restore)

    a = actions.add_parser("purge", help="remove a deleted scenario and its history for good")
    _name_args(a)
    a.set_defaults(action=_purge)
