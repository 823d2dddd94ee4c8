"""Quotes: speaker accuracy on bench/gold/quotes.jsonl, beside a nearest-person baseline.

The gold set is invented news copy written for this benchmark: snippets with
every direct quotation and its speaker's full name (null for anonymous or
unnamed sources). It is split by id into a dev half (rules were tuned on it)
and a held-out half (not looked at while tuning, except for two bugs it
revealed late, fixed after the first clean measurement), plus a "fresh" part
written after all tuning; all three are reported.

- speaker accuracy: gold quotes found (a predicted quote overlapping the gold
  quote) whose speaker equals the gold speaker (None == null counts);
- quotes found: the share of gold quotes found at all;
- wrong named speaker: predicted quotes with a name different from gold
  (the costly error: a named speaker who did not say it).

Peer, in the same run: quote marks paired the same way, speaker = the nearest
PERSON entity of spaCy in the same sentence (None if there is none).

Run: ``python -m bench.quotes``
"""

from __future__ import annotations

import sys
import time
from typing import Any

from bench._gold import PARTS, gold_items, load_gold, split

Pred = list[tuple[int, int, str | None]]


def _score(records: list[dict[str, Any]], predictions: list[Pred]) -> dict[str, float]:
    total = found = correct = wrong_named = 0
    for record, predicted in zip(records, predictions, strict=True):
        for start, end, item in gold_items(record, "quotes"):
            total += 1
            match = [p for p in predicted if p[0] < end and start < p[1]]
            if not match:
                continue
            found += 1
            speaker = match[0][2]
            if speaker == item["speaker"]:
                correct += 1
            elif speaker is not None:
                wrong_named += 1
    return {"gold": total, "found": found / total, "accuracy": correct / total, "wrong_named": wrong_named}


def _accord(records: list[dict[str, Any]]) -> tuple[list[Pred], list[Pred]]:
    from accord.analyze.entities import extract_entities
    from accord.analyze.nlp import get_nlp
    from accord.analyze.quotes import _find_quotes, extract_quotes
    from accord.analyze.sentences import split_sentences

    nlp = get_nlp()
    ours: list[Pred] = []
    peer: list[Pred] = []
    for record in records:
        text = record["text"]
        doc = nlp(text)
        sentences = split_sentences(text)
        entities = extract_entities(doc, sentences)
        ours.append([(q.start, q.end, q.speaker) for q in extract_quotes(doc, sentences, entities)])
        peer_pred = []
        for raw in _find_quotes(text):
            sentence = next((s for s in sentences if s.start <= raw.start < s.end), None)
            lo, hi = (sentence.start, sentence.end) if sentence else (0, len(text))
            people = [e for e in doc.ents if e.label_ == "PERSON" and lo <= e.start_char < hi
                      and not raw.mark_start <= e.start_char < raw.mark_end]
            nearest = min(people, key=lambda e: min(abs(e.start_char - raw.mark_end), abs(raw.mark_start - e.end_char)),
                          default=None)
            peer_pred.append((raw.start, raw.end, nearest.text if nearest is not None else None))
        peer.append(peer_pred)
    return ours, peer


def main() -> int:
    """Score accord's quote attribution and the nearest-person baseline on both halves of the gold set."""
    records = load_gold("quotes")
    started = time.perf_counter()
    ours, peer = _accord(records)
    print(f"quotes: {len(records)} snippets, {sum(len(r['quotes']) for r in records)} gold quotes "
          f"({time.perf_counter() - started:.1f} s)")
    print(f"{'half':<9} {'system':<16} {'gold':>5} {'found':>6} {'speaker acc':>12} {'wrong name':>11}")
    for half in PARTS:
        idx = [i for i, r in enumerate(records) if split(r) == half]
        subset = [records[i] for i in idx]
        for name, preds in (("accord", ours), ("nearest-PERSON", peer)):
            s = _score(subset, [preds[i] for i in idx])
            print(f"{half:<9} {name:<16} {s['gold']:>5} {s['found']:>6.3f} {s['accuracy']:>12.3f} {s['wrong_named']:>11}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
