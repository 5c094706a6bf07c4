"""任务台账: every task of every plan, its status as of the chosen date, who owns the late ones.

Filters live on the page (the sidebar is shared) and in the URL: ``plan``, ``domain``,
``status``, ``unit``, ``q``, ``due`` (start..end) and ``task`` (the task whose details are open).
Selecting a row opens the task: details, links to its places on the maps, its progress
history and a form appending a progress report to the store.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import data, tables
from dashboard.state import sidebar
from geodata import views
from geodata.errors import EnvmapError
from geodata.i18n import t
from geodata.status import (
    COLORS,
    DONE,
    IN_PROGRESS,
    LABELS_ZH,
    LONG_TERM,
    NO_DEADLINE,
    NOT_REPORTED,
    OVERDUE,
    STATUSES,
)

UNIT_SEP = "；"  # how responsible_units are joined in the data
URL_UNIT_SEP = "，"  # how chosen units are joined in the URL
ORDER = {OVERDUE: 0, NOT_REPORTED: 1, IN_PROGRESS: 2, LONG_TERM: 3, NO_DEADLINE: 4, DONE: 5}
GENERIC_PREFIXES = ("市", "县", "区", "各")  # units named relative to their plan's jurisdiction: 市生态环境局, 县水利局


def _url_list(name: str, allowed, sep: str = ",") -> list[str]:  # noqa: ANN001
    raw = st.query_params.get(name, "")
    return [v for v in raw.split(sep) if v in allowed] if raw else []


def _set_url(name: str, value: str) -> None:
    if value:
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def _units(cell: object) -> list[str]:
    return [u.strip() for u in str(cell or "").split(UNIT_SEP) if u.strip()]


def _owners(view: pd.DataFrame) -> pd.DataFrame:
    """Overdue tasks per unit; 市生态环境局 of 运城 and of 晋城 are two units, so generic names carry their jurisdiction."""
    several = view["jurisdiction"].nunique() > 1
    parts = []
    for jurisdiction, group in view.groupby("jurisdiction", sort=False):
        counts = views.overdue_by_unit(group)
        if several:
            counts["responsible_unit"] = [
                f"{jurisdiction}·{u}" if u.startswith(GENERIC_PREFIXES) else u for u in counts["responsible_unit"]
            ]
        parts.append(counts)
    if not parts:
        return pd.DataFrame(columns=["responsible_unit", "overdue"])
    owners = pd.concat(parts).groupby("responsible_unit", as_index=False)["overdue"].sum()
    return owners.sort_values(["overdue", "responsible_unit"], ascending=[False, True]).reset_index(drop=True)


def _status_text(status: str, label: str, days: int) -> str:
    return t("tk_overdue_days_short", d=days) if status == OVERDUE and days else label


def _color_status(value: str) -> str:
    for status, label in LABELS_ZH.items():
        if str(value).startswith(label):
            return f"color:{COLORS[status]};font-weight:600"
    return ""


def _on_pick() -> None:
    """The user selected or cleared a row: the URL remembers which task is open."""
    picked = st.session_state.get("tasks_table")
    rows = picked.selection.rows if picked and picked.selection else []
    ids = st.session_state.get("tasks_visible_ids", [])
    if rows and rows[0] < len(ids):
        st.query_params["task"] = ids[rows[0]]
    elif "task" in st.query_params:
        del st.query_params["task"]


state = sidebar(show_layers=False, show_basemap=False)
st.title(t("page_tasks"))
tasks = data.tasks(state.area, state.as_of)
if tasks.empty:
    st.info(t("no_tasks_area", area=state.area.label))
    st.stop()

# -- filters (page widgets, mirrored in the URL) -------------------------------------------
plans_all = sorted(p for p in tasks["plan"].astype(str).unique() if p)
domains_all = sorted(d for d in tasks["domain"].astype(str).unique() if d)
units_all = sorted({u for cell in tasks["responsible_units"] for u in _units(cell)})

c1, c2, c3, c4 = st.columns([3, 2, 2, 3])
plans = c1.multiselect(t("filter_plan"), plans_all, default=_url_list("plan", plans_all, "|"), key="tasks_plan",
                       placeholder=t("all"))
domains = c2.multiselect(t("filter_domain"), domains_all, default=_url_list("domain", domains_all),
                         format_func=lambda d: t(f"domain_{d}"), key="tasks_domain", placeholder=t("all"))
statuses = c3.multiselect(t("filter_status"), STATUSES, default=_url_list("status", STATUSES), format_func=LABELS_ZH.get,
                          key="tasks_status", placeholder=t("all"))
chosen_units = c4.multiselect(t("filter_unit"), units_all, default=_url_list("unit", units_all, URL_UNIT_SEP),
                              key="tasks_unit", placeholder=t("all"))
c5, c6 = st.columns([3, 2])
query = c5.text_input(t("search"), value=st.query_params.get("q", ""), key="tasks_q", placeholder=t("search_hint")).strip()
due_default: tuple[dt.date, ...] = ()
try:
    start_text, end_text = st.query_params.get("due", "").split("..")
    due_default = (dt.date.fromisoformat(start_text), dt.date.fromisoformat(end_text))
except ValueError:
    due_default = ()
due_range = c6.date_input(t("filter_deadline"), value=due_default, key="tasks_due", help=t("filter_deadline_help"),
                          format="YYYY-MM-DD")
due = tuple(due_range) if isinstance(due_range, (tuple, list)) and len(due_range) == 2 else ()

view = tasks
if plans:
    view = view[view["plan"].isin(plans)]
if domains:
    view = view[view["domain"].isin(domains)]
if statuses:
    view = view[view["status"].isin(statuses)]
if chosen_units:
    wanted = set(chosen_units)
    view = view[view["responsible_units"].apply(lambda cell: bool(wanted & set(_units(cell))))]
if query:
    haystack = (view["id"].astype(str) + "|" + view["title"].astype(str) + "|" + view["content"].astype(str) + "|"
                + view["places"].astype(str) + "|" + view["responsible_units"].astype(str) + "|" + view["persons"].astype(str))
    view = view[haystack.str.contains(query, regex=False, case=False)]
if due:
    start, end = (d.isoformat() for d in due)
    deadlines = view["deadline"].astype(str)
    view = view[(deadlines != "") & (deadlines >= start) & (deadlines <= end)]

_set_url("plan", "|".join(plans))
_set_url("domain", ",".join(domains))
_set_url("status", ",".join(statuses))
_set_url("unit", URL_UNIT_SEP.join(chosen_units))
_set_url("q", query)
_set_url("due", f"{due[0].isoformat()}..{due[1].isoformat()}" if due else "")

view = view.assign(_order=view["status"].map(ORDER).fillna(9)).sort_values(
    ["_order", "days_overdue", "deadline", "jurisdiction"], ascending=[True, False, True, True], kind="stable"
).drop(columns="_order")

# -- headline counts of the filtered set ----------------------------------------------------
counts = view["status"].value_counts()
m = st.columns(5)
m[0].metric(t("tasks_total"), len(view), help=t("tk_total_help", n=len(tasks)))
m[1].metric(LABELS_ZH[OVERDUE], int(counts.get(OVERDUE, 0)), help=t("kpi_overdue_help", asof=state.as_of.isoformat()))
m[2].metric(LABELS_ZH[NOT_REPORTED], int(counts.get(NOT_REPORTED, 0)), help=t("tk_not_reported_help"))
m[3].metric(LABELS_ZH[DONE], int(counts.get(DONE, 0)))
m[4].metric(LABELS_ZH[LONG_TERM], int(counts.get(LONG_TERM, 0)), help=t("tk_long_term_help"))
st.caption(t("tasks_asof", asof=state.as_of.isoformat()) + " " + t("tk_no_deadline_note", n=int(counts.get(NO_DEADLINE, 0))))

# -- the ledger and who owns the late tasks ------------------------------------------------
COLUMNS = {
    "状态": t("col_status"), "jurisdiction": t("col_jurisdiction"), "content": t("col_content"),
    "deadline_text": t("col_deadline_text"), "deadline": t("col_deadline"), "responsible_units": t("col_units"),
    "persons": t("col_persons"), "plan": t("col_plan"), "category": t("col_category"), "seq": t("col_seq"),
    "来源": t("col_source"), "id": t("col_id"),
}
if view.empty:
    st.info(t("no_tasks"))
    table = pd.DataFrame(columns=list(COLUMNS.values()))
else:
    left, right = st.columns([5, 2], gap="medium")
    with right:
        st.subheader(t("late_owners"))
        owners = _owners(view)
        if owners.empty:
            st.success(t("no_overdue"))
        else:
            st.caption(t("tk_owners_caption", n=int(counts.get(OVERDUE, 0)), units=len(owners)))
            tables.owners_chart(owners, height=max(160, 26 * min(len(owners), 15)))
            if len(owners) > 15:
                st.caption(t("tk_owners_more", n=len(owners) - 15))
    with left:
        st.subheader(t("task_list"))
        shown = view.assign(
            状态=[_status_text(s, lab, int(d)) for s, lab, d in zip(view["status"], view["status_label"], view["days_overdue"], strict=True)],
            来源=view["source_file"].astype(str) + " 第 " + view["source_line"].astype(str) + " 行",
        )
        table = pd.DataFrame(shown)[list(COLUMNS)].rename(columns=COLUMNS)
        visible = table.head(tables.MAX_ROWS)
        st.session_state["tasks_visible_ids"] = visible[t("col_id")].tolist()
        st.dataframe(
            visible.style.map(_color_status, subset=[t("col_status")]), hide_index=True, width="stretch", height=520,
            on_select=_on_pick, selection_mode="single-row", key="tasks_table",
            column_config={
                t("col_content"): st.column_config.TextColumn(width="large"),
                t("col_status"): st.column_config.TextColumn(width=110),
                t("col_jurisdiction"): st.column_config.TextColumn(width=70),
            },
        )
        if len(table) > tables.MAX_ROWS:
            st.caption(t("rows_capped", shown=tables.MAX_ROWS, total=len(table)))
        tables.downloads(table, "tasks")  # the same rows and columns as the table

# -- the open task --------------------------------------------------------------------------
task_id = st.query_params.get("task", "")
task = None
if task_id:
    found = tasks[tasks["id"] == task_id]
    if found.empty:  # a link from another page may name a task outside the sidebar's area
        found = data.tasks(views.Area(), state.as_of)
        found = found[found["id"] == task_id]
    task = found.iloc[0] if len(found) else None
    if task is None:
        st.warning(t("tk_unknown_task", id=task_id))

st.divider()
if task is None:
    st.info(t("tk_pick_hint"))
    st.stop()

st.subheader(f"{task['title'] or task['category'] or t('task')}")
if not (view["id"] == task["id"]).any():
    st.caption(t("tk_not_in_filter"))
info, form_col = st.columns([3, 2], gap="large")
with info:
    st.markdown(
        f"{tables.status_badge(task['status'])} "
        + (f"<b style='color:{COLORS[OVERDUE]}'>{t('tk_days_overdue', d=int(task['days_overdue']))}</b> " if task["days_overdue"] else "")
        + f"<span style='color:#555'>{task['id']}</span>",
        unsafe_allow_html=True,
    )
    st.markdown(task["content"])
    deadline_text = task["deadline_text"] or (LABELS_ZH[LONG_TERM] if str(task["long_term"]) in ("1", "True") else "—")
    st.markdown(
        f"**{t('deadline')}**：{deadline_text}（{task['deadline'] or t('tk_no_date')}）  \n"
        f"**{t('owners')}**：{task['responsible_units'] or '—'}  \n"
        f"**{t('persons')}**：{task['persons'] or '—'}  \n"
        f"**{t('col_plan')}**：{task['plan']} · {task['category'] or '—'} 第 {task['seq'] or '—'} 项  \n"
        f"**{t('source')}**：{task['source_file']} 第 {task['source_line']} 行"
    )
    # places on the maps: sections named in the task, enterprises linked to it or named in it
    text = f"{task['places']}|{task['content']}"
    places = set(_units(str(task["places"]).replace("、", UNIT_SEP)))
    if task["places"]:
        st.markdown(f"**{t('places')}**：{task['places']}")
    sections = data.table("sections")
    hit = sections[sections["name"].astype(str).isin(places)
                   | sections["name"].astype(str).apply(lambda n: len(n) >= 3 and n in str(task["content"]))]
    for _, section in hit.drop_duplicates("id").head(5).iterrows():
        st.page_link("app_pages/water.py", label=t("see_on_map", what=section["name"]), icon=":material/map:",
                     query_params={"section": section["id"]})
    enterprises = data.table("enterprises")
    linked = enterprises[(enterprises["task_id"] == task["id"])
                         | enterprises["name"].astype(str).apply(lambda n: len(n) >= 4 and n in text)]
    if len(linked):
        st.markdown(f"**{t('tk_linked_enterprises', n=len(linked))}**：" + "、".join(linked["name"].astype(str).head(12))
                    + ("…" if len(linked) > 12 else ""))
        st.page_link("app_pages/enterprises.py", label=t("see_enterprises"), icon=":material/factory:", query_params={"task": task["id"]})

    st.markdown(f"**{t('history')}**")
    history = data.updates()
    history = history[history["task_id"] == task["id"]] if len(history) else history
    if history.empty:
        st.caption(t("no_history"))
    else:
        hist_cols = {"reported_on": t("reported_on"), "status": t("status"), "note": t("note"),
                     "reported_by": t("reported_by"), "recorded_at": t("tk_recorded_at")}
        shown_history = history.sort_values(["reported_on", "fid"] if "fid" in history else ["reported_on"], ascending=False)
        shown_history = shown_history[[c for c in hist_cols if c in shown_history]].replace({"status": LABELS_ZH})
        st.dataframe(shown_history.rename(columns=hist_cols), hide_index=True, width="stretch")
        later = history[history["reported_on"].astype(str) > state.as_of.isoformat()]
        if len(later):
            st.caption(t("tk_history_after_asof", n=len(later), asof=state.as_of.isoformat()))

with form_col:
    flash = st.session_state.pop("tasks_flash", None)
    if flash:
        st.success(flash)
    with st.form(f"progress_{task['id']}", clear_on_submit=True, border=True):
        st.markdown(f"**{t('report_progress')}**")
        st.caption(t("tk_progress_help"))
        new_status = st.radio(t("status"), (IN_PROGRESS, DONE), format_func=LABELS_ZH.get, horizontal=True, key="tasks_form_status")
        reported_on = st.date_input(t("reported_on"), value=state.as_of, key="tasks_form_date", format="YYYY-MM-DD")
        reporter = st.text_input(t("reported_by"), placeholder=t("reported_by_hint"), key="tasks_form_reporter")
        note = st.text_area(t("note"), placeholder=t("note_hint"), key="tasks_form_note")
        if st.form_submit_button(t("save_progress"), type="primary"):
            if not reporter.strip():
                st.error(t("tk_reporter_required"))
            else:
                try:
                    data.store().add_task_update(task["id"], new_status, reported_on=reported_on, note=note.strip(),
                                                 reported_by=reporter.strip(), source="ui")
                except EnvmapError as exc:
                    st.error(str(exc))
                else:
                    st.session_state["tasks_flash"] = t("progress_saved")
                    st.rerun()
