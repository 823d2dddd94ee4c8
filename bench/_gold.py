"""Shared helpers for the benchmarks scored on the project's own gold sets (bench/gold/)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

GOLD = Path(__file__).resolve().parent / "gold"


def load_gold(name: str) -> list[dict[str, Any]]:
    """Read bench/gold/NAME.jsonl into a list of records."""
    path = GOLD / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


#: The parts of a gold set, in report order. "fresh" to "fresh5" were each written after the
#: rules were tuned on the parts before them, and scored once before any of their own errors
#: were looked at (bench/RESULTS.md gives those first clean figures).
PARTS = ("dev", "held-out", "fresh", "fresh2", "fresh3", "fresh4", "fresh5")


def split(record: dict[str, Any]) -> str:
    """The part a gold record belongs to.

    "fresh" records (field ``set``: "fresh", "fresh2", ...) were written after the
    tuning that came before them and scored before their errors were looked at; the others are split deterministically by id into
    "dev" (rules were tuned on it) and "held-out".
    """
    if record.get("set", "").startswith("fresh"):
        return str(record["set"])
    digest = hashlib.blake2b(record["id"].encode(), digest_size=8).digest()
    return "dev" if digest[0] % 2 == 0 else "held-out"


def gold_items(record: dict[str, Any], field: str) -> list[tuple[int, int, dict[str, Any]]]:
    """(start, end, item) of each gold item of ``record[field]``, found in text order."""
    out = []
    cursor = 0
    for item in record[field]:
        start, end = gold_span(record["text"], item["text"], cursor)
        cursor = end
        out.append((start, end, item))
    return out


def gold_span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    """Character span of ``needle`` in ``text`` at or after ``after`` (the first occurrence)."""
    start = text.find(needle, after)
    if start < 0:
        start = text.find(needle)
    return start, start + len(needle)
