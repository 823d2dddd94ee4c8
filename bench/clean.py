"""Boilerplate removal from plain text, scored line by line on bench/gold/clean.jsonl.

The gold set is invented article text written for this benchmark after the
cleaning rules were written, and not used to tune them: twelve articles whose
lines are marked as body or boilerplate (navigation, share bars, newsletter
prompts, comment threads, related and most-read lists, captions, bylines, date
lines, a repeated title or paragraph, wire sign-offs).

- boilerplate precision / recall / F1: over lines marked boilerplate;
- body kept: the share of body lines that survive (what matters most: a lost
  sentence is worse than a leftover menu entry).

Peer, in the same run: jusText (the paragraph classifier trafilatura falls back
on), given the same lines as HTML paragraphs, with its English stoplist and the
thresholds trafilatura uses for it (its defaults call every short news paragraph
boilerplate).

Run: ``python -m bench.clean``
"""

from __future__ import annotations

import html
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench._gold import load_gold

Judge = Callable[[dict[str, Any]], list[bool]]  # one "removed?" flag per gold line


def accord_removed(record: dict[str, Any]) -> list[bool]:
    """Which lines accord's cleaner removes (in order, a stripped dateline still counts as kept)."""
    from accord.clean import clean_text

    lines = [line["text"] for line in record["lines"]]
    cleaned, _ = clean_text("\n\n".join(lines), record["title"])
    return _aligned(lines, cleaned.split("\n\n"))


def justext_removed(record: dict[str, Any]) -> list[bool]:
    """Which lines jusText calls boilerplate."""
    import justext

    lines = [line["text"] for line in record["lines"]]
    page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
    classified = justext.justext(
        page, justext.get_stoplist("English"), length_low=50, length_high=150, stopwords_low=0.1,
        stopwords_high=0.2, max_link_density=0.25, max_heading_distance=150, no_headings=True,
    )
    paragraphs = [p.text for p in classified if not p.is_boilerplate]
    return _aligned(lines, paragraphs)


def _aligned(lines: Sequence[str], kept: Sequence[str]) -> list[bool]:
    removed = []
    cursor = 0
    for line in lines:
        if cursor < len(kept) and kept[cursor] and line.endswith(kept[cursor].strip()):
            removed.append(False)
            cursor += 1
        else:
            removed.append(True)
    return removed


def score(records: Sequence[dict[str, Any]], judge: Judge) -> dict[str, float]:
    """Line-level boilerplate precision, recall, F1 and the share of body lines kept."""
    tp = fp = fn = body = body_kept = 0
    for record in records:
        for line, removed in zip(record["lines"], judge(record), strict=True):
            if line["boilerplate"]:
                tp += removed
                fn += not removed
            else:
                body += 1
                body_kept += not removed
                fp += removed
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "body_kept": body_kept / body if body else 0.0}


def main() -> int:
    """Print accord's scores beside jusText's."""
    records = load_gold("clean")
    lines = sum(len(r["lines"]) for r in records)
    print(f"boilerplate removal: {len(records)} invented articles, {lines} lines (bench/gold/clean.jsonl)")
    print(f"{'system':<10} {'bp precision':>12} {'bp recall':>10} {'bp F1':>7} {'body kept':>10} {'ms/article':>11}")
    for name, judge in (("accord", accord_removed), ("jusText", justext_removed)):
        judge(records[0])  # import and warm up outside the timing
        started = time.perf_counter()
        result = score(records, judge)
        elapsed = (time.perf_counter() - started) * 1000 / len(records)
        print(
            f"{name:<10} {result['precision']:>12.3f} {result['recall']:>10.3f} {result['f1']:>7.3f} "
            f"{result['body_kept']:>10.3f} {elapsed:>11.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
