"""Exported maps: what they say, that they say it the same way twice, and that bad requests are refused clearly."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from geodata import views
from geodata.areas import Area
from geodata.brief import BriefRequest, Filters, StoreSource, build_content, make_brief
from geodata.brief.content import SAMPLE
from geodata.brief.fonts import missing_glyphs
from geodata.errors import EnvmapError
from geodata.i18n import set_language
from tests.fixtures.brief import goldens

AS_OF = dt.date(2023, 12, 31)


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    import os

    from geodata.store import open_store

    os.environ.pop("ENVMAP_DATABASE_URL", None)
    set_language("zh")
    store = open_store(tmp_path_factory.mktemp("brief") / "envmap.gpkg")
    yield StoreSource(store)
    store.close()


def request(**changes) -> BriefRequest:  # noqa: ANN003
    base = dict(area=Area("长治市", "襄垣县"), subject="water", year=2023, as_of=AS_OF, layout="slide", fmt="png", dpi=40)
    return BriefRequest(**{**base, **changes})


# -- golden images ------------------------------------------------------------------------------


def rms(a: bytes, b: bytes) -> float:
    """Root-mean-square difference of two PNGs (0–255); anti-aliasing moves it by well under 1."""
    x = np.asarray(Image.open(io.BytesIO(a)).convert("RGB"), dtype=float)
    y = np.asarray(Image.open(io.BytesIO(b)).convert("RGB"), dtype=float)
    assert x.shape == y.shape, f"size {x.shape} ≠ golden {y.shape}"
    return float(np.sqrt(((x - y) ** 2).mean()))


@pytest.mark.parametrize("name", list(goldens.CASES))
def test_exports_match_their_golden_images(source, name):
    """Regenerate with ``python -m tests.fixtures.brief.goldens`` after a deliberate change (README there)."""
    golden = (goldens.HERE / f"{name}.png").read_bytes()
    made = goldens.render(source, name)
    assert rms(made, golden) < 2.0, f"{name} differs from tests/fixtures/brief/{name}.png"


def test_a_changed_export_fails_its_golden_image(source):
    """The comparison is not blind: the county map against the city map fails."""
    county = (goldens.HERE / "water-county-slide.png").read_bytes()
    city = (goldens.HERE / "water-city-slide.png").read_bytes()
    assert rms(county, city) > 5.0


# -- byte-stable --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_the_same_request_gives_the_same_bytes(source, fmt):
    first = make_brief(source, request(fmt=fmt, subject="tasks", area=Area("晋城市")))
    second = make_brief(source, request(fmt=fmt, subject="tasks", area=Area("晋城市")))
    assert first.image == second.image
    assert first.workbook == second.workbook


def test_pdf_has_no_dates_and_embeds_the_chinese_font(source):
    pdf = make_brief(source, request(fmt="pdf")).image
    assert pdf.startswith(b"%PDF")
    assert b"CreationDate" not in pdf and b"ModDate" not in pdf
    assert b"NotoSansCJK" in pdf


def test_png_carries_no_software_version(source):
    png = make_brief(source, request()).image
    assert png.startswith(b"\x89PNG") and b"matplotlib" not in png.lower()


def test_resolution_follows_the_dpi(source):
    small = Image.open(io.BytesIO(make_brief(source, request(dpi=40)).image)).size
    large = Image.open(io.BytesIO(make_brief(source, request(dpi=80)).image)).size
    assert large[0] == pytest.approx(small[0] * 2, abs=2)
    assert small == (round(13.333 * 40), 300)


# -- what it says -------------------------------------------------------------------------------


def test_key_figures_are_the_headline_of_the_area(source):
    """The export counts the sections of the water page's period (全年 here) and words them as its cards."""
    from geodata.quality.evaluations import Period

    content = build_content(source, request(area=Area("运城市")))
    sections = source.period_sections(Area("运城市"), Period(2023, None, "year"))
    tasks = source.tasks(Area("运城市"), AS_OF, 2023)
    now = views.headline(sections, tasks, source.enterprises(Area("运城市"), AS_OF))
    figures = {f.key: f.value for f in content.figures}
    assert figures["good_share"] == f"{100 * now.good / now.evaluated:.1f}%"
    assert figures["worst"] == f"{100 * now.worst / now.evaluated:.1f}%"
    assert figures["late"] == str(now.late)
    assert figures["met"] == (f"{100 * now.met / now.assessed:.1f}%" if now.assessed else "无数据")
    assert content.headline == now


