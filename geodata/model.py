"""The tables envmap stores and exports: their columns, types and meaning, in one place.

Every other module (the plan parser, the store, the CSV export, the README's column
reference) reads the column lists from here, so a column is renamed in exactly one place.
Lists inside a cell are joined with ``LIST_SEP``; dates are ISO ``YYYY-MM-DD``; water
classes are written with ``CLASSES``.
"""

from __future__ import annotations

from dataclasses import dataclass

LIST_SEP = "；"
CLASSES = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ")
LEVELS = ("国考", "省考", "市考", "县考")
DOMAINS = ("water", "air", "soil", "groundwater", "comprehensive")
PRECISIONS = ("exact", "village", "town", "river", "county", "none")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # "text" | "integer" | "real" | "date" | "boolean"
    doc: str


def _cols(*spec: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in spec)


_SOURCE = (
    ("document_id", "text", "来源文件标识（documents.id）"),
    ("source_file", "text", "来源文件名"),
    ("source_line", "integer", "来源行号（1 起；docx 为段落/表格行的序号；PDF 为全文行序号）"),
    ("source_ref", "text", "原文位置：PDF“第3页第12行”、docx“表2第3行”；合并了正文与附件时两处都列出；纯文本为空（见行号）"),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "documents": _cols(
        ("id", "text", "文件标识（由文号得出；无文号时为文件名）"),
        ("title", "text", "发文标题"),
        ("issuer", "text", "发文机关"),
        ("doc_number", "text", "文号，如 运政办发〔2023〕15号"),
        ("issue_date", "date", "成文日期"),
        ("jurisdiction", "text", "辖区（市或县）"),
        ("jurisdiction_level", "text", "city | county"),
        ("parent", "text", "上级辖区（县所属的市；市所属的省）"),
        ("sha256", "text", "原文件 SHA-256"),
        ("source_file", "text", "来源文件名"),
        ("source_line", "integer", "文号所在行"),
    ),
    "plans": _cols(
        ("id", "text", "计划标识：文件标识-序号"),
        ("title", "text", "计划标题"),
        ("domain", "text", "water | air | soil | groundwater | comprehensive"),
        ("period_start", "integer", "起始年"),
        ("period_end", "integer", "结束年"),
        ("jurisdiction", "text", "辖区"),
        ("first_line", "integer", "正文起始行"),
        ("last_line", "integer", "正文结束行"),
        *_SOURCE,
    ),
    "tasks": _cols(
        ("id", "text", "任务标识"),
        ("jurisdiction", "text", "辖区"),
        ("plan", "text", "所属计划标题"),
        ("domain", "text", "领域"),
        ("table", "text", "所在表格标题；正文任务为空"),
        ("category", "text", "任务类别/重点工作"),
        ("category_source", "text", "plan | curation（见 curation_tasks.csv）"),
        ("seq", "text", "序号（原文）"),
        ("title", "text", "任务名称（正文加粗标题或表格的主要任务/项目名称）"),
        ("content", "text", "任务内容（原文）"),
        ("deadline_text", "text", "完成时限原文"),
        ("deadline", "date", "规范化截止日期；无法确定时为空"),
        ("long_term", "boolean", "长期坚持/持续推进等长期任务"),
        ("responsible_units", "text", "责任/牵头单位列表（全部单位）"),
        ("lead_units", "text", "牵头单位列表（牵头/督导；未写牵头时为负责单位）"),
        ("support_units", "text", "配合单位列表（配合/参与/协助）"),
        ("persons", "text", "责任人列表"),
        ("places", "text", "提及的地点（县、乡镇、村、断面、企业）列表"),
        ("linked_task", "text", "正文与附件表述同一事项时互相关联的任务标识"),
        ("parent_task", "text", "上级任务标识（子项“（1）”“①”“一是”所属的任务）"),
        *_SOURCE,
    ),
    "sections": _cols(
        ("id", "text", "断面标识"),
        ("name", "text", "断面名称（规范化）"),
        ("name_as_written", "text", "原文写法"),
        ("river", "text", "所在河流/湖库"),
        ("river_source", "text", "plan（原文）| curation（整理判断，见 curation_sections.csv）| 空"),
        ("waterbody", "text", "水体类型 river（河流）| lake（湖泊）| reservoir（水库）；湖库按湖、库限值评价，水库出口按河流"),
        ("waterbody_source", "text", "plan（原文）| curation（整理判断）| rule（按名称规则，见 geodata/quality/waterbody.py）| import（监测数据导入）"),
        ("county", "text", "所在县（市、区）"),
        ("county_source", "text", "plan | curation | 空"),
        ("city", "text", "所在市"),
        ("province", "text", "所在省（区、市）"),
        ("basin", "text", "所属流域（如 黄河流域）；原文未写明时为空"),
        ("level", "text", "国考 | 省考 | 市考"),
        ("level_as_written", "text", "原文级别写法（国控/省控/国考…）"),
        ("lon", "real", "经度 WGS84（由位置几何得出）"),
        ("lat", "real", "纬度 WGS84"),
        ("precision", "text", "位置精度 exact|village|town|river|county|none"),
        ("location_method", "text", "定位方法（导入文件、河流最近点、乡镇点…）"),
        *_SOURCE,
    ),
    "section_targets": _cols(
        ("section_id", "text", "断面标识"),
        ("section_name", "text", "断面名称"),
        ("county", "text", "县（市、区）"),
        ("year", "integer", "目标年份"),
        ("target_class", "text", "目标水质类别 Ⅰ…劣Ⅴ；原文为文字目标时为空"),
        ("target_text", "text", "目标原文，如 完成省定目标"),
        ("kind", "text", "target（目标）| observed（原文陈述的实测类别）"),
        *_SOURCE,
    ),
    "enterprises": _cols(
        ("id", "text", "企业记录标识"),
        ("name", "text", "企业/工厂/园区名称"),
        ("kind", "text", "enterprise（企业）| plant（污水处理厂、供热站、处置中心等设施）| park（园区）"),
        ("county", "text", "所在县（市、区），原文或整理判断"),
        ("county_source", "text", "plan | curation | 空"),
        ("industry", "text", "行业"),
        ("required_action", "text", "要求的整治措施（原文）"),
        ("deadline_text", "text", "完成时限原文"),
        ("deadline", "date", "规范化截止日期"),
        ("responsible_units", "text", "责任单位列表"),
        ("task_id", "text", "来源任务标识"),
        ("lon", "real", "经度 WGS84"),
        ("lat", "real", "纬度 WGS84"),
        ("precision", "text", "位置精度"),
        ("location_method", "text", "定位方法"),
        *_SOURCE,
    ),
    "groundwater_points": _cols(
        ("id", "text", "点位标识"),
        ("name", "text", "点位名称"),
        ("county", "text", "所在县（市、区）"),
        ("city", "text", "所在市"),
        ("kind", "text", "区域点位 | 污染风险监控点位 | 饮用水源点位"),
        ("level", "text", "国考 等"),
        ("target_class", "text", "目标类别（GB/T 14848）；原文未给出时为空"),
        ("target_text", "text", "目标原文"),
        ("lon", "real", "经度 WGS84"),
        ("lat", "real", "纬度 WGS84"),
        ("precision", "text", "位置精度"),
        ("location_method", "text", "定位方法"),
        *_SOURCE,
    ),
    "drinking_water_sources": _cols(
        ("id", "text", "水源标识"),
        ("name", "text", "水源地名称或类别"),
        ("county", "text", "县（市、区）"),
        ("kind", "text", "地表水 | 地下水 | 未说明"),
        ("scale", "text", "规模：市级/县级/千吨万人/农村千人…"),
        ("requirement", "text", "原文要求"),
        ("target_class", "text", "水质目标类别"),
        ("deadline_text", "text", "完成时限原文"),
        ("deadline", "date", "规范化截止日期"),
        ("responsible_units", "text", "责任单位列表"),
        ("lon", "real", "经度 WGS84"),
        ("lat", "real", "纬度 WGS84"),
        ("precision", "text", "位置精度"),
        ("location_method", "text", "定位方法"),
        *_SOURCE,
    ),
    "no_coal_zones": _cols(
        ("id", "text", "承诺标识"),
        ("jurisdiction", "text", "承诺所属辖区"),
        ("area_name", "text", "划定范围（如 盐湖区全域）；原文未指明范围时为空"),
        ("action", "text", "划定 | 扩大 | 巩固 | 清零"),
        ("description", "text", "原文表述"),
        ("exclusions", "text", "除外区域/除外用煤"),
        ("deadline_text", "text", "完成时限原文"),
        ("deadline", "date", "规范化截止日期"),
        ("long_term", "boolean", "长期任务"),
        ("area_km2", "real", "原文给出的面积（平方公里）"),
        ("task_id", "text", "对应任务标识"),
        *_SOURCE,
    ),
    "air_targets": _cols(
        ("place", "text", "地点（县城、乡镇）"),
        ("county", "text", "所属县"),
        ("pollutant", "text", "SO2 | NO2 | PM10 | PM2.5 | CO | O3"),
        ("year", "integer", "目标年"),
        ("month", "integer", "月份 1–12；全年为空"),
        ("period", "text", "YYYY-MM 或 YYYY（全年）"),
        ("baseline_year", "integer", "基准年"),
        ("baseline_value", "real", "基准年同期值；原文空白时为空"),
        ("target_value", "real", "目标值"),
        ("unit", "text", "μg/m³（CO 为 mg/m³）"),
        *_SOURCE,
    ),
    "indicators": _cols(
        ("id", "text", "指标标识"),
        ("jurisdiction", "text", "辖区"),
        ("plan", "text", "所属计划"),
        ("category", "text", "类别"),
        ("name", "text", "指标名称"),
        ("unit", "text", "单位"),
        ("baseline_year", "integer", "现状年"),
        ("baseline_value", "text", "现状值（原文）"),
        ("target_year", "integer", "目标年"),
        ("target_value", "text", "目标值（原文）"),
        ("target_number", "real", "目标数值（能解析时）"),
        ("comparison", "text", ">= | <= | = | 空"),
        ("indicator_type", "text", "约束性 | 预期性 | 空"),
        *_SOURCE,
    ),
}

