"""All caching of the dashboard: the store as a resource, tables as data keyed by version."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geodata.store import Store, open_store


@st.cache_resource(show_spinner="正在打开数据库…")
def store() -> Store:
    return open_store()


@st.cache_data(show_spinner=False)
def _table(name: str, version: int) -> pd.DataFrame:
    return store().read_table(name)


def table(name: str) -> pd.DataFrame:
    """Table ``name`` from the store; the cache refreshes whenever the data changes."""
    return _table(name, store().data_version())
