"""Batch: many scenarios from one file (JSON list, JSON lines or CSV), computed together: a readable table,
a workbook for people and the machine CSV to download."""

from functools import partial

import streamlit as st

from calculator.model.batch import run_rows
from calculator.model.batch_files import give_back_memory, read_text_rows
from calculator.model.errors import ScenarioError
from calculator.model.formatting import plain_text
from calculator.present.batch_csv import errors_csv, results_csv
from calculator.present.batch_workbook import batch_xlsx, readable_frame
from ui import state

# The server's own limit (.streamlit/config.toml maxUploadSize); larger batches go through the command line.
MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024

data = state.data()

st.title("Batch: many scenarios at once")
st.caption(
    "Upload a file with one scenario per row: a JSON list, JSON lines (one scenario object per line) or a CSV "
    "whose columns are the scenario's keys, nested keys dotted (travel.mexico_colombia.fare_per_traveller) and "
    "lists separated by ';' (destinations = mexico_colombia;turkey_thailand, stay.pre_days = 1;2). "
    "The result has one row per scenario and destination: totals and savings at low / mid / high. "
    "Rows with an error are listed by line; the others are computed. See examples/batch.csv in the project."
)

upload = st.file_uploader(
    "Batch file",
    type=["csv", "json", "jsonl", "ndjson"],
    key="batch_upload",
    max_upload_size=MAX_UPLOAD_MB,
    help="The same file the command line reads: python -m calculator batch FILE -o OUT.csv",
)
if upload is None:
    st.stop()
if upload.size > MAX_UPLOAD_BYTES:
    st.error(
        f"{plain_text(upload.name)}: {upload.size / 1e6:.1f} MB is more than the {MAX_UPLOAD_MB} MB the app accepts. "
        "Split the file, or run it with: python -m calculator batch FILE -o OUT.csv",
        icon="🚫",
    )
    st.stop()

progress = st.progress(0.0, text="Reading the file…")
try:
    text = upload.getvalue().decode("utf-8-sig")
    rows = list(read_text_rows(text, upload.name))
except UnicodeDecodeError:
    progress.empty()
    st.error(f"{plain_text(upload.name)}: cannot be read (not UTF-8 text).", icon="🚫")
    st.stop()
except ScenarioError as err:
    progress.empty()
    st.error(plain_text(str(err)), icon="🚫")
    st.stop()


read = len(rows)


def _report(done: int) -> None:
    progress.progress(min(done / max(read, 1), 1.0) * 0.9, text=f"Checked {done:,} of {read:,} rows…")


result, errors = run_rows(rows, data, upload.name, _report)
del text, rows  # the decoded rows are done with: only the result's columns are kept
give_back_memory()
progress.progress(1.0, text=f"Done: {read:,} rows read.")

if errors:
    st.warning(f"{len(errors):,} row(s) could not be computed and are left out:", icon="⚠️")
    st.dataframe(
        [{"line": e.line, "error": e.message} for e in errors[:500]],
        width="stretch",
        hide_index=True,
    )
    st.download_button(
        "Download the errors (CSV)",
        data=errors_csv(errors),
        file_name=f"{upload.name.rsplit('.', 1)[0]}-errors.csv",
        mime="text/csv",
        key="batch_errors_download",
        on_click="ignore",
        icon=":material/download:",
    )
if result is None:
    st.error("No row could be computed.", icon="🚫")
    st.stop()

scenarios = len(set(result.inputs.line.tolist()))
st.success(f"{scenarios:,} scenario(s), {len(result.inputs):,} row(s) computed.", icon="✅")
stem = upload.name.rsplit(".", 1)[0]
xlsx_col, csv_col = st.columns(2)
xlsx_col.download_button(
    "Download the results (XLSX, for people)",
    data=partial(batch_xlsx, result, data),  # not a lambda: that would keep the page's namespace alive
    file_name=f"{stem}-results.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="batch_results_xlsx",
    on_click="ignore",
    icon=":material/download:",
    type="primary",
    help="Readable headers, destination names, money in each row's currency, warnings, and a Sources sheet.",
)
csv_col.download_button(
    "Download the results (CSV, for scripts)",
    data=partial(results_csv, result),
    file_name=f"{stem}-results.csv",
    mime="text/csv",
    key="batch_results_download",
    on_click="ignore",
    icon=":material/download:",
    help="The machine columns of the command line (total_low, savings_mid, ...), documented in the README.",
)
st.caption(
    "Whole trip and savings at low / mid / high (savings: worst / mid / best), each row in its scenario's "
    "currency. Warnings: prices that are only the broker's estimate, and parts left out for a missing input."
)
st.dataframe(
    readable_frame(result, data),
    width="stretch",
    hide_index=True,
    column_config={
        "Scenario": st.column_config.TextColumn(width="medium", pinned=True),
        "Warnings": st.column_config.TextColumn(width="large"),
    },
)
if len(result.inputs) > 1000:
    st.caption(f"The first 1,000 of {len(result.inputs):,} rows; the downloads have them all.")
give_back_memory()  # what the run built for the table and the preview is freed: hand its pages back