# Tables whose rows come from one document; re-importing the document replaces them.
DOCUMENT_TABLES = tuple(TABLES)

# Tables with point locations (lon/lat + precision). In the store each is a GeoPackage /
# PostGIS feature table with a POINT geometry (EPSG:4326); ``lon``/``lat`` are read from it.
POINT_TABLES = ("sections", "enterprises", "groundwater_points", "drinking_water_sources")

# Where a located record's coordinates came from. The store keeps these beside the geometry
# of every point table (the plan parser does not produce them); ``precision`` and
# ``location_method`` above say how exact the location is and how it was found.
LOCATION_COLUMNS: tuple[Column, ...] = _cols(
    ("location_source", "text", "坐标来源：导入的文件名，或 data/geo/<图层>.geojson（推定位置）；未定位为空"),
    ("location_source_row", "integer", "坐标在导入文件中的行号"),
    ("location_crs", "text", "导入文件的坐标系 wgs84|cgcs2000|gcj02|bd09（坐标已换算为 WGS84）"),
    ("located_at", "text", "写入该位置的时间（UTC，ISO 8601）"),
)

# How a location was found, in order of trust: a user's import (``envmap import-geo``) beats
# coordinates written in a plan, which beat an inferred placement; re-imports and rebuilt
# placements never replace a more trusted location.
IMPORTED = "imported"
FROM_PLAN = "plan"


