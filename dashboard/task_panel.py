"""The supervision panels of the ledger: one task's chain of events and evidence, the form for the next
step (only the steps the signed-in account may take), the 督办通报, and the bulk progress import.

Every write goes through :func:`dashboard.auth.acting_store` with the id of the newest event the
visitor saw: if someone recorded on the task meanwhile, the store refuses the write, the visitor
is shown the newer events and keeps what they typed. User text is shown as text (tables, or
escaped before any markup).
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import streamlit as st

from dashboard import auth, data, tables
from dashboard.state import wkey
from geodata import supervision
from geodata.accounts import role_label
from geodata.errors import EnvmapError, TaskChanged
from geodata.export import bulletin_table
from geodata.i18n import t
from geodata.model import LIST_SEP
from geodata.quality.evaluations import SAMPLE_NOTE
from geodata.status import truthy

FORM_KEYS = ("tasks_form_date", "tasks_form_note", "tasks_form_doc", "tasks_form_units", "tasks_form_other_units",
             "tasks_form_due_set", "tasks_form_due", "tasks_form_files")
_SEEN = "tasks_seen::"


def md_text(text: object) -> str:
    """User text for a place that renders Markdown (labels, messages): every Markdown sign escaped."""
    import re

    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text or ""))


def workflow_badge(state: str) -> str:
    color = supervision.WORKFLOW_COLORS.get(state, "#999")
    return (f'<span style="border:1px solid {color};color:{color};padding:0 6px;border-radius:3px;font-size:12px">'
            f"{html.escape(supervision.workflow_label(state))}</span>")


def supervised_badge() -> str:
    return ('<span style="background:#b71c1c;color:#fff;padding:1px 6px;border-radius:3px;font-size:12px">'
            f"{html.escape(t('sv_badge'))}</span>")


def history_table(events: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The chain of one task, newest first, as a visitor reads it (every cell is text)."""
    ordered = events.sort_values(["event_date", "fid"], ascending=False)

    def extra(row: pd.Series) -> str:
        parts = []
        if row["units"]:
            parts.append(t("sv_to_units", units="、".join(str(row["units"]).split(LIST_SEP))))
        if row["due_date"]:
            parts.append(t("sv_due_on", date=row["due_date"]))
        if row["doc_number"]:
            parts.append(t("sv_doc", number=row["doc_number"]))
        return "；".join(parts)

    return pd.DataFrame({
        t("sv_col_date"): ordered["event_date"].astype(str),
        t("sv_col_kind"): ordered["kind"].map(supervision.kind_label),
        t("sv_col_note"): ordered["note"].astype(str),
        t("sv_col_detail"): [extra(r) for _, r in ordered.iterrows()],
        t("sv_col_actor"): [f"{a}（{role_label(r)}）" for a, r in zip(ordered["actor"], ordered["actor_role"], strict=True)],
        t("tk_recorded_at"): ordered["recorded_at"].astype(str).str[:19].str.replace("T", " "),
        t("col_data_note"): ordered["is_sample"].astype(int).map({1: SAMPLE_NOTE, 0: ""}),
        t("sv_col_after_asof"): (ordered["event_date"].astype(str) > as_of.isoformat()).map({True: t("sv_after_asof"),
                                                                                            False: ""}),
    })


def show_history(task_id: str, events: pd.DataFrame, as_of: dt.date) -> None:
    st.markdown(f"**{t('history')}**")
    if events.empty:
        st.caption(t("no_history"))
        return
    tables.show(history_table(events, as_of), "task_history")
    later = events[events["event_date"].astype(str) > as_of.isoformat()]
    if len(later):
        st.caption(t("tk_history_after_asof", n=len(later), asof=as_of.isoformat()))
    files = data.evidence(task_id)
    if len(files):
        st.markdown(f"**{t('sv_evidence')}**")
        for row in files.itertuples():
            def content(fid: int = int(row.fid)) -> bytes:
                found = data.store().evidence_content(fid)
                return found[2] if found else b""

            st.download_button(f"{md_text(row.file_name)}（{int(row.size_bytes) // 1024 + 1} KB）", content, file_name=row.file_name,
                               mime=row.media_type, key=f"evd_{row.fid}", on_click="ignore", icon=":material/attach_file:")


def _clear_form() -> None:
    for key in FORM_KEYS:
        st.session_state.pop(key, None)
    for key in list(st.session_state):
        if str(key).startswith(("tasks_action", "tasks_form_")):
            st.session_state.pop(key, None)


