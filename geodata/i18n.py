"""User-facing text, in one place. Chinese is the default; an English UI is a translation.

``t(key, **values)`` formats the message of ``key`` in the current language
(``ENVMAP_LANG=en`` or :func:`set_language`), falling back to Chinese.
"""

from __future__ import annotations

import os

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "cli_help": "envmap — 生态环境一张图：把行动计划变成地图与台账。",
        "error": "错误",
        "warning": "提示",
        "build_start": "正在从 {n} 份行动计划生成数据集 → {out}",
        "imported": "已导入 {file}（{id}）：{title}",
        "exported": "已导出 {table} 共 {n} 行 → {out}",
        "geo_imported": "已从 {file} 更新 {layer} 的 {n} 个位置（精度 exact，坐标已换算为 WGS84）",
        "app_title": "生态环境一张图",
        "page_overview": "总览",
        "page_tasks": "任务台账",
        "page_sources": "数据说明",
        "sidebar_jurisdiction": "市/县",
        "all": "全部",
        "documents": "行动计划文件",
        "counts": "数据概况",
        "download_csv": "下载 CSV",
        "no_tasks": "没有符合条件的任务。",
        "store_error": "无法打开数据库：{error}",
        "filter_domain": "领域",
        "filter_status": "状态",
        "search": "搜索任务内容",
        "domain_water": "水环境",
        "domain_air": "大气",
        "domain_soil": "土壤",
        "domain_groundwater": "地下水",
        "domain_comprehensive": "综合",
        "map_pending": "地图图层（断面、河流、企业位置）将在地理数据就绪后显示；目前所有位置精度为“未定位”。",
        "sources_intro": "所有数据来自下列公开发布的行动计划，每条记录都保留来源文件与行号。",
    },
    "en": {
        "cli_help": "envmap — environmental action plans on one map.",
        "error": "Error",
        "warning": "Note",
        "build_start": "Building the dataset from {n} plans → {out}",
        "imported": "Imported {file} ({id}): {title}",
        "exported": "Exported {n} rows of {table} → {out}",
        "geo_imported": "Updated {n} locations of {layer} from {file} (precision exact, converted to WGS84)",
        "app_title": "Eco-environment map",
        "page_overview": "Overview",
        "page_tasks": "Task ledger",
        "page_sources": "About the data",
        "sidebar_jurisdiction": "City/county",
        "all": "All",
        "documents": "Plan documents",
        "counts": "Data at a glance",
        "download_csv": "Download CSV",
        "no_tasks": "No task matches.",
        "store_error": "Cannot open the database: {error}",
        "filter_domain": "Domain",
        "filter_status": "Status",
        "search": "Search task text",
        "domain_water": "Water",
        "domain_air": "Air",
        "domain_soil": "Soil",
        "domain_groundwater": "Groundwater",
        "domain_comprehensive": "Comprehensive",
        "map_pending": "Map layers appear once the geodata is built; all locations are 'not placed' for now.",
        "sources_intro": "All data comes from these published plans; every record keeps its file and line.",
    },
}

_language = os.environ.get("ENVMAP_LANG", "zh")


def set_language(language: str) -> None:
    global _language
    _language = language if language in MESSAGES else "zh"


def language() -> str:
    return _language


def t(key: str, **values: object) -> str:
    text = MESSAGES.get(_language, {}).get(key) or MESSAGES["zh"][key]
    return text.format(**values) if values else text
