"""Briefings: exported maps that stand on their own in a slide, and the workbook behind them.

``make_brief(source, request)`` renders one view (area, subject, period, as-of date, layers and
filters) as a PNG or PDF page — title, subtitle with the data and as-of dates, the map on our vector
basemap with labels that do not collide, legends, scale bar, north arrow, key figures, sources,
location precision, the sample watermark where sample values appear and the map-use mark — and an
Excel workbook with the same numbers. The data come from a :class:`ViewSource` (the dashboard's
cached views, or :class:`StoreSource` on the command line), so an export carries the screen's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from geodata.brief.content import BriefContent, KeyFigure, build_content
from geodata.brief.request import FORMATS, LAYOUTS, PRINT_DPI, SCREEN_DPI, SUBJECTS, BriefRequest, Filters
from geodata.brief.source import StoreSource, ViewSource

__all__ = ["FORMATS", "LAYOUTS", "PRINT_DPI", "SCREEN_DPI", "SUBJECTS", "Brief", "BriefContent", "BriefRequest",
           "Filters", "KeyFigure", "StoreSource", "ViewSource", "build_content", "make_brief", "map_mark"]


@dataclass(frozen=True)
class Brief:
    request: BriefRequest
    content: BriefContent
    image: bytes  # PNG or PDF, as requested
    workbook: bytes  # .xlsx of the figures and tables behind the image

    @property
    def filename(self) -> str:
        return f"{self.request.file_stem}.{self.request.fmt}"

    @property
    def workbook_filename(self) -> str:
        return f"{self.request.file_stem}.xlsx"


def map_mark() -> str:
    """The configured 审图号 (``ENVMAP_MAP_APPROVAL``), or "" for the default 内部资料 mark."""
    import os

    return os.environ.get("ENVMAP_MAP_APPROVAL", "").strip()


def make_brief(source: ViewSource, request: BriefRequest) -> Brief:
    """The export of ``request``: the page (PNG/PDF bytes) and its workbook, from ``source``."""
    from geodata.brief.render import figure_bytes, render_figure
    from geodata.brief.workbook import workbook_bytes

    content = build_content(source, request)
    figure = render_figure(content, source)
    image = figure_bytes(figure, request.fmt, request.dpi)
    return Brief(request, content, image, workbook_bytes(content))
