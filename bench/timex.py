"""Time expressions: normalised-value accuracy on bench/gold/timex.jsonl, beside dateparser.

The gold set is invented wire copy written for this benchmark, each snippet with
its publication date and every date expression in it (durations, ages and
anaphoric phrases such as "two days after" are not gold). It is split by id
into a dev half (rules were tuned on it) and a held-out half (not looked at
while tuning, except for two bugs it revealed late, fixed after the first
clean measurement), plus a "fresh" part written after all tuning; all three
are reported.

- accuracy: gold expressions found (a predicted span overlapping the gold
  span) with exactly the gold value;
- precision: predicted expressions that overlap a gold span with its value,
  over all predicted expressions.

Peer: ``dateparser.search.search_dates`` over the same snippets with the same
``RELATIVE_BASE`` and ``PREFER_DATES_FROM="past"``; its dates are compared to
gold single-day values (it cannot express ranges, so gold ranges count as
misses for it; the accuracy on single-day gold is printed separately).

Run: ``python -m bench.timex``
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from typing import Any

from bench._gold import PARTS, gold_items, load_gold, split


def _score(records: list[dict[str, Any]], predictions: list[list[tuple[int, int, str | None]]]) -> dict[str, float]:
    found = total = single = single_found = correct_pred = n_pred = 0
    for record, predicted in zip(records, predictions, strict=True):
        spans = [(start, end, item["value"]) for start, end, item in gold_items(record, "times")]
        for start, end, value in spans:
            total += 1
            is_single = value is not None and "/" not in value
            single += is_single
            hit = any(ps < end and start < pe and pv == value for ps, pe, pv in predicted)
            found += hit
            single_found += hit and is_single
        for ps, pe, pv in predicted:
            n_pred += 1
            correct_pred += any(ps < end and start < pe and pv == value for start, end, value in spans)
    return {
        "accuracy": found / total if total else 0.0,
        "precision": correct_pred / n_pred if n_pred else 0.0,
        "single_day_accuracy": single_found / single if single else 0.0,
        "gold": total,
        "predicted": n_pred,
    }


def _accord(records: list[dict[str, Any]]) -> list[list[tuple[int, int, str | None]]]:
    from accord.analyze.nlp import get_nlp
    from accord.analyze.sentences import split_sentences
    from accord.analyze.timex import extract_times

    nlp = get_nlp()
    out = []
    for record in records:
        doc = nlp(record["text"])
        times = extract_times(doc, split_sentences(record["text"]), record["published"])
        out.append([(t.start, t.end, t.value) for t in times])
    return out


def _search_dates(records: list[dict[str, Any]]) -> list[list[tuple[int, int, str | None]]]:
    from dateparser.search import search_dates

    out = []
    for record in records:
        settings: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
        if record["published"]:
            base = dt.date.fromisoformat(record["published"])
            settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
        found = search_dates(record["text"], languages=["en"], settings=settings) or []
        text = record["text"]
        predicted = []
        cursor = 0
        for words, when in found:
            start = text.find(words, cursor)
            if start < 0:
                continue
            cursor = start + len(words)
            predicted.append((start, start + len(words), when.date().isoformat() if record["published"] else None))
        out.append(predicted)
    return out


def main() -> int:
    """Score accord's time expressions and dateparser's search_dates on both halves of the gold set."""
    records = load_gold("timex")
    started = time.perf_counter()
    ours = _accord(records)
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    peer = _search_dates(records)
    peer_s = time.perf_counter() - started
    print(f"time expressions: {len(records)} snippets (accord {ours_s:.1f} s, search_dates {peer_s:.1f} s)")
    print(f"{'half':<9} {'system':<13} {'gold':>5} {'pred':>5} {'accuracy':>9} {'precision':>10} {'1-day acc':>10}")
    for half in PARTS:
        idx = [i for i, r in enumerate(records) if split(r) == half]
        subset = [records[i] for i in idx]
        for name, preds in (("accord", ours), ("search_dates", peer)):
            s = _score(subset, [preds[i] for i in idx])
            print(f"{half:<9} {name:<13} {s['gold']:>5} {s['predicted']:>5} {s['accuracy']:>9.3f} "
                  f"{s['precision']:>10.3f} {s['single_day_accuracy']:>10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
