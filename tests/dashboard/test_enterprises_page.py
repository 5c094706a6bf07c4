"""重点企业: counts, map caption and table agree; industry/status filters narrow them and live in the URL."""

from __future__ import annotations

import pytest

from tests.dashboard.helpers import cards, new_app, number, open_page, param, table, texts


@pytest.fixture
def app(db_path):
    return new_app()


def _table(app):
    return table(app, "企业/项目", "状态")


def test_counts_map_and_table_agree(app):
    open_page(app, "enterprises")
    found = cards(app)
    total = number(found["企业整治记录"].value)
    frame = _table(app)
    assert len(frame) == total == sum(number(c.value) for label, c in found.items() if label != "企业整治记录")
    assert {"企业/项目", "行业", "要求的整治措施（原文）", "状态", "责任单位", "位置精度", "地图上", "来源", "原文"} <= set(frame.columns)
    placed = int((frame["地图上"] == "已上图").sum())
    assert f"地图显示 {placed}/{total} 条记录" in texts(app)
    assert "envmap import-geo enterprises" in texts(app)
    assert "未标注" in set(frame["行业"])


def test_industry_filter_narrows_and_lands_in_the_url(app):
    open_page(app, "enterprises")
    total = number(cards(app)["企业整治记录"].value)
    app.multiselect(key="ent_industry").select("焦化").run()
    frame = _table(app)
    assert 0 < number(cards(app)["企业整治记录"].value) == len(frame) < total
    assert set(frame["行业"]) == {"焦化"}
    assert param(app, "industry") == "焦化"


def test_status_filter_and_the_url(app):
    open_page(app, "enterprises")
    app.multiselect(key="ent_status").select("overdue_unreported").run()
    frame = _table(app)
    assert len(frame) > 0 and frame["状态"].str.startswith("逾期未报告").all()
    assert param(app, "status") == "overdue_unreported"


def test_filters_are_read_back_from_the_url(app):
    open_page(app, "enterprises", industry="化工,焦化")
    assert app.multiselect(key="ent_industry").value == ["化工", "焦化"]
    assert set(_table(app)["行业"]) <= {"化工", "焦化"}


def test_a_task_link_shows_only_its_enterprises(app):
    from geodata.store import open_store

    enterprises = open_store().read_table("enterprises")
    task = enterprises.loc[enterprises["task_id"] != "", "task_id"].value_counts().index[0]
    expected = int((enterprises["task_id"] == task).sum())
    open_page(app, "enterprises", task=task)
    assert number(cards(app)["企业整治记录"].value) == len(_table(app)) == expected
    [show_all] = [b for b in app.button if b.label == "显示全部企业"]
    show_all.click().run()
    assert number(cards(app)["企业整治记录"].value) > expected
    assert "task" not in app.query_params


def test_a_county_without_enterprises_says_so(app):
    open_page(app, "enterprises", city="运城市", county="万荣县")
    assert "没有符合条件的重点企业记录" in texts(app) or number(cards(app)["企业整治记录"].value) >= 0
