"""Security (issue 8): one test per rule.

- no pickle (or other code-loading serialiser), no eval/exec, YAML only through ``yaml.safe_load``,
  no ``shell=True``: the source of calculator/, ui/ and app.py is scanned with ``ast``, so a rule
  named in a comment or a string does not count and one hidden behind an alias does;
- SQL only through bound parameters: no SQL text built with f-strings, ``%`` or ``+``/``.format``,
  and a scenario named like an injection round-trips through the store;
- size limits: Streamlit's upload limit, our own check where a page reads an upload, and the
  share-link limits on a page (the token codec's limits: tests/storage/test_share.py);
- user text never rendered as HTML or markup: no ``unsafe_allow_html``; ``st.html`` only of markup that
  calculator.present.answer_html builds (every text through ``html_text``: tests/present/test_answer_html.py);
  a scenario opened from a share link with HTML and Markdown in its name and clinic is shown escaped on
  every page.

Formula injection in CSV/XLSX exports: tests/present/test_export.py (``test_csv_has_a_header_and_no_formula_like_cell``,
``test_no_text_cell_reads_as_a_formula``) and calculator.present.output.safe_cell.
"""

from __future__ import annotations

import ast
import re
import string
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from calculator.model.data import DataBundle
from calculator.model.formatting import plain_text
from calculator.model.scenario import parse_scenario
from calculator.storage.share import MAX_JSON_BYTES, MAX_TOKEN_CHARS, encode_token
from calculator.storage.store import Store
from tests.conftest import APP, APPTEST_TIMEOUT, ROOT, wait_for_app
from tests.ui.app_pages import app_routes

SOURCES = sorted([*ROOT.glob("calculator/**/*.py"), *ROOT.glob("ui/**/*.py"), ROOT / "app.py"])

# --- the scanner ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    rule: str
    file: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what} ({self.rule})"


def dotted(node: ast.AST) -> str:
    """``yaml.load`` for ``Attribute(Name('yaml'), 'load')``; '' for anything not a plain dotted name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


CODE_LOADING_MODULES = {"pickle", "cPickle", "_pickle", "dill", "shelve", "marshal", "jsonpickle", "cloudpickle"}
UNSAFE_YAML = {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all"}
UNSAFE_YAML_LOADERS = {"Loader", "UnsafeLoader", "FullLoader", "CLoader", "CUnsafeLoader", "CFullLoader"}
SQL_CALLS = {"text", "execute", "executemany", "executescript", "exec_driver_sql"}
RAW_HTML_CALLS = {"html", "components.v1.html", "components.v1.iframe", "v1.html", "v1.iframe"}


def is_built_string(node: ast.AST) -> bool:
    """An f-string, ``"..." % x``, ``"..." + x`` or ``"...".format(x)``: SQL text with values pasted in."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        left = node.left
        return isinstance(left, ast.JoinedStr) or (isinstance(left, ast.Constant) and isinstance(left.value, str))
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
    )


