"""任务台账: every task of every plan, its state as of the chosen date, who owns the late ones, the 督办通报.

Filters live on the page (the sidebar is shared) and in the URL: ``plan``, ``domain``,
``status``, ``wf`` (办理状态), ``sv`` (督办 only), ``unit``, ``q``, ``due`` (start..end),
``mentions`` and ``task`` (the task whose details are open: a link to ``tasks?task=<id>`` opens it
directly, for 督办 messages and briefings). Selecting a row opens the task: details, links to its
places on the maps, its whole chain of events (who, when) and the form for the next step the
signed-in account may take (``dashboard.task_panel``). The open task is kept by its id, so saving
(which may re-sort the ledger) keeps the same task open.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import streamlit as st

from dashboard import briefing, data, details, tables, task_panel
from dashboard.components import kpi
from dashboard.state import page_params, set_page_param, view, wkey
from geodata import areas, supervision, views
from geodata.brief import Filters
from geodata.i18n import t
from geodata.status import LATE, STATUSES, label, status_text

UNIT_SEP = "；"  # how responsible_units are joined in the data
URL_UNIT_SEP = "，"  # how chosen units are joined in the URL


def _url_list(name: str, allowed: list[str], sep: str = ",") -> list[str]:
    raw = page_params(name)
    return [v for v in raw.split(sep) if v in allowed] if raw else []


def _units(cell: object) -> list[str]:
    return [u.strip() for u in str(cell or "").split(UNIT_SEP) if u.strip()]


def _on_pick() -> None:
    """The user selected or cleared a row: the URL remembers which task is open (by id)."""
    picked = st.session_state.get(_table_key())
    rows = picked.selection.rows if picked and picked.selection else []
    ids = st.session_state.get("tasks_visible_ids", [])
    if rows and rows[0] < len(ids):
        st.query_params["task"] = ids[rows[0]]
    elif "task" in st.query_params:
        del st.query_params["task"]


def _table_key() -> str:
    return f"tasks_table_{st.session_state.get('tasks_table_generation', 0)}"


state = view()
st.title(t("page_tasks"))
tasks = data.tasks(state.area, state.as_of, state.year)
mentioned = pd.DataFrame()
if state.area.county:
    everything = data.tasks(areas.Area(state.area.city), state.as_of, state.year)
    mentioned = areas.mentions_county(everything, state.area)
    if len(mentioned):
        include = st.toggle(t("tk_include_mentions", n=len(mentioned), city=state.area.city),
                            value=page_params("mentions") == "1", key="tasks_mentions", help=t("tk_include_mentions_help"))
        set_page_param("mentions", "1" if include else "")
        if include:
            tasks = pd.concat([tasks, mentioned], ignore_index=True)
if tasks.empty:
    st.info(t("tk_none", area=state.area.label, year=state.year))
    st.stop()

# -- filters (page widgets, mirrored in the URL) -------------------------------------------
plans_all = sorted(p for p in tasks["plan"].astype(str).unique() if p)
domains_all = sorted(d for d in tasks["domain"].astype(str).unique() if d)
units_all = sorted({u for cell in tasks["responsible_units"] for u in _units(cell)})
statuses_all = list(STATUSES)

c1, c2, c3, c4, c7 = st.columns([3, 2, 2, 2, 3])
plans = c1.multiselect(t("filter_plan"), plans_all, default=_url_list("plan", plans_all, "|"), key="tasks_plan",
                       placeholder=t("all"))
domains = c2.multiselect(t("filter_domain"), domains_all, default=_url_list("domain", domains_all),
                         format_func=lambda d: t(f"domain_{d}"), key=wkey("tasks_domain"), placeholder=t("all"))
statuses = c3.multiselect(t("filter_status"), statuses_all, default=_url_list("status", statuses_all), format_func=label,
                          key=wkey("tasks_status"), placeholder=t("all"))
workflows = c4.multiselect(t("filter_workflow"), list(supervision.WORKFLOW), default=_url_list("wf", list(supervision.WORKFLOW)),
                           format_func=supervision.workflow_label, key=wkey("tasks_workflow"), placeholder=t("all"))
chosen_units = c7.multiselect(t("filter_unit"), units_all, default=_url_list("unit", units_all, URL_UNIT_SEP),
                              key="tasks_unit", placeholder=t("all"))
c5, c6, c8 = st.columns([3, 2, 1])
query = c5.text_input(t("search"), value=page_params("q"), key="tasks_q", placeholder=t("search_hint")).strip()
due_default: tuple[dt.date, ...] = ()
try:
    start_text, end_text = page_params("due").split("..")
    due_default = (dt.date.fromisoformat(start_text), dt.date.fromisoformat(end_text))
except ValueError:
    due_default = ()
due_range = c6.date_input(t("filter_deadline"), value=due_default, key="tasks_due", help=t("filter_deadline_help"),
                          format="YYYY-MM-DD")
due = tuple(due_range) if isinstance(due_range, (tuple, list)) and len(due_range) == 2 else ()
only_supervised = c8.toggle(t("filter_supervised"), value=page_params("sv") == "1", key="tasks_supervised",
                            help=t("filter_supervised_help"))

shown = tasks
if plans:
    shown = shown[shown["plan"].isin(plans)]
if domains:
    shown = shown[shown["domain"].isin(domains)]
if statuses:
    shown = shown[shown["status"].isin(statuses)]
if workflows:
    shown = shown[shown["workflow"].isin(workflows)]
if only_supervised:
    shown = shown[shown["supervised"].astype(bool)]
if chosen_units:
    wanted = set(chosen_units)
    shown = shown[shown["responsible_units"].apply(lambda cell: bool(wanted & set(_units(cell))))]
if query:
    haystack = (shown["id"].astype(str) + "|" + shown["title"].astype(str) + "|" + shown["content"].astype(str) + "|"
                + shown["places"].astype(str) + "|" + shown["responsible_units"].astype(str) + "|" + shown["persons"].astype(str))
    shown = shown[haystack.str.contains(query, regex=False, case=False)]
if due:
    start, end = (d.isoformat() for d in due)
    deadlines = shown["due"].astype(str)
    shown = shown[(deadlines != "") & (deadlines >= start) & (deadlines <= end)]

set_page_param("plan", "|".join(plans))
set_page_param("domain", ",".join(domains))
set_page_param("status", ",".join(statuses))
set_page_param("wf", ",".join(workflows))
set_page_param("sv", "1" if only_supervised else "")
set_page_param("unit", URL_UNIT_SEP.join(chosen_units))
set_page_param("q", query)
set_page_param("due", f"{due[0].isoformat()}..{due[1].isoformat()}" if due else "")

order = {s: i for i, s in enumerate(STATUSES)}
shown = shown.assign(_order=shown["status"].map(order).fillna(99)).sort_values(
    ["_order", "days_overdue", "due", "jurisdiction", "id"], ascending=[True, False, True, True, True], kind="stable"
).drop(columns="_order")

# -- counts of the filtered set: every status apart -------------------------------------------
counts = shown["status"].value_counts()
st.markdown(kpi.CSS, unsafe_allow_html=True)
cards = [kpi.Card(t("tasks_total"), str(len(shown)), t("tk_total_detail", n=len(tasks)))]
cards += [kpi.Card(label(s), str(int(counts.get(s, 0))), help=t(f"tk_help_{s}", asof=state.as_of.isoformat()))
          for s in STATUSES]
st.markdown(kpi.cards_html(cards, compact=True), unsafe_allow_html=True)
flow = shown["workflow"].value_counts()
flow_cards = [kpi.Card(t("kpi_supervised"), str(int(shown["supervised"].astype(bool).sum())), help=t("kpi_supervised_help"))]
flow_cards += [kpi.Card(t("wf_card", state=supervision.workflow_label(w)), str(int(flow.get(w, 0))), help=t(f"wf_help_{w}"))
               for w in supervision.WORKFLOW]
st.markdown(kpi.cards_html(flow_cards, compact=True), unsafe_allow_html=True)
st.caption(t("tasks_asof", asof=state.as_of.isoformat(), year=state.year))
briefing.export_button("tasks", Filters(plans=tuple(plans), domains=tuple(domains), statuses=tuple(statuses),
                                        units=tuple(chosen_units), query=query,
                                        due=tuple(d.isoformat() for d in due)), key="tasks")

# -- the ledger and who owns the late tasks ------------------------------------------------
table = pd.DataFrame({
    t("col_status"): [status_text(s, int(d or 0), int(left or 0)) for s, d, left in
                      zip(shown["status"], shown["days_overdue"], shown["days_left"], strict=True)],
    t("col_workflow"): [supervision.workflow_label(w) + (f" · {t('sv_badge')}" if sv else "")
                        for w, sv in zip(shown["workflow"], shown["supervised"], strict=True)],
    t("col_jurisdiction"): shown["jurisdiction"],
    t("col_content"): shown["content"],
    t("col_deadline_text"): shown["deadline_text"],
    t("col_deadline"): shown["due"],
    t("col_units"): shown["responsible_units"],
    t("col_persons"): shown["persons"],
    t("col_plan"): shown["plan"],
    t("col_category"): shown["category"],
    t("col_seq"): shown["seq"],
    t("col_id"): shown["id"],
})
table = tables.with_sources(table, shown)
if shown.empty:
    st.info(t("no_tasks"))
else:
    left, right = st.columns([5, 2], gap="medium")
    with right:
        st.subheader(t("late_owners"))
        owners, outside = views.late_owners(shown, state.area)
        if owners.empty:
            st.success(t("no_overdue"))
        else:
            st.caption(t("late_owners_caption", n=int(shown["status"].isin(LATE).sum()), units=len(owners)))
            tables.owners_chart(owners, height=max(160, 26 * min(len(owners), 15)))
            if len(owners) > 15:
                st.caption(t("tk_owners_more", n=len(owners) - 15))
        if outside:
            st.caption(t("late_owners_outside", n=outside, area=state.area.label))
    with left:
        st.subheader(t("task_list"))
        visible = tables.page_of(table, "tasks")
        st.session_state["tasks_visible_ids"] = visible[t("col_id")].tolist()
        tables.show(
            table, "tasks", height=520, on_select=_on_pick, selection_mode="single-row", key=_table_key(),
            column_config={
                t("col_content"): st.column_config.TextColumn(width="large"),
                t("col_status"): st.column_config.TextColumn(width=140),
                t("col_workflow"): st.column_config.TextColumn(width=100),
                t("col_jurisdiction"): st.column_config.TextColumn(width=70),
            },
        )

with st.expander(t("bulletin_title"), expanded=page_params("view") == "bulletin"):
    task_panel.bulletin_section(tasks, state.area, state.as_of)
with st.expander(t("bp_title")):
    task_panel.bulk_import_section()

# -- the open task --------------------------------------------------------------------------
task_id = page_params("task")
task = None
if task_id:
    found = tasks[tasks["id"] == task_id]
    if found.empty:  # a link from another page may name a task outside the sidebar's area or year
        found = data.tasks(areas.Area(), state.as_of)
        found = found[found["id"] == task_id]
    task = found.iloc[0] if len(found) else None
    if task is None:
        st.warning(t("tk_unknown_task", id=task_id))

st.divider()
flash = st.session_state.pop("tasks_flash", None)
if flash:
    st.success(flash)
if task is None:
    st.info(t("tk_pick_hint"))
    st.stop()

st.subheader(str(task["title"] or task["category"] or t("task")))
if not (shown["id"] == task["id"]).any():
    st.caption(t("tk_not_in_filter"))
info, form_col = st.columns([3, 2], gap="large")
with info:
    status = status_text(str(task["status"]), int(task["days_overdue"] or 0), int(task["days_left"] or 0))
    badges = [details.status_badge(str(task["status"]), status), task_panel.workflow_badge(str(task["workflow"]))]
    if bool(task["supervised"]):
        badges.append(task_panel.supervised_badge())
    st.markdown(" ".join(badges) + f" <span style='color:#555'>{html.escape(str(task['id']))}</span>", unsafe_allow_html=True)
    st.text(str(task["content"]))
    if bool(task["supervised"]):
        note = supervision.current_state(data.events().query("task_id == @task['id']").to_dict("records")).supervise_note
        st.warning(t("sv_supervised_note", note=task_panel.md_text(note)))
    long_term = str(task["long_term"]) in ("1", "True")
    deadline_text = task["deadline_text"] or (label("long_term") if long_term else "—")
    facts = [
        (t("deadline"), f"{deadline_text}（{task['deadline'] or t('tk_no_date')}）"),
        *([(t("sv_due"), t("sv_due_by_supervisor", date=task["due"]))] if task["due"] and task["due"] != task["deadline"] else []),
        *([(t("sv_units"), "、".join(str(task["assigned_units"]).split("；")))] if task["assigned_units"] else []),
        (t("owners"), str(task["responsible_units"] or "—")),
        (t("persons"), str(task["persons"] or "—")),
        (t("col_plan"), t("tk_plan_item", plan=task["plan"], category=task["category"] or "—", seq=task["seq"] or "—")),
    ]
    st.markdown("  \n".join(f"**{html.escape(k)}**：{html.escape(v)}" for k, v in facts), unsafe_allow_html=True)
    st.markdown(f"**{t('source')}**：[{tables.source_label(task['document_id'], task['source_line'])}]"
                f"({tables.source_url(task['document_id'], task['source_line'])})")
    places = set(_units(str(task["places"]).replace("、", UNIT_SEP)))
    if task["places"]:
        st.markdown(f"**{t('places')}**：{html.escape(str(task['places']))}", unsafe_allow_html=True)
    sections = data.table("sections")
    hit = sections[sections["name"].astype(str).isin(places)
                   | sections["name"].astype(str).apply(lambda n: len(n) >= 3 and n in str(task["content"]))]
    for _, section in hit.drop_duplicates("id").head(5).iterrows():
        st.page_link("app_pages/water.py", label=t("see_on_map", what=section["name"]), icon=":material/map:",
                     query_params={"section": section["id"]})
    enterprises = data.table("enterprises")
    text = f"{task['places']}|{task['content']}"
    linked = enterprises[(enterprises["task_id"] == task["id"])
                         | enterprises["name"].astype(str).apply(lambda n: len(n) >= 4 and n in text)]
    if len(linked):
        names = "、".join(linked["name"].astype(str).head(12)) + ("…" if len(linked) > 12 else "")
        st.markdown(f"**{t('tk_linked_enterprises', n=len(linked))}**：{html.escape(names)}", unsafe_allow_html=True)
        st.page_link("app_pages/enterprises.py", label=t("see_enterprises"), icon=":material/factory:",
                     query_params={"task": task["id"]})

    events = data.events()
    events = events[events["task_id"] == task["id"]] if len(events) else events
    task_panel.show_history(str(task["id"]), events, state.as_of)

with form_col:
    st.markdown(f"**{t('sv_next_step')}**")
    task_panel.action_form(task, events, state.as_of)
