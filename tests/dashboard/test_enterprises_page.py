"""重点企业: counts, map caption and table agree; industry/status filters narrow them and live in the URL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, bundled_task_id

APP = str(REPO / "dashboard" / "app.py")


def _param(app: AppTest, name: str):
    value = app.query_params.get(name)
    return value[0] if isinstance(value, list) else value


@pytest.fixture
def app(db_path):
    return AppTest.from_file(APP, default_timeout=120)


def _open(app: AppTest, **params: str) -> AppTest:
    app.run()
    for name, value in params.items():
        app.query_params[name] = value
    app.switch_page("app_pages/enterprises.py").run()
    assert not app.exception, app.exception
    return app


def _table(app: AppTest):
    return app.dataframe[-1].value


def test_counts_map_and_table_agree(app):
    _open(app)
    assert app.title[0].value == "重点企业"
    labels = [m.label for m in app.metric]
    assert labels == ["企业整治记录", "逾期", "未报告", "推进中", "已完成", "无明确时限"]
    total = int(app.metric[0].value)
    table = _table(app)
    assert len(table) == total == sum(int(m.value) for m in app.metric[1:])
    assert {"企业/项目", "行业", "要求的整治措施（原文）", "状态", "责任单位", "位置精度", "地图上", "来源"} <= set(table.columns)
    placed = int((table["地图上"] == "已上图").sum())
    assert any(c.value.startswith(f"地图显示 {placed}/{total} 条记录") for c in app.caption)
    assert any("envmap import-geo enterprises" in i.value for i in app.info)
    assert any(e.label.startswith("未定位的记录") for e in app.expander)
    assert "未标注" in set(table["行业"])  # blank industries are labelled, not empty


def test_industry_filter_narrows_and_lands_in_the_url(app):
    _open(app)
    total = int(app.metric[0].value)
    app.multiselect(key="ent_industry").select("焦化").run()
    table = _table(app)
    assert 0 < int(app.metric[0].value) == len(table) < total
    assert set(table["行业"]) == {"焦化"}
    assert _param(app, "industry") == "焦化"


def test_status_filter_and_empty_state(app):
    _open(app)
    app.multiselect(key="ent_status").select("overdue").run()
    table = _table(app)
    assert len(table) > 0 and table["状态"].str.startswith("逾期").all()
    assert _param(app, "status") == "overdue"
    app.multiselect(key="ent_status").unselect("overdue").select("done").run()
    assert not app.exception, app.exception
    assert int(app.metric[0].value) == 0
    assert any("没有符合条件的重点企业记录" in i.value for i in app.info)


def test_filters_are_read_back_from_the_url(app):
    _open(app, industry="化工,焦化", status="overdue")
    assert app.multiselect(key="ent_industry").value == ["化工", "焦化"]
    assert app.multiselect(key="ent_status").value == ["overdue"]
    assert set(_table(app)["行业"]) <= {"化工", "焦化"}


def test_a_task_link_shows_only_its_enterprises(app):
    from geodata.store import open_store

    task = bundled_task_id("运政办发〔2023〕15号", 47)  # water plan task 6
    expected = (open_store().read_table("enterprises")["task_id"] == task).sum()
    _open(app, task=task)
    assert expected > 0
    assert int(app.metric[0].value) == len(_table(app)) == expected
    assert any(task in i.value for i in app.info)
    [show_all] = [b for b in app.button if b.label == "显示全部企业"]
    show_all.click().run()
    assert int(app.metric[0].value) > expected
    assert "task" not in app.query_params