def scan(source: str, file: str) -> list[Finding]:
    """Every rule broken in one module's source."""
    found: list[Finding] = []
    yaml_names = {"yaml"}  # import yaml as y -> y

    def add(rule: str, node: ast.AST, what: str) -> None:
        found.append(Finding(rule, file, getattr(node, "lineno", 0), what))

    tree = ast.parse(source, filename=file)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in CODE_LOADING_MODULES:
                    add("pickle", node, f"import {alias.name}")
                if alias.name == "yaml" and alias.asname:
                    yaml_names.add(alias.asname)
        elif isinstance(node, ast.ImportFrom):
            module = (node.module or "").split(".")[0]
            if module in CODE_LOADING_MODULES:
                add("pickle", node, f"from {node.module} import ...")
            if module == "yaml":
                for alias in node.names:
                    if alias.name in UNSAFE_YAML | UNSAFE_YAML_LOADERS:
                        add("yaml", node, f"from yaml import {alias.name}")
            if module == "os":
                for alias in node.names:
                    if alias.name in {"system", "popen"}:
                        add("shell", node, f"from os import {alias.name}")
            if node.module == "builtins":
                for alias in node.names:
                    if alias.name in {"eval", "exec"}:
                        add("eval", node, f"from builtins import {alias.name}")
        elif isinstance(node, ast.Attribute):
            name = dotted(node)
            if name.split(".")[0] in yaml_names and node.attr in UNSAFE_YAML | UNSAFE_YAML_LOADERS:
                add("yaml", node, name)
            if node.attr in {"read_pickle", "to_pickle"}:
                add("pickle", node, name or node.attr)
        elif isinstance(node, ast.Call):
            func = dotted(node.func)
            short = func.rsplit(".", 1)[-1]
            if func in {"eval", "exec", "builtins.eval", "builtins.exec", "__import__"}:
                add("eval", node, f"{func}(...)")
            if func in {"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput"}:
                add("shell", node, f"{func}(...)")
            for kw in node.keywords:
                if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                    add("shell", node, f"{func or 'call'}(shell=...)")
                if kw.arg == "unsafe_allow_html" and not (
                    isinstance(kw.value, ast.Constant) and kw.value.value is False
                ):
                    add("html", node, f"{func or 'call'}(unsafe_allow_html=...)")
            if (func in {"st.html", "streamlit.html"} and not built_by_answer_html(node)) or any(
                func.endswith(h) for h in RAW_HTML_CALLS - {"html"}
            ):
                add("html", node, f"{func}(...)")
            if short in SQL_CALLS and node.args and is_built_string(node.args[0]):
                add("sql", node, f"{func}(<string built from values>)")
    return found


HTML_BUILDER = "answer_html."
"""The one module whose markup ``st.html`` may show: it escapes every text with ``html_text``."""


def built_by_answer_html(call: ast.Call) -> bool:
    """Whether an ``st.html(...)`` shows one value made by calculator.present.answer_html (a call or a constant)."""
    if len(call.args) != 1 or call.keywords:
        return False
    arg = call.args[0]
    target = arg.func if isinstance(arg, ast.Call) else arg
    return dotted(target).startswith(HTML_BUILDER)


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    assert len(SOURCES) > 20, SOURCES
    out: list[Finding] = []
    for path in SOURCES:
        out += scan(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    return out


def broken(findings: list[Finding], rule: str) -> list[str]:
    return [str(f) for f in findings if f.rule == rule]


PLANTED = '''
# eval(x) exec(y) pickle.loads yaml.load(f) shell=True unsafe_allow_html=True  <- comments do not count
"""text: eval(1), yaml.load(s), subprocess.run(c, shell=True), conn.execute(f"SELECT {x}")"""
import pickle as p
import yaml as y
from builtins import eval as e
import subprocess, os
data = y.load(open("f"), Loader=y.Loader)
eval("1 + 1")
subprocess.run("ls", shell=True)
subprocess.run(["ls"], shell=False)
os.system("ls")
st.markdown(user, unsafe_allow_html=True)
st.markdown(user, unsafe_allow_html=False)
st.html(user)
conn.execute(text(f"SELECT * FROM t WHERE name = '{name}'"))
conn.execute(text("SELECT * FROM t WHERE name = :name"), {"name": name})
conn.exec_driver_sql("DELETE FROM t WHERE id = %s" % ident)
cursor.execute("PRAGMA foreign_keys = ON")
frame.to_pickle("x")
st.html(answer_html.answer_html(comparison))
st.html(answer_html.STYLE)
st.html(answer_html.answer_html(comparison) + user)
'''


def test_the_scanner_finds_planted_violations_and_ignores_comments_and_strings():
    found = scan(PLANTED, "planted.py")
    by_rule = {rule: sorted(f.line for f in found if f.rule == rule) for rule in {f.rule for f in found}}
    assert by_rule == {
        "pickle": [4, 20],
        "yaml": [8, 8],
        "eval": [6, 9],
        "shell": [10, 12],
        "html": [13, 15, 23],
        "sql": [16, 18],
    }, found


# --- the rules, over the product's source ---------------------------------------------------------


def test_no_pickle_or_other_code_loading_serialiser(findings):
    assert broken(findings, "pickle") == []


def test_no_eval_or_exec(findings):
    assert broken(findings, "eval") == []


def test_yaml_is_read_only_with_safe_load(findings):
    assert broken(findings, "yaml") == []
    uses = [p for p in SOURCES if "yaml.safe_load" in p.read_text(encoding="utf-8")]
    assert uses, "expected the data loader to use yaml.safe_load"


def test_no_shell(findings):
    assert broken(findings, "shell") == []


def test_no_raw_html(findings):
    assert broken(findings, "html") == []


def test_sql_text_is_never_built_from_values(findings):
    assert broken(findings, "sql") == []


# --- SQL through bound parameters, behaviourally ----------------------------------------------------

INJECTIONS = [
    "x'); DROP TABLE scenarios;--",
    'x"; DELETE FROM revisions WHERE 1=1;--',
    "' OR '1'='1",
    "%_%",
    "Robert'); DROP TABLE store_meta;-- 🧭",
]


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    yield s
    s.close()


def test_injection_shaped_names_and_clients_round_trip(store: Store, data: DataBundle):
    plain = parse_scenario({"name": "Plain", "destinations": ["mexico_colombia"]}, data, "test")
    store.save(plain)
    for text in INJECTIONS:
        scenario = parse_scenario({"name": text, "destinations": ["turkey_thailand"]}, data, "test")
        record = store.save(scenario, client=text)
        assert (record.name, record.client) == (text, text)
        assert store.load(text, data, client=text) == scenario
    assert sorted(r.name for r in store.list()) == sorted(["Plain", *INJECTIONS])
    assert store.load("Plain", data) == plain  # the tables are all still there
    assert [r.name for r in store.list(search="' OR '1'='1")] == ["' OR '1'='1"]
    assert [r.name for r in store.list(search="%_%")] == ["%_%"]
    store.rename(INJECTIONS[0], INJECTIONS[0] + " (renamed)", client=INJECTIONS[0])
    store.delete(INJECTIONS[1], client=INJECTIONS[1])
    assert len(store.list()) == len(INJECTIONS)
    assert len(store.history("Plain")) == 1


# --- size limits ----------------------------------------------------------------------------------

CONFIG = ROOT / ".streamlit" / "config.toml"


def server_upload_limit_mb() -> int:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))["server"]["maxUploadSize"]


