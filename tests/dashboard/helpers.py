"""Driving pages with AppTest and reading what a visitor sees: headline cards, tables, messages."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "dashboard" / "app.py")
PAGES = ["overview", "water", "groundwater", "zones", "enterprises", "tasks", "air", "monitoring", "sources",
         "section_report", "enterprise_report", "county_report"]


def new_app(timeout: int = 120) -> AppTest:
    return AppTest.from_file(APP, default_timeout=timeout)


def open_page(app: AppTest, page: str, **params: str) -> AppTest:
    """Run the app, then open ``page`` with URL ``params`` (as a shared link would)."""
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    app.switch_page(f"app_pages/{page}.py")
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def param(app: AppTest, name: str) -> str | None:
    value = app.query_params.get(name)
    return value[0] if isinstance(value, list) else value


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    detail: str
    change: str
    note: str


_CARD = re.compile(  # one card of dashboard.components.kpi
    r'<div class="envmap-kpi"[^>]*><div class="envmap-kpi-label">(?P<label>.*?)(?: <span class="envmap-kpi-help">ⓘ</span>)?</div>'
    r'<div class="envmap-kpi-value">(?P<value>.*?)</div>'
    r'(?:<div class="envmap-kpi-detail">(?P<detail>.*?)</div>)?'
    r'(?:<div class="envmap-kpi-change [a-z]+">(?P<change>.*?)</div>)?'
    r'(?:<div class="envmap-kpi-note">(?P<note>.*?)</div>)?</div>'
)


def cards(app: AppTest) -> dict[str, Card]:
    """The headline cards on the page, by label."""
    found: dict[str, Card] = {}
    for element in app.markdown:
        for m in _CARD.finditer(element.value):
            parts = {k: html.unescape(v or "") for k, v in m.groupdict().items()}
            found[parts["label"]] = Card(**parts)
    return found


def number(text: str) -> int:
    return int(re.match(r"\s*(\d+)", text).group(1))


def table(app: AppTest, *columns: str) -> pd.DataFrame:
    """The (last) table on the page that has all ``columns``."""
    frames = [d.value for d in app.dataframe]
    frames = [f.data if hasattr(f, "data") else f for f in frames]  # a Styler's frame
    matching = [f for f in frames if set(columns) <= set(f.columns)]
    assert matching, f"no table with {columns}; tables: {[list(f.columns) for f in frames]}"
    return matching[-1]


def texts(app: AppTest) -> str:
    """All text a visitor reads outside tables and the map."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success",
                                  "error") for e in getattr(app, kind)]
    return html.unescape("\n".join(str(p) for p in parts))


def sign_in(app: AppTest, name: str, password: str | None = None) -> AppTest:
    """Sign in through the sidebar form (the account must exist: ``tests.accounts.account``)."""
    from tests.accounts import PASSWORD

    app.text_input(key="auth_name").input(name)
    app.text_input(key="auth_password").input(password or PASSWORD)
    [button] = [b for b in app.button if b.label == "登录"]
    button.click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app
