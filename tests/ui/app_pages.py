"""The app's pages as app.py routes them (read from its ``st.Page(...)`` calls, so a new page is covered at once)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from tests.conftest import APP


@dataclass(frozen=True)
class Route:
    file: str
    """The page's script relative to app.py, e.g. ``ui/pages/compare.py`` (for ``AppTest.switch_page``)."""
    title: str
    url_path: str
    """The page's path in the browser: ``""`` for the default page."""


def _keyword(call: ast.Call, name: str) -> object:
    for kw in call.keywords:
        if kw.arg == name:
            return ast.literal_eval(kw.value)
    return None


def app_routes() -> list[Route]:
    """Every ``st.Page(PAGES / "x.py", title=..., url_path=..., default=...)`` in app.py, in order."""
    routes = []
    for node in ast.walk(ast.parse(APP.read_text(encoding="utf-8"))):
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Attribute) and func.attr == "Page" and getattr(func.value, "id", "") == "st":
            arg = node.args[0]
            if not (isinstance(arg, ast.BinOp) and isinstance(arg.right, ast.Constant)):
                raise AssertionError(f"unexpected st.Page argument: {ast.dump(arg)}")
            file = f"ui/pages/{arg.right.value}"
            default = _keyword(node, "default") is True
            url_path = "" if default else str(_keyword(node, "url_path") or arg.right.value.removesuffix(".py"))
            routes.append(Route(file, str(_keyword(node, "title")), url_path))
    return routes