def test_streamlit_refuses_uploads_over_5_mb():
    assert server_upload_limit_mb() == 5


def test_users_see_no_traceback_and_messages_are_bounded():
    """Error details stay in the server's log (no server paths on the page); messages far below the 200 MB default."""
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert 5 < config["server"]["maxMessageSize"] <= 50


def uploaders(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and dotted(n.func).endswith("file_uploader")]


def checks_upload_size(path: Path) -> bool:
    """The module compares an upload's ``.size`` with a limit before it reads the bytes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        is_greater = isinstance(node, ast.Compare) and isinstance(node.ops[0], (ast.Gt, ast.GtE))
        if is_greater and isinstance(node.left, ast.Attribute) and node.left.attr == "size":
            return True
    return False


UPLOAD_PAGES = [p for p in sorted(ROOT.glob("ui/**/*.py")) if uploaders(p)]
KNOWN_UPLOAD_GAPS: dict[str, str] = {}


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=KNOWN_UPLOAD_GAPS[rel]))
        if (rel := str(p.relative_to(ROOT))) in KNOWN_UPLOAD_GAPS
        else p
        for p in UPLOAD_PAGES
    ],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_every_upload_is_limited_by_the_server_and_checked_by_us(page: Path):
    for call in uploaders(page):
        limit = next((kw.value for kw in call.keywords if kw.arg == "max_upload_size"), None)
        if limit is not None:
            assert isinstance(limit, (ast.Constant, ast.Name)), ast.dump(limit)
            value = limit.value if isinstance(limit, ast.Constant) else _module_constant(page, limit.id)
            assert value <= server_upload_limit_mb(), f"max_upload_size={value} MB is above the server's limit"
    assert checks_upload_size(page), "the page reads an upload without checking its size itself"


def _module_constant(path: Path, name: str) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not a module constant of {path}")


def test_the_pages_read_uploads():
    """The upload rules above cover something: the Scenarios import and the Batch page."""
    assert {str(p.relative_to(ROOT)) for p in UPLOAD_PAGES} >= {"ui/pages/scenarios.py", "ui/pages/batch.py"}


def test_share_link_limits_are_small_and_an_oversize_link_leaves_the_scenario_alone():
    assert MAX_TOKEN_CHARS <= 8192 and MAX_JSON_BYTES <= 64 * 1024
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.query_params["s"] = "v1." + "A" * MAX_TOKEN_CHARS
    at.run()
    assert not at.exception
    assert any("could not be opened" in e.value and "too long" in e.value for e in at.error)
    assert at.session_state["scenario"].name == "My comparison"


# --- user text is never markup ----------------------------------------------------------------------

HOSTILE_NAME = "<script>alert(1)</script> ![p](http://127.0.0.1:9/pixel.png) $x$ :red[r]"
HOSTILE_CLINIC = "<img src=x onerror=alert(1)> [click](javascript:alert(2)) **b**"
RAW_MARKUP = re.compile(r"(?<!\\)(<\s*(script|img)\b|!\[|\]\(|\$x\$|:red\[|\*\*b)", re.IGNORECASE)


def hostile_token(data: DataBundle) -> str:
    scenario = parse_scenario(
        {
            "name": HOSTILE_NAME,
            "destinations": ["mexico_colombia", "turkey_thailand"],
            "quotes": {"mexico_colombia": {"low": 5000, "high": 6000, "clinic": HOSTILE_CLINIC}},
            "checklist_notes": {"mexico_colombia": {"gmp_lab": HOSTILE_CLINIC}},
        },
        data,
        "test",
    )
    return encode_token(scenario)


MARKUP_ELEMENTS = (
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "error",
    "warning",
    "info",
    "success",
    "toast",
)


def shown_markup(at: AppTest) -> Iterator[tuple[str, str, bool]]:
    """(element type, markdown source, allow_html) of every element whose text Streamlit renders as Markdown."""
    for kind in MARKUP_ELEMENTS:
        for el in getattr(at, kind):
            yield kind, str(el.value), bool(getattr(el.proto, "allow_html", False))
    for el in at.expander:
        yield "expander", str(el.label), False


def test_a_hostile_name_and_clinic_from_a_share_link_are_shown_as_text_on_every_page(data: DataBundle):
    pages = [r.file for r in app_routes()]
    assert len(pages) >= 5 and "ui/pages/compare.py" in pages
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.query_params["s"] = hostile_token(data)
    at.run()
    assert at.session_state["scenario"].name == HOSTILE_NAME
    shown_name = False
    for page in pages:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        for kind, text, allow_html in shown_markup(at):
            assert not allow_html, (page, kind, text)
            if "alert" in text:
                assert not RAW_MARKUP.search(text), (page, kind, text)
                shown_name = True
    assert shown_name, "no page showed the scenario's name: the check above checked nothing"


@given(st.text())
def test_plain_text_escapes_every_markup_character_and_loses_nothing(text):
    shown = plain_text(text)
    assert "\n" not in shown and "\r" not in shown
    assert not set(re.sub(r"\\.", "", shown, flags=re.DOTALL)) & set(string.punctuation), shown
    assert re.sub(r"\\(.)", r"\1", shown) == " ".join(text.splitlines())


@pytest.mark.browser
def test_a_hostile_share_link_runs_no_script_and_fetches_nothing_in_a_real_browser(page, app_url, data):
    """The real renderer: no alert, no <img onerror>, no request to the pixel's host; the name reads as typed."""
    token = hostile_token(data)
    dialogs, requests = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    for route in app_routes():
        page.goto(f"{app_url}/{route.url_path}?s={token}")
        wait_for_app(page)
        injected = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMain"] img, [data-testid="stSidebar"] img,'
                     + ' [onerror], a[href^="javascript"], .katex')]
                  .map(e => e.outerHTML.slice(0, 200))"""
        )
        assert injected == [], (route.url_path, injected)
        # The app colours its own words (a warning's code, "could cost you more"); never the user's ":red[r]".
        coloured = page.evaluate(
            """() => [...document.querySelectorAll('.stMarkdownColoredText')].map(e => e.textContent)"""
        )
        assert not [t for t in coloured if t == "r" or "alert(" in t or "pixel" in t], (route.url_path, coloured)
        if route.file == "ui/pages/compare.py":
            caption = page.locator(".answer p.small", has_text="alert(1)").first  # the answer block's caption (HTML)
            assert caption.inner_text().startswith(HOSTILE_NAME)
    assert dialogs == []
    assert not [u for u in requests if u.startswith("http://127.0.0.1:9")]
    assert page.console_errors == []
