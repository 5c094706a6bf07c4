"""Headline cards: a value, what it is a share of, and a change that is only coloured when it is one.

Pure HTML (no ``st`` calls). Cards wrap onto new rows on narrow screens instead of cutting
their values ("85.…"), and every text is escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

GOOD, BAD, NEUTRAL = "good", "bad", "neutral"


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    detail: str = ""  # the denominator, in words: "优良 26 / 有监测数据 38 个断面"
    change: str = ""  # "+5.3 个百分点（较2022年）"
    direction: int = 0  # sign of the change: ▲ 1, ▼ -1, none 0
    tone: str = NEUTRAL  # whether the change is good or bad news
    note: str = ""  # a tag such as 示例数据（非实测）
    help: str = ""


def tone_of(change: float | None, higher_is_better: bool) -> str:
    if change is None or abs(change) < 1e-9:
        return NEUTRAL
    return GOOD if (change > 0) == higher_is_better else BAD


def cards_html(cards: list[Card], *, compact: bool = False) -> str:
    """The cards as one grid; ``compact`` for a row of many small counts (task states)."""
    parts = ['<div class="envmap-kpis compact">' if compact else '<div class="envmap-kpis">']
    for card in cards:
        arrow = {1: "▲ ", -1: "▼ "}.get(card.direction, "")
        title = f' title="{html.escape(card.help)}"' if card.help else ""
        parts.append(f'<div class="envmap-kpi"{title}>')
        parts.append(f'<div class="envmap-kpi-label">{html.escape(card.label)}'
                     + (' <span class="envmap-kpi-help">ⓘ</span>' if card.help else "") + "</div>")
        parts.append(f'<div class="envmap-kpi-value">{html.escape(card.value)}</div>')
        if card.detail:
            parts.append(f'<div class="envmap-kpi-detail">{html.escape(card.detail)}</div>')
        if card.change:
            parts.append(f'<div class="envmap-kpi-change {card.tone}">{html.escape(arrow + card.change)}</div>')
        if card.note:
            parts.append(f'<div class="envmap-kpi-note">{html.escape(card.note)}</div>')
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


CSS = """
<style>
.envmap-kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 4px 0 12px; }
.envmap-kpis.compact { grid-template-columns: repeat(auto-fit, minmax(104px, 1fr)); gap: 6px; }
.envmap-kpis.compact .envmap-kpi { padding: 4px 8px; }
.envmap-kpis.compact .envmap-kpi-value { font-size: 1.35rem; }
.envmap-kpi { border: 1px solid #e3e6ea; border-radius: 8px; padding: 8px 12px; background: #fff; min-width: 0; }
.envmap-kpi-label { font-size: 0.86rem; color: #454b55; }
.envmap-kpi-help { color: #8a9099; cursor: help; }
.envmap-kpi-value { font-size: clamp(1.45rem, 2.3vw, 2.1rem); font-weight: 650; line-height: 1.25; color: #1b1f24;
  overflow-wrap: anywhere; }
.envmap-kpi-detail { font-size: 0.8rem; color: #5d636c; line-height: 1.3; }
.envmap-kpi-change { display: inline-block; margin-top: 4px; font-size: 0.8rem; padding: 1px 6px; border-radius: 10px; }
.envmap-kpi-change.good { background: #e6f4ea; color: #1e7b34; }
.envmap-kpi-change.bad { background: #fdecea; color: #b3261e; }
.envmap-kpi-change.neutral { background: #f1f3f4; color: #5f6368; }
.envmap-kpi-note { margin-top: 4px; font-size: 0.75rem; color: #b3261e; font-weight: 600; }
</style>
"""
