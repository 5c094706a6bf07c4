"""Extractor stub, replaced by the real one."""

from __future__ import annotations


def extract(ctx, found):  # noqa: ANN001, ANN201
    return {}
