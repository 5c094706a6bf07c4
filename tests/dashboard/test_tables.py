"""Tables send one page of rows at a time; the downloads still hold every row."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _paged_app() -> None:
    import pandas as pd

    from dashboard import tables

    frame = pd.DataFrame({"编号": [f"R{i:05d}" for i in range(1234)], "值": range(1234)})
    tables.show(frame, "paged")


def test_a_long_table_is_sent_a_page_at_a_time_and_every_page_can_be_reached():
    from dashboard.tables import PAGE_ROWS

    app = AppTest.from_function(_paged_app, default_timeout=60)
    app.run()
    assert not app.exception
    first = app.dataframe[0].value
    assert len(first) == PAGE_ROWS and first["编号"].iloc[0] == "R00000"
    assert any("共 1234 条（3 页）" in c.value for c in app.caption)
    app.number_input(key="table_page_paged").set_value(3).run()
    last = app.dataframe[0].value
    assert len(last) == 1234 - 2 * PAGE_ROWS and last["编号"].iloc[-1] == "R01233"
    assert any(f"第 {2 * PAGE_ROWS + 1}–1234 条" in c.value for c in app.caption)


def test_a_short_table_has_no_page_picker():
    def short() -> None:
        import pandas as pd

        from dashboard import tables

        tables.show(pd.DataFrame({"a": range(12)}), "short")

    app = AppTest.from_function(short, default_timeout=60)
    app.run()
    assert len(app.dataframe[0].value) == 12 and not app.number_input



def test_late_owner_bars_label_every_unit_with_its_count_and_escape_names():
    import pandas as pd

    from dashboard.tables import owners_bars_html

    owners = pd.DataFrame({"unit": ["市生态环境局（晋城市）", "<b>某局</b>"], "jurisdiction": ["晋城市", "晋城市"],
                           "late": [12, 3], "late_unreported": [10, 0]})
    html = owners_bars_html(owners)
    assert html.count('class="row"') == 2
    assert "市生态环境局（晋城市）</span>" in html and '<span class="n">12</span>' in html
    assert "&lt;b&gt;某局&lt;/b&gt;" in html and "<b>某局</b>" not in html
    assert 'width:83.3%' in html and 'width:16.7%' in html  # 10 of 12 unreported, 2 reported: the longest bar is full
