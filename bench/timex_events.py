"""Time expression events: is the clause a date is attached to the event it dates?

Each gold time expression in bench/gold/timex.jsonl that dates an event carries
``event = {"head": lemma, "must": [words]}``, written by reading the snippet
(``null`` for expressions that date nothing in particular: trailing
attributions such as ", officials said Tuesday", "the highest since 1992").
Parts as in bench/timex.py: dev (rules were tuned on its errors), held-out and
fresh (not looked at while tuning).

For every gold expression with an event:

- head accuracy: the event text, parsed on its own with accord's spaCy
  pipeline, has the gold ``head`` as its main word (the root's lemma or text,
  a verb reached from the root through ``xcomp``: "is expected to visit", a
  copula's predicate: "is due", or a noun root's participle);
- completeness: every ``must`` word (subject head, object or complement head,
  particle) occurs in the event text (as a word, or as a word's lemma);
- fragment rate: events given that miss a ``must`` word, over events given.

A gold expression accord does not find (no predicted span overlaps it) counts
as no event: a head miss and incomplete.

Peer, measured in the same run on the same parses and the gold spans: the
governing verb of the expression in spaCy's dependency parse (first verb or
auxiliary up the head chain) with its auxiliaries, negation and the full
subtrees of its direct subjects and objects, in text order, without the
expression itself; the whole sentence when no verb governs it.

Run: ``python -m bench.timex_events`` (``--errors`` prints the dev part's misses)
"""

from __future__ import annotations

import re
import sys
import time
from typing import Any

from bench._gold import PARTS, gold_items, load_gold, split

_PEER_DEPS = {"nsubj", "nsubjpass", "dobj"}
_PEER_VERB_DEPS = {"aux", "auxpass", "neg"}


def _gold_items(record: dict[str, Any]) -> list[tuple[int, int, dict[str, Any] | None]]:
    return [(start, end, item.get("event")) for start, end, item in gold_items(record, "times")]


def _accord(doc: Any, record: dict[str, Any]) -> list[str | None]:
    from accord.analyze.sentences import split_sentences
    from accord.analyze.timex import extract_times

    times = extract_times(doc, split_sentences(record["text"]), record["published"])
    events = []
    for start, end, _ in _gold_items(record):
        hit = next((t for t in times if t.start < end and start < t.end), None)
        events.append(hit.event if hit is not None else None)
    return events


def _peer(doc: Any, record: dict[str, Any]) -> list[str | None]:
    events = []
    for start, end, _ in _gold_items(record):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            events.append(None)
            continue
        token = span.root
        verb = None
        for _ in range(10):
            if token.pos_ in {"VERB", "AUX"}:
                verb = token
                break
            if token.head is token:
                break
            token = token.head
        if verb is None:
            events.append(span.sent.text.strip())
            continue
        keep = {verb.i}
        for child in verb.children:
            if child.dep_ in _PEER_DEPS:
                keep.update(t.i for t in child.subtree)
            elif child.dep_ in _PEER_VERB_DEPS:
                keep.add(child.i)
        words = [doc[i] for i in sorted(keep) if not (start <= doc[i].idx < end) and not doc[i].is_punct]
        events.append(" ".join(t.text for t in words) or None)
    return events


def _heads(parsed: Any) -> set[str]:
    """The main words of a parsed event: each sentence root and what it reaches through xcomp.

    A copula root also gives its predicate ("is due"), a noun root its
    participle ("A landslide buried ...", a frequent misparse of the small model).
    """
    out: set[str] = set()
    for sent in parsed.sents:
        node = sent.root
        copula = node.lemma_ == "be"
        noun = node.pos_ in {"NOUN", "PROPN"}
        extra = [c for c in node.children
                 if (copula and c.dep_ in {"acomp", "attr"}) or (noun and c.dep_ == "acl")]
        out.update(w for c in extra for w in (c.lemma_.lower(), c.lower_))
        for _ in range(4):
            out.update({node.lemma_.lower(), node.lower_})
            nxt = next((c for c in node.children if c.dep_ == "xcomp"), None)
            if nxt is None:
                break
            node = nxt
    return out


def _judge(nlp: Any, event: str | None, gold: dict[str, Any], cache: dict[str, Any]) -> tuple[bool, bool]:
    """(head right, complete) for one event against its gold annotation."""
    if not event:
        return False, False
    parsed = cache.get(event)
    if parsed is None:
        parsed = cache[event] = nlp(event)
    words = {t.lower_ for t in parsed} | {t.lemma_.lower() for t in parsed}
    lowered = event.lower()
    complete = all(w in words or re.search(rf"(?<!\w){re.escape(w)}(?!\w)", lowered) for w in gold["must"])
    return gold["head"] in _heads(parsed), complete


def main() -> int:
    """Score accord's time expression events and the parse-baseline peer on each part of the gold set."""
    from accord.analyze.nlp import get_nlp

    show_errors = "--errors" in sys.argv[1:]
    nlp = get_nlp()
    records = load_gold("timex")
    docs = [nlp(r["text"]) for r in records]
    started = time.perf_counter()
    ours = [_accord(doc, r) for doc, r in zip(docs, records, strict=True)]
    ours_s = time.perf_counter() - started
    peer = [_peer(doc, r) for doc, r in zip(docs, records, strict=True)]
    cache: dict[str, Any] = {}
    print(f"time expression events: {len(records)} snippets (accord events {ours_s:.1f} s)")
    print(f"{'part':<9} {'system':<7} {'events':>6} {'head acc':>9} {'complete':>9} {'fragment':>9} "
          f"{'none':>5} {'words':>6} {'max':>4}")
    for part in PARTS[:3]:  # the parts with events annotated
        idx = [i for i, r in enumerate(records) if split(r) == part]
        for name, system in (("accord", ours), ("peer", peer)):
            n = heads = complete = given = fragments = none = 0
            lengths = []
            for i in idx:
                for (_, _, gold), event, item in zip(_gold_items(records[i]), system[i], records[i]["times"],
                                                     strict=True):
                    if gold is None:
                        continue
                    n += 1
                    head_ok, complete_ok = _judge(nlp, event, gold, cache)
                    heads += head_ok
                    complete += complete_ok
                    if event:
                        given += 1
                        fragments += not complete_ok
                        lengths.append(len(event.split()))
                    else:
                        none += 1
                    if show_errors and part == "dev" and name == "accord" and not (head_ok and complete_ok):
                        print(f"  {records[i]['id']} {item['text']!r}: {event!r}  gold {gold}")
            mean = sum(lengths) / len(lengths) if lengths else 0.0
            print(f"{part:<9} {name:<7} {n:>6} {heads / n:>9.3f} {complete / n:>9.3f} "
                  f"{fragments / given if given else 0.0:>9.3f} {none:>5} {mean:>6.1f} {max(lengths, default=0):>4}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