def test_a_cumulative_export_uses_the_classes_of_january_to_the_month(source):
    from geodata.quality.evaluations import Period

    ytd = build_content(source, request(month=6, cumulative=True))
    assert "1—6月" in ytd.title and "累计" in ytd.title
    expected = source.period_sections(Area("长治市", "襄垣县"), Period(2023, 6, "ytd"))
    assert ytd.headline.evaluated == int((expected["measured_class"].astype(str) != "").sum())
    with pytest.raises(EnvmapError, match="月份"):
        request(cumulative=True)


def test_a_month_uses_that_months_classes(source):
    year = build_content(source, request())
    june = build_content(source, request(month=6))
    assert "6月" in june.title and "当月" in june.title and "全年" in year.title
    month_sections = source.sections(Area("长治市", "襄垣县"), 2023, 6)
    assert june.headline == views.headline(month_sections, source.tasks(Area("长治市", "襄垣县"), AS_OF, 2023),
                                           source.enterprises(Area("长治市", "襄垣县"), AS_OF))
    assert "2023-06" in june.subtitle


def test_title_subtitle_mark_and_sample_label(source):
    content = build_content(source, request())
    assert content.title.startswith("襄垣县 地表水环境质量")
    assert "统计截至 2023-12-31" in content.subtitle and "断面监测数据截至 2023-12" in content.subtitle
    assert content.map_mark == "内部资料，边界仅供参考"
    assert content.sample  # the bundled store's classes rest on sample values
    assert any(SAMPLE in note for note in content.notes)


def test_a_configured_map_approval_number_replaces_the_internal_mark(source):
    content = build_content(source, request(map_mark="晋S（2024）001号"))
    assert content.map_mark == "晋S（2024）001号"


def test_notes_give_sources_and_location_precision(source):
    content = build_content(source, request(area=Area("运城市")))
    text = "\n".join(content.notes)
    assert "位置精度" in text and "所在河流上（近似） 6" in text and "未定位 5" in text
    assert "来源" in text and "运城市" in text
    assert "底图" in text


def test_no_sample_label_once_samples_are_removed(tmp_path):
    from geodata.store import open_store

    store = open_store(tmp_path / "envmap.gpkg")
    store.delete_samples()
    content = build_content(StoreSource(store), request())
    assert not content.sample
    assert all(not f.sample or f.value == "无数据" for f in content.figures)
    assert "本期无断面监测数据" in content.subtitle
    store.close()


def test_layers_off_are_not_drawn(source):
    content = build_content(source, request(layers=frozenset({"reaches"})))
    assert content.points.empty and len(content.lines)
    content = build_content(source, request(layers=frozenset({"sections"})))
    assert len(content.points) and content.lines.empty


def test_progress_map_names_overdue_items_with_their_owners(source):
    content = build_content(source, request(area=Area("晋城市", "陵川县"), subject="tasks"))
    assert content.callouts, "陵川县 has overdue tasks as of 2023-12-31"
    assert all("逾期" in c for c in content.callouts)
    assert any("市生态环境局陵川分局" in c for c in content.callouts)
    bars = content.bars.set_index("county")
    tasks = source.tasks(Area("晋城市", "陵川县"), AS_OF, 2023)
    assert int(bars.loc["陵川县", "overdue_unreported"]) == int((tasks["status"] == "overdue_unreported").sum())