def action_form(task: pd.Series, events: pd.DataFrame, as_of: dt.date) -> None:
    """The next step the signed-in account may record on ``task`` (or why it may not)."""
    task_id = str(task["id"])
    newest = int(events["fid"].max()) if len(events) else 0
    seen_key = _SEEN + task_id
    seen = int(st.session_state.get(seen_key, newest))  # what this visitor saw when they filled in the form
    st.session_state[seen_key] = newest
    user = auth.user()
    state = supervision.current_state(events.to_dict("records"))
    long_term = truthy(task["long_term"])
    if state.workflow == supervision.CLOSED:
        st.success(t("sv_closed_note", closed=state.closed_on, verifier=state.verifier, done=state.done_on))
        return
    if user is None or not user.may("progress"):
        auth.hint("progress")
        return
    owner = supervision.owns(user.units, str(task["responsible_units"]), str(task["jurisdiction"]), state)
    kinds = supervision.allowed_kinds(state, long_term=long_term, role=user.role, owner=owner)
    if not kinds:
        st.info(t("sv_nothing_for_you", name=user.name, units="、".join(user.units) or "—"))
        return
    if state.workflow == supervision.APPLIED:
        st.warning(t("sv_pending_note", date=state.applied_on, applicant=state.applicant))
    kind = st.radio(t("sv_action"), kinds, format_func=lambda k: t(f"sv_do_{k}") if k != supervision.PROGRESS or
                    not long_term else t("sv_do_periodic"), horizontal=True, key=wkey("tasks_action"))
    today = dt.date.today()
    with st.form(f"event_{task_id}", clear_on_submit=False, border=True):
        st.caption(t(f"sv_help_{kind}"))
        day = st.date_input(t("sv_col_date"), value=min(as_of, today), max_value=today, key="tasks_form_date",
                            format="YYYY-MM-DD")
        units: list[str] = []
        due: dt.date | None = None
        doc_number = ""
        files = []
        if kind == supervision.ASSIGN:
            options = sorted(supervision.task_units(str(task["responsible_units"]), str(task["jurisdiction"]),
                                                    state.assigned_units))
            assigned = sorted(supervision.task_units("", str(task["jurisdiction"]), state.assigned_units))
            units = st.multiselect(t("sv_units"), options, default=[u for u in assigned if u in options] or options[:1],
                                   key="tasks_form_units")
            other = st.text_input(t("sv_other_units"), key="tasks_form_other_units", placeholder=t("sv_other_units_hint"))
            units += [u.strip() for u in other.replace("，", "、").replace(",", "、").split("、") if u.strip()]
            if st.checkbox(t("sv_set_due"), key="tasks_form_due_set"):
                due = st.date_input(t("sv_due"), value=None, key="tasks_form_due", format="YYYY-MM-DD")
        note = st.text_area(t(f"sv_note_{kind}"), key="tasks_form_note", max_chars=supervision.MAX_NOTE_CHARS)
        if kind == supervision.APPLY:
            doc_number = st.text_input(t("sv_doc_number"), key="tasks_form_doc", placeholder=t("sv_doc_number_hint"))
            files = st.file_uploader(t("sv_files"), accept_multiple_files=True, key="tasks_form_files",
                                     type=list(supervision.EVIDENCE_TYPES) + ["jpeg"], help=t("sv_files_help"))
        submitted = st.form_submit_button(t(f"sv_submit_{kind}"), type="primary")
    if not submitted:
        return
    try:
        evidence = supervision.check_evidence([(f.name, f.getvalue()) for f in files or []])
        auth.acting_store().record_event(task_id, kind, event_date=day, note=note, doc_number=doc_number, units=units,
                                         due_date=due, evidence=evidence, expected_last=seen)
    except TaskChanged as exc:
        st.error(str(exc))
        newer = pd.DataFrame(exc.newer) if exc.newer else events.iloc[0:0]
        if len(newer):
            st.dataframe(history_table(newer.reindex(columns=supervision.EVENT_COLUMNS).fillna(""), as_of), hide_index=True,
                         width="stretch")
        return
    except EnvmapError as exc:
        st.error(str(exc))
        return
    st.session_state["tasks_flash"] = t("sv_saved", id=task_id, kind=supervision.kind_label(kind), date=day.isoformat())
    st.session_state.pop(seen_key, None)
    _clear_form()
    st.session_state["tasks_table_generation"] = st.session_state.get("tasks_table_generation", 0) + 1
    st.query_params["task"] = task_id
    st.rerun()


def bulletin_section(tasks: pd.DataFrame, area, as_of: dt.date) -> None:  # noqa: ANN001 - Area
    """The 督办通报: units ranked by overdue, then unreported tasks; downloadable as Excel."""
    from geodata import views

    periods = (7, 1, 30)
    days = st.radio(t("bulletin_period"), periods, format_func=lambda d: t(f"bulletin_period_{d}"), horizontal=True,
                    key=wkey("tasks_bulletin_days"))
    frame = views.bulletin(tasks, as_of, days=int(days), area=area)
    if frame.empty:
        st.info(t("bulletin_empty"))
        return
    st.caption(t("bulletin_caption", asof=as_of.isoformat(), days=days, n=len(frame)))
    tables.show(bulletin_table(frame, int(days)), "bulletin", height=min(420, 38 + 35 * len(frame)))


def bulk_import_section() -> None:
    """Progress of many tasks from one sheet: preview every row, record the file whole or not at all."""
    from geodata.progress_import import import_progress, preview_progress

    user = auth.user()
    if user is None or not user.may("bulk_progress"):
        auth.hint("bulk_progress")
        return
    st.caption(t("bp_intro"))
    upload = st.file_uploader(t("bp_file"), type=["csv", "xlsx"], key="tasks_bulk_file")
    if upload is None:
        return
    content, name = upload.getvalue(), upload.name
    try:
        preview = preview_progress(content, name, data.store(), by=user.name)
    except EnvmapError as exc:
        st.error(str(exc))
        return
    if preview.problems:
        st.error(t("bp_refused", n=len(preview.problems)))
        st.dataframe(pd.DataFrame({t("col_row"): [p.line or "—" for p in preview.problems],
                                   t("col_problem"): [p.message for p in preview.problems]}), hide_index=True, width="stretch")
        return
    rows = preview.table()
    st.success(t("bp_ready", n=len(rows)))
    st.dataframe(pd.DataFrame({t("col_row"): rows["line"], t("col_id"): rows["task_id"],
                               t("sv_col_kind"): rows["kind"].map(supervision.kind_label), t("sv_col_date"): rows["event_date"],
                               t("sv_col_note"): rows["note"], t("sv_doc_number"): rows["doc_number"]}),
                 hide_index=True, width="stretch")
    if st.button(t("bp_import"), type="primary", key="tasks_bulk_import"):
        try:
            written = import_progress(content, name, auth.acting_store(), by=user.name)
        except EnvmapError as exc:
            st.error(str(exc))
        else:
            st.success(t("cli_progress_imported", n=len(written), file=supervision.display_name(name), by=user.name))
