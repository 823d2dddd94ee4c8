"""The bundled example story against its expected answers: are the planted discrepancies found?

Runs the same stages as ``accord report`` on examples/harbour-fire and compares
the discrepancies with harbour-fire.expected.json: a reported discrepancy matches a planted
one when kind and value set agree (attribution values by surname). Recall over
the planted ones, precision over the reported ones, plus the traps
(``not_discrepancies``) and the attribution. Beside it, a naive peer on the same
analysis: every pair of quantities with the same unit word and different values
in two articles is a discrepancy.

Run: python -m bench.example_story
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "harbour-fire"


def _analyzed() -> list:
    from accord.analyze import analyze_many
    from accord.analyze.entities import merge_story_entities
    from accord.dates import assign_story_dates
    from accord.ingest import read

    articles = assign_story_dates(read([EXAMPLE]).articles)
    return merge_story_entities(list(analyze_many(articles)))


def _key(kind: str, values: list[str]) -> tuple[str, frozenset[str]]:
    if kind == "attribution":
        return kind, frozenset(v.split()[-1].lower() for v in values)
    return kind, frozenset(v.lower() for v in values)


def _naive(analyzed: list) -> list[tuple[str, frozenset[str]]]:
    found = set()
    quantities = [(a.article.id, q) for a in analyzed for q in a.quantities if q.unit]
    for i, (ai, qi) in enumerate(quantities):
        for aj, qj in quantities[i + 1:]:
            if ai != aj and qi.unit.lower() == qj.unit.lower() and str(qi.value) != str(qj.value):
                values = [_text(qi.value), _text(qj.value)]
                found.add(("quantity", frozenset(values)))
    return sorted(found, key=str)


def _text(value: float | str) -> str:
    if isinstance(value, str):
        return value.lower()
    return str(int(value)) if float(value).is_integer() else str(value)


def _score(reported: list[tuple[str, frozenset[str]]], expected: list[tuple[str, frozenset[str]]],
           traps: list[frozenset[str]]) -> tuple[float, float, int]:
    hits = [e for e in expected if e in reported]
    correct = [r for r in reported if r in expected]
    trapped = sum(1 for t in traps if any(r[1] >= t and len(t) >= 2 for r in reported))
    recall = len(hits) / len(expected) if expected else 1.0
    precision = len(correct) / len(reported) if reported else 1.0
    return recall, precision, trapped


def main() -> int:
    """Print recall and precision of the planted discrepancies, accord beside a naive peer."""
    expected_path = EXAMPLE.parent / "harbour-fire.expected.json"
    if not expected_path.is_file():
        print(f"example story not found at {EXAMPLE}; skipping")
        return 0
    from accord.corroborate import corroborate

    gold = json.loads(expected_path.read_text("utf-8"))
    expected = [_key(d["kind"], list(d["values"])) for d in gold["discrepancies"]]
    traps = [frozenset(v.lower() for v in t["values"]) for t in gold.get("not_discrepancies", [])]
    analyzed = _analyzed()
    story = corroborate("example", "example", analyzed)
    reported = [_key(d.kind, [v.value for v in d.values]) for d in story.discrepancies]
    recall, precision, trapped = _score(reported, expected, traps)
    naive = _naive(analyzed)
    n_recall, n_precision, n_trapped = _score(naive, expected, traps)
    print("examples/harbour-fire: planted discrepancies")
    print(f"{'':<28} {'recall':>7} {'precision':>10} {'reported':>9} {'traps hit':>10}")
    print(f"{'accord':<28} {recall:7.2f} {precision:10.2f} {len(reported):9d} {trapped:10d}/{len(traps)}")
    print(f"{'naive same-unit peer':<28} {n_recall:7.2f} {n_precision:10.2f} {len(naive):9d} {n_trapped:10d}/{len(traps)}")
    for d in story.discrepancies:
        mark = "ok " if _key(d.kind, [v.value for v in d.values]) in expected else "EXTRA"
        values = " vs ".join(f"{v.value} {list(v.articles)}" for v in d.values)
        print(f"  {mark} {d.kind:<11} conflict={str(d.conflict):<5} {d.about}: {values}")
    for e in expected:
        if e not in reported:
            print(f"  MISSED {e[0]} {sorted(e[1])}")
    # Conflict flags of the matched ones.
    flags = {(_key(d["kind"], list(d["values"]))): d["conflict"] for d in gold["discrepancies"]}
    right = sum(1 for d in story.discrepancies
                if flags.get(_key(d.kind, [v.value for v in d.values])) == d.conflict)
    print(f"conflict flag right on {right}/{len(expected)} planted discrepancies")
    speakers = {q["contains"]: q["speaker"] for q in gold.get("quotes", [])}
    good = sum(1 for c, s in speakers.items() if any(c in g.text and g.speaker == s for g in story.quotes))
    print(f"quote speakers right: {good}/{len(speakers)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