def test_page_filters_narrow_the_export(source):
    everything = build_content(source, request(area=Area("晋城市"), subject="enterprises"))
    late_only = build_content(source, request(area=Area("晋城市"), subject="enterprises",
                                              filters=Filters(statuses=("overdue_unreported",))))
    assert len(late_only.points) < len(everything.points)
    assert set(late_only.points["face"]) == {"#8e0000"}


def test_workbook_holds_the_figures_and_the_tables(source):
    made = make_brief(source, request(area=Area("运城市")))
    sheets = pd.read_excel(io.BytesIO(made.workbook), sheet_name=None)
    assert {"关键数字", "分县汇总", "断面", "说明"} <= set(sheets)
    figures = sheets["关键数字"].set_index("指标")["数值"].astype(str).to_dict()
    assert figures["优良（Ⅰ–Ⅲ类）比例"] == next(f.value for f in made.content.figures if f.key == "good_share")
    counties = sheets["分县汇总"]
    total = counties[counties["县（市、区）"] == "合计"].iloc[0]
    assert int(total["逾期任务"]) == made.content.headline.late
    assert int(counties[counties["县（市、区）"] != "合计"]["逾期任务"].sum()) == made.content.headline.late
    assert (sheets["断面"]["数据说明"] == SAMPLE).all()
    with zipfile.ZipFile(io.BytesIO(made.workbook)) as z:
        assert b"2000-01-01T00:00:00Z" in z.read("docProps/core.xml")


def test_english_exports_are_english_except_the_sample_label(source):
    set_language("en")
    try:
        content = build_content(source, request())
    finally:
        set_language("zh")
    import re

    assert "Surface water quality" in content.title
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert [f.label for f in content.figures if cjk.search(f.label)] == []
    # class codes (劣Ⅴ) are data, written the same in both languages
    assert [e.label for g in content.legend for e in g.entries if cjk.search(e.label.replace("劣Ⅴ", ""))] == []


# -- refused requests ---------------------------------------------------------------------------


@pytest.mark.parametrize("changes, words", [
    ({"subject": "air"}, "主题"), ({"layout": "a3"}, "版式"), ({"fmt": "svg"}, "格式"), ({"month": 13}, "月份"),
    ({"dpi": 5000}, "分辨率"), ({"layers": frozenset({"roads"})}, "图层"),
])
def test_bad_requests_are_refused_in_chinese(changes, words):
    with pytest.raises(EnvmapError, match=words):
        request(**changes)


def test_a_missing_chinese_font_is_a_clear_error(source, monkeypatch):
    from matplotlib import font_manager

    from geodata.brief import fonts

    fonts.brief_fonts.cache_clear()
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [f for f in font_manager.fontManager.ttflist
                                                              if "CJK" not in f.name])
    try:
        with pytest.raises(EnvmapError, match="fonts-noto-cjk"):
            make_brief(source, request())
    finally:
        fonts.brief_fonts.cache_clear()


def test_every_character_an_export_draws_has_a_glyph(source):
    content = build_content(source, request(area=Area("运城市"), subject="tasks"))
    texts = [content.title, content.subtitle, *content.notes, *content.callouts,
             *(f.label + f.value + f.detail for f in content.figures),
             *(e.label + e.symbol for g in content.legend for e in g.entries)]
    assert [missing_glyphs(x) for x in texts if missing_glyphs(x)] == []
    assert missing_glyphs("✓✗?∅劣Ⅴ类") == ""
    assert missing_glyphs("ሀ") == "ሀ"  # Ethiopic: no export font has it


def test_file_names_say_what_the_export_is():
    assert request(month=6).file_stem == "襄垣县-water-2023-06-slide"
    assert dataclasses.replace(request(), area=Area()).file_stem == "全部-water-2023-slide"


def test_golden_readme_says_how_to_regenerate():
    text = (Path(goldens.__file__).parent / "README.md").read_text(encoding="utf-8")
    assert "python -m tests.fixtures.brief.goldens" in text
