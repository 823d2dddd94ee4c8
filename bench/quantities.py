"""Quantity extraction on NewsQuant (dev rows), beside quantulum3 in the same run.

Data: ``newsquant_dev.json`` (see shared/data/README.md): sentences with every quantity
annotated as ``value`` (a number, or a range "low-high"), ``unit`` and ``change``.

Split: rows with an even index form the *tune* half; rows with an odd index are *held
out*, and their errors were never looked at. The dev file is every even row of the full
NewsQuant test set; its other 295 rows (``NewsQuant.json`` in the CQE_Evaluation
repository, not shipped here) were also used to find errors. Point ``ACCORD_NEWSQUANT_FULL``
at that file to score those rows too, as ``extra``. The held-out figure is the one to quote.

Matching, per sentence (gold has no character spans, so spans are not compared):
- a prediction matches a gold quantity when their values are equal within a relative
  tolerance of 1e-3 (ranges: both ends equal; a gold range also matches a prediction
  whose value and ``upper`` are its ends). Each gold and each prediction matches at
  most once (greedy, in text order).
- value F1: precision = matches / predictions, recall = matches / gold quantities.
- value+change F1: a match counts only when the qualifier agrees with the gold
  ``change``. accord's ``>=`` is compared as ``>`` and ``<=`` as ``<`` (NewsQuant writes
  "at least" as ``>`` and "up to" as ``<``). Gold quantities whose change is ``up`` or
  ``down`` (a rise or fall, not a qualifier) are left out of this score, together with
  the prediction matched to them.
- NewsQuant does not annotate vague words like "several" or "a few"; it writes
  "dozens" as 12 and "hundreds"/"thousands"/"millions" as the range up to ten times.
  accord's vague values are mapped the same way; other vague words are not scored.
- quantulum3 (``USE_CLF = False``, its classifier fails with this scikit-learn) has no
  qualifiers: its predictions are scored with ``=`` (a range it reports through
  ``uncertainty`` as value +- uncertainty).

Run: ``python -m bench.quantities``; published figures on the full NewsQuant set:
CQE value F1 92.0, value+change F1 88.1; quantulum3 value F1 73.0.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

Value = tuple[float, float | None]  # (value or low end, high end of a range or None)
Prediction = tuple[Value, str]  # (value, qualifier)

_VAGUE_AS_NEWSQUANT: dict[str, Value] = {
    "dozens": (12.0, None),
    "hundreds": (100.0, 1000.0),
    "thousands": (1000.0, 10000.0),
    "millions": (1e6, 1e7),
    "billions": (1e9, 1e10),
    "tens of thousands": (1e4, 1e5),
    "hundreds of thousands": (1e5, 1e6),
    "tens of millions": (1e7, 1e8),
    "hundreds of millions": (1e8, 1e9),
}
# Lines on which an extractor raised (it reports them as an empty answer), by extractor name.
_ERRORED: dict[str, int] = {}
_QUALIFIER_AS_CHANGE = {"=": "=", "~": "~", ">": ">", "<": "<", ">=": ">", "<=": "<"}


def _data_dir() -> Path:
    return Path(os.environ.get("ACCORD_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")


def _gold_value(raw: str) -> Value | None:
    text = str(raw).strip()
    try:
        return (float(text), None)
    except ValueError:
        pass
    # Ranges: "252.0-287.0", "3.0 - 4.0" (never negative numbers in this set).
    parts = [p.strip() for p in text.split("-") if p.strip()]
    if len(parts) == 2:
        try:
            return (float(parts[0]), float(parts[1]))
        except ValueError:
            return None
    return None


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-3 * max(abs(a), abs(b), 1.0)


def _same_value(gold: Value, pred: Value) -> bool:
    if gold[1] is None or pred[1] is None:
        return gold[1] is None and pred[1] is None and _close(gold[0], pred[0])
    return _close(gold[0], pred[0]) and _close(gold[1], pred[1])


def _accord_predictions(texts: Sequence[str]) -> list[list[Prediction]]:
    from accord.analyze.quantities import quantities_per_line

    out: list[list[Prediction]] = []
    errored = 0
    for result in quantities_per_line(texts):
        errored += "error" in result
        predictions: list[Prediction] = []
        for q in result["quantities"]:
            if q["kind"] == "vague":
                mapped = _VAGUE_AS_NEWSQUANT.get(str(q["value"]).lower())
                if mapped is not None:
                    predictions.append((mapped, q["qualifier"]))
                continue
            if q.get("previous") is not None:
                # NewsQuant writes a change "from X to Y" as the range "X-Y".
                predictions.append(((float(q["previous"]), float(q["value"])), q["qualifier"]))
                continue
            upper = float(q["upper"]) if q["upper"] is not None else None
            predictions.append(((float(q["value"]), upper), q["qualifier"]))
        out.append(predictions)
    _ERRORED["accord"] = errored
    return out


def _quantulum_predictions(texts: Sequence[str]) -> list[list[Prediction]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import classifier, parser

        classifier.USE_CLF = False
        out: list[list[Prediction]] = []
        errored = 0
        for text in texts:
            predictions: list[Prediction] = []
            try:
                found = parser.parse(text)
            except Exception:  # noqa: BLE001 - a peer failing on a sentence scores as no answer
                found = []
                errored += 1
            for q in found:
                uncertainty = getattr(q, "uncertainty", None)
                if uncertainty:
                    predictions.append(((q.value - uncertainty, q.value + uncertainty), "="))
                else:
                    predictions.append(((float(q.value), None), "="))
            out.append(predictions)
    _ERRORED["quantulum3"] = errored
    return out


def _score(rows: Sequence[dict], predictions: Sequence[list[Prediction]]) -> dict[str, float]:
    tp = n_pred = n_gold = 0
    tp_c = n_pred_c = n_gold_c = 0
    for row, preds in zip(rows, predictions, strict=True):
        gold = [(_gold_value(q["value"]), q["change"]) for q in row["quantities"]]
        gold = [(v, c) for v, c in gold if v is not None]
        n_gold += len(gold)
        n_pred += len(preds)
        used: set[int] = set()
        comparable_gold = sum(1 for _, c in gold if c in _QUALIFIER_AS_CHANGE)
        excluded_preds = 0
        for value, change in gold:
            for index, (pred_value, qualifier) in enumerate(preds):
                if index in used or not _same_value(value, pred_value):
                    continue
                used.add(index)
                tp += 1
                if change not in _QUALIFIER_AS_CHANGE:
                    excluded_preds += 1
                elif _QUALIFIER_AS_CHANGE.get(qualifier) == change:
                    tp_c += 1
                break
        n_gold_c += comparable_gold
        n_pred_c += len(preds) - excluded_preds
    return {
        "value_f1": _f1(tp, n_pred, n_gold),
        "value_change_f1": _f1(tp_c, n_pred_c, n_gold_c),
        "precision": 100 * tp / n_pred if n_pred else 0.0,
        "recall": 100 * tp / n_gold if n_gold else 0.0,
        "gold": n_gold,
    }


def _f1(tp: int, n_pred: int, n_gold: int) -> float:
    if not tp:
        return 0.0
    precision, recall = tp / n_pred, tp / n_gold
    return 100 * 2 * precision * recall / (precision + recall)


def _run(name: str, extract: Callable[[Sequence[str]], list[list[Prediction]]], halves: dict[str, list[dict]]) -> None:
    for half, rows in halves.items():
        started = time.perf_counter()
        predictions = extract([r["text"] for r in rows])
        elapsed = time.perf_counter() - started
        s = _score(rows, predictions)
        low, high = _bootstrap(rows, predictions)
        print(
            f"{name:<11} {half:<9} value F1 {s['value_f1']:5.1f} (P {s['precision']:5.1f} R {s['recall']:5.1f})"
            f"  value+change F1 {s['value_change_f1']:5.1f}  gold {s['gold']:3d}  {elapsed:5.1f} s"
            f"  errored lines {_ERRORED.get(name, 0)}"
        )
        print(f"{'':<21} 95% interval over sentences: value F1 {low[0]:.1f}-{high[0]:.1f}, value+change F1 {low[1]:.1f}-{high[1]:.1f}")


def _bootstrap(rows: Sequence[dict], predictions: Sequence[list[Prediction]], rounds: int = 1000) -> tuple[tuple[float, float], tuple[float, float]]:
    """2.5th and 97.5th percentiles of both F1 scores over sentences drawn with replacement (fixed seed)."""
    rng = random.Random(13)
    pairs = list(zip(rows, predictions, strict=True))
    values: list[float] = []
    changes: list[float] = []
    for _ in range(rounds):
        sample = [pairs[rng.randrange(len(pairs))] for _ in pairs]
        s = _score([r for r, _ in sample], [p for _, p in sample])
        values.append(s["value_f1"])
        changes.append(s["value_change_f1"])
    values.sort()
    changes.sort()
    lo, hi = int(0.025 * rounds), int(0.975 * rounds) - 1
    return (values[lo], changes[lo]), (values[hi], changes[hi])


def main() -> int:
    """Score accord and quantulum3 on both halves of the NewsQuant dev rows."""
    path = _data_dir() / "newsquant_dev.json"
    if not path.exists():
        print(f"bench.quantities: {path} not found; skipping")
        return 0
    rows = json.loads(path.read_text("utf-8"))
    halves = {"tune": rows[0::2], "held-out": rows[1::2]}
    full = os.environ.get("ACCORD_NEWSQUANT_FULL")
    if full and Path(full).is_file():
        in_dev = {row["text"] for row in rows}
        halves["extra"] = [row for row in json.loads(Path(full).read_text("utf-8")) if row["text"] not in in_dev]
    print(f"NewsQuant dev: {len(rows)} sentences; tune = even rows, held-out = odd rows (not looked at)")
    _run("accord", _accord_predictions, halves)
    _run("quantulum3", _quantulum_predictions, halves)
    print("published (full NewsQuant): CQE value F1 92.0, value+change F1 88.1; quantulum3 value F1 73.0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
