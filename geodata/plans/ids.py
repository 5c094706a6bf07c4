"""Stable record ids, and re-keying recorded progress when a document is imported again.

A task id is the document id and a digest of the task's own words and place in the plan:
plan title, table, category, title and content (normalised: spaces, full-width digits and
punctuation do not count). It does not depend on the task's position, so a re-import of the
same text, or of a text with tasks added or removed elsewhere, gives each task its old id.
Two tasks with the same words in the same place get ``-2``, ``-3`` … in document order.

Stores made by earlier versions hold progress reports (now ``task_events.task_id``) keyed by the
old positional ids ("运政办发〔2023〕15号/1/3"). :func:`match_task_ids` pairs an old task list
with a new one by source line and content, so the store can move each report to the task that
still states the same thing, and name the reports whose task is gone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher

from geodata.plans.text import normalize_digits

_DROP = re.compile(r"[\s\u3000，,。．.；;：:、“”\"'（）()〔〕\[\]【】《》]")


def normalized(text: object) -> str:
    """Text reduced to what identifies it: no spaces or punctuation, half-width digits."""
    return _DROP.sub("", normalize_digits(str(text or "")))


def digest(*parts: object, size: int = 5) -> str:
    key = "|".join(normalized(p) for p in parts)
    return hashlib.blake2b(key.encode("utf-8"), digest_size=size).hexdigest()


def assign_task_ids(document_id: str, records: list[dict[str, object]]) -> None:
    """Give every task record its stable ``id`` (in place), unique within the document."""
    used: dict[str, int] = {}
    for rec in records:
        base = f"{document_id}/{digest(rec.get('plan'), rec.get('table'), rec.get('category'), rec.get('title'), rec.get('content'))}"
        n = used.get(base, 0) + 1
        used[base] = n
        rec["id"] = base if n == 1 else f"{base}-{n}"


Row = Mapping[str, object]


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def match_task_ids(old_rows: Iterable[Row], new_rows: Iterable[Row]) -> tuple[dict[str, str], list[str]]:
    """Pair old task ids with new ones: ``({old_id: new_id}, [old ids without a match])``.

    Pure: rows are mappings with ``id``, ``source_line``, ``title``, ``content``. Matching,
    each new task taken at most once, in this order: the same id; the same source line and
    content; the same content (unique on both sides); the same source line and content at
    least 60 % alike (or starting with the same words); content at least 90 % alike (the best,
    when it is unambiguous).
    """
    old = [dict(r) for r in old_rows]
    new = [dict(r) for r in new_rows]
    taken: set[str] = set()
    mapping: dict[str, str] = {}

    def text_of(r: dict[str, object]) -> str:
        return normalized(f"{r.get('title', '')}{r.get('content', '')}")

    def line_of(r: dict[str, object]) -> str:
        return str(r.get("source_line", "") or "")

    new_ids = {str(r["id"]) for r in new}
    for r in old:
        oid = str(r["id"])
        if oid in new_ids:
            mapping[oid] = oid
            taken.add(oid)

    def pair(rule) -> None:  # noqa: ANN001
        for r in old:
            oid = str(r["id"])
            if oid in mapping:
                continue
            nid = rule(r)
            if nid and nid not in taken:
                mapping[oid] = nid
                taken.add(nid)

    by_line_text: dict[tuple[str, str], list[str]] = {}
    by_text: dict[str, list[str]] = {}
    for r in new:
        by_line_text.setdefault((line_of(r), text_of(r)), []).append(str(r["id"]))
        by_text.setdefault(text_of(r), []).append(str(r["id"]))
    old_text_count: dict[str, int] = {}
    for r in old:
        old_text_count[text_of(r)] = old_text_count.get(text_of(r), 0) + 1

    def same_line_and_text(r: dict[str, object]) -> str | None:
        ids = [i for i in by_line_text.get((line_of(r), text_of(r)), []) if i not in taken]
        return ids[0] if ids else None

    def same_text(r: dict[str, object]) -> str | None:
        ids = [i for i in by_text.get(text_of(r), []) if i not in taken]
        return ids[0] if len(ids) == 1 and old_text_count[text_of(r)] == 1 else None

    def close_on_same_line(r: dict[str, object]) -> str | None:
        """Edited in place: the same line, and content at least 60 % alike or starting alike."""
        def content(x: dict[str, object]) -> str:
            return normalized(x.get("content", ""))

        candidates = [
            (s, str(n["id"])) for n in new if line_of(n) == line_of(r) and str(n["id"]) not in taken
            for s in [_similarity(content(r), content(n))]
            if s >= 0.6 or (len(content(r)) >= 6 and content(n).startswith(content(r)[:6]))
        ]
        return max(candidates)[1] if candidates else None

    def close_anywhere(r: dict[str, object]) -> str | None:
        scores = sorted(
            ((_similarity(text_of(r), text_of(n)), str(n["id"])) for n in new if str(n["id"]) not in taken),
            reverse=True,
        )
        if not scores or scores[0][0] < 0.9:
            return None
        if len(scores) > 1 and scores[1][0] >= scores[0][0] - 0.02:
            return None
        return scores[0][1]

    for rule in (same_line_and_text, same_text, close_on_same_line, close_anywhere):
        pair(rule)
    orphans = [str(r["id"]) for r in old if str(r["id"]) not in mapping]
    return mapping, orphans