@dataclass(frozen=True)
class Layer:
    """A bundled map layer (``data/geo/*.geojson`` → a feature table of the store)."""

    geometry: str  # POINT | MULTILINESTRING | MULTIPOLYGON (GeoPackage geometry type names)
    doc: str
    columns: tuple[Column, ...]


LAYERS: dict[str, Layer] = {
    "admin_units": Layer("MULTIPOLYGON", "行政区划边界（省、市、县）", _cols(
        ("adcode", "text", "行政区划代码"),
        ("name", "text", "名称"),
        ("level", "text", "province | city | county"),
        ("city", "text", "所属市（县级单位）"),
        ("source", "text", "数据来源"),
        ("licence", "text", "许可与署名"),
    )),
    **{
        name: Layer("MULTIPOLYGON", doc, _cols(
            ("adcode", "text", "行政区划代码"),
            ("name", "text", "名称"),
            ("level", "text", "county | city"),
            ("city", "text", "所属地级单位（直辖市、省直辖县为省级单位）"),
            ("province", "text", "所属省级单位"),
        ))
        for name, doc in (("china_counties", "全国县级单位边界（简化约 1 公里，任一计划辖区的地图底图）"),
                          ("china_cities", "全国地级单位边界（简化约 1.5 公里）"))
    },
    "rivers": Layer("MULTILINESTRING", "计划涉及的河流（名称统一为计划写法）", _cols(
        ("name", "text", "河流名称（计划写法）"),
        ("name_ngcc", "text", "国家基础地理信息中心数据中的名称"),
        ("in_plans", "boolean", "计划中提到该河流"),
        ("scale", "text", "比例尺"),
        ("source", "text", "数据来源"),
        ("licence", "text", "许可与署名"),
    )),
    "yellow_river_surface": Layer("MULTIPOLYGON", "黄河水面（双线河）", _cols(
        ("name", "text", "名称"),
        ("name_ngcc", "text", "原数据名称"),
        ("scale", "text", "比例尺"),
        ("source", "text", "数据来源"),
        ("licence", "text", "许可与署名"),
    )),
    "towns": Layer("POINT", "乡镇及县城驻地点", _cols(
        ("name", "text", "名称"),
        ("name_geonames", "text", "GeoNames 名称"),
        ("names_zh", "text", "中文别名（以;分隔）"),
        ("county", "text", "所在县（市、区）"),
        ("city", "text", "所在市"),
        ("seat_of", "text", "为哪一县（市、区）的驻地；否则为空"),
        ("geonameid", "integer", "GeoNames 编号"),
        ("precision", "text", "位置精度"),
        ("source", "text", "数据来源"),
        ("licence", "text", "许可与署名"),
    )),
    "reaches": Layer("MULTILINESTRING", "河段：河流按断面切分，每段由一个断面控制", _cols(
        ("river", "text", "河流"),
        ("reach_no", "integer", "河段序号（自上游起）"),
        ("governing", "text", "downstream（下游最近断面控制）等"),
        ("governing_section_id", "text", "控制断面标识（sections.id）"),
        ("governing_section_name", "text", "控制断面名称"),
        ("length_km", "real", "长度（公里）"),
    )),
    "no_coal_zone_areas": Layer("MULTIPOLYGON", "原文指明范围的禁煤区范围面", _cols(
        ("id", "text", "承诺标识（no_coal_zones.id）"),
        ("area_name", "text", "划定范围"),
        ("county", "text", "县（市、区）"),
        ("action", "text", "划定 | 扩大 | 巩固 | 清零"),
        ("deadline", "date", "截止日期"),
        ("exclusions", "text", "除外区域/除外用煤"),
        ("label", "text", "地图标注"),
        ("note", "text", "范围说明（如未精确扣除的区域）"),
        ("source", "text", "来源文件与行号"),
    )),
}


def column_names(table: str) -> list[str]:
    """Column names of ``table`` in their stable export order."""
    return [c.name for c in TABLES[table]]


def stored_columns(table: str) -> list[str]:
    """The columns the store returns for ``table``: the model's, plus where a location came from."""
    return column_names(table) + ([c.name for c in LOCATION_COLUMNS] if table in POINT_TABLES else [])
