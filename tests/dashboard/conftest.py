"""AppTest runs pages in this process: forget cached stores and data between tests."""

from __future__ import annotations

import pytest
import streamlit as st


@pytest.fixture(autouse=True)
def fresh_streamlit_caches():
    from geodata.i18n import set_language

    st.cache_resource.clear()
    st.cache_data.clear()
    set_language("zh")
    yield
    st.cache_resource.clear()
    st.cache_data.clear()
    set_language("zh")
