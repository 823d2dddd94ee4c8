"""Group statements that say the same thing: the core of facts, and ``accord align``.

Two statements are scored by the cosine of their sentence embeddings, raised
when they share named things (entities, numbers) — a pair needs a high cosine,
or a moderate one plus shared names. Groups are built by average-link
agglomerative clustering with cannot-link constraints (statements of one
source never merge when ``one_per_source`` is set; short statements whose
content is a number that differs never merge).

Conflicting numbers in a longer statement do not block alignment: "62 were
injured" and "56 were injured" state the same fact with different values, and
those values are what discrepancies are made of.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "SENTENCE_OPTIONS",
    "AlignOptions",
    "Statement",
    "average_link",
    "align_jsonl",
    "align_rows",
    "align_statements",
    "number_tokens",
    "pair_scores",
]

log = logging.getLogger(__name__)

_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
    "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
    "nineteen": "19", "twenty": "20",
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
    "ninety": "90",
}
_NUMBER = re.compile(r"\b(\d+(?:[.,]\d+)*)\b|\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-zA-Z-]{2,}(?:\s+[A-Z][a-zA-Z-]+)*)")
_STOP = frozenset(
    "a an the of in on at to for from by with and or but as is are was were be been being has "
    "have had it its this that these those their there they he she his her we our you your "
    "not no than then so such into over after before about up out more most less very will "
    "would can could may might should do does did said says say".split()
)


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement to align.

    Args:
        id: the caller's identifier, returned with its group.
        text: the statement.
        source: who published it; with ``one_per_source`` two statements of one
            source never share a group.
        context: the question or topic it answers; its direction is removed from
            the statement's embedding so that groups form on what differs.
        names: entity keys or other names it mentions (found by regex when empty).
        numbers: normalised numbers it states (found by regex when empty).
    """

    id: str
    text: str
    source: str | None = None
    context: str | None = None
    names: frozenset[str] = field(default_factory=frozenset)
    numbers: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, kw_only=True, slots=True)
class AlignOptions:
    """Settings for :func:`align_statements`.

    Args:
        threshold: the score two groups need to merge (average link).
        support_threshold: the lower cosine that suffices when a pair shares
            ``support_needed`` names or numbers.
        support_needed: shared names/numbers that stand in for the cosine gap.
        one_per_source: never group two statements of the same source.
        short_words: a statement of at most this many content words besides
            its numbers "is" its number: a different number means a different statement.
    """

    threshold: float = 0.5
    support_threshold: float = 0.4
    support_needed: int = 2
    one_per_source: bool = False
    short_words: int = 3

    def __post_init__(self) -> None:
        if not -1.0 <= self.threshold <= 1.0:
            raise ValueError("threshold is a cosine: give a value between -1 and 1 (try 0.5)")
        if self.support_threshold > self.threshold:
            raise ValueError("support_threshold must not exceed threshold")
        if self.support_needed < 1:
            raise ValueError("support_needed must be 1 or more")


#: Preset for whole sentences of news articles (facts of a report).
SENTENCE_OPTIONS = AlignOptions(threshold=0.72, support_threshold=0.58, one_per_source=True)


def number_tokens(text: str) -> frozenset[str]:
    """Return the numbers written in a text, normalised to digits ("eight" -> "8", "1,200" -> "1200")."""
    found = set()
    for digits, word in _NUMBER.findall(text):
        if digits:
            found.add(_plain_number(digits))
        elif word:
            found.add(_NUMBER_WORDS[word.lower()])
    return frozenset(found)


def _plain_number(digits: str) -> str:
    plain = digits.replace(",", "")
    try:
        value = float(plain)
    except ValueError:
        return plain
    return str(int(value)) if value.is_integer() else str(value)


def _names(text: str) -> frozenset[str]:
    # A light stand-in for NER when the caller gives no entities (``accord align`` input).
    return frozenset(m.lower() for m in _NAME.findall(text) if m.lower() not in _STOP)


def _content_words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP]


def pair_scores(statements: Sequence[Statement], options: AlignOptions) -> np.ndarray:
    """Return the matrix of pair scores; ``-inf`` marks pairs that must never share a group."""
    import numpy as np

    from accord.corroborate.embed import embed

    n = len(statements)
    vectors = embed([s.text for s in statements])
    contexts = sorted({s.context for s in statements if s.context})
    if contexts:
        context_vectors = dict(zip(contexts, embed(contexts), strict=True))
        for i, s in enumerate(statements):
            if s.context:
                c = context_vectors[s.context]
                v = vectors[i] - float(vectors[i] @ c) * c
                norm = float(np.linalg.norm(v))
                if norm > 1e-6:
                    vectors[i] = v / norm
    scores = vectors @ vectors.T
    names = [s.names or _names(s.text) for s in statements]
    numbers = [s.numbers or number_tokens(s.text) for s in statements]
    short = [len(_content_words(s.text)) <= options.short_words for s in statements]
    gap = options.threshold - options.support_threshold
    for i in range(n):
        scores[i, i] = -np.inf
        for j in range(i + 1, n):
            blocked = options.one_per_source and statements[i].source is not None and (
                statements[i].source == statements[j].source
            )
            if numbers[i] and numbers[j] and not numbers[i] & numbers[j] and (short[i] or short[j]):
                blocked = True
            if blocked:
                scores[i, j] = scores[j, i] = -np.inf
                continue
            shared = len(names[i] & names[j]) + len(numbers[i] & numbers[j])
            if shared:
                bonus = gap * min(shared, options.support_needed) / options.support_needed
                scores[i, j] = scores[j, i] = scores[i, j] + bonus
    return scores


def align_statements(statements: Sequence[Statement], options: AlignOptions | None = None) -> list[int]:
    """Group statements that say the same thing; return a group number per statement, in order.

    Groups are numbered by their first statement, so the output is stable.

    Example:
        >>> align_statements([Statement("a", "The bridge closed on Monday."),
        ...                   Statement("b", "On Monday the bridge was shut."),
        ...                   Statement("c", "Rain is expected.")])  # doctest: +SKIP
        [0, 0, 1]
    """
    options = options or AlignOptions()
    if not statements:
        return []
    scores = pair_scores(statements, options)
    return average_link(scores, options.threshold)


def average_link(scores: np.ndarray, threshold: float) -> list[int]:
    """Cluster by average-link agglomeration until no two groups score ``threshold`` on average.

    ``-inf`` scores are cannot-links: groups holding such a pair never merge.
    Returns a group number per row, numbered by first member.
    """
    # Written here because scipy's linkage takes no cannot-link constraints.
    import numpy as np

    n = scores.shape[0]
    sim = scores.astype(np.float64).copy()
    size = np.ones(n)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    active = np.ones(n, dtype=bool)
    while True:
        masked = np.where(active[:, None] & active[None, :], sim, -np.inf)
        flat = int(np.argmax(masked))
        a, b = divmod(flat, n)
        if not masked[a, b] >= threshold:
            break
        a, b = min(a, b), max(a, b)
        merged = (size[a] * sim[a] + size[b] * sim[b]) / (size[a] + size[b])
        merged[np.isneginf(sim[a]) | np.isneginf(sim[b])] = -np.inf
        sim[a, :] = merged
        sim[:, a] = merged
        sim[a, a] = -np.inf
        size[a] += size[b]
        active[b] = False
        members[a].extend(members.pop(b))
    labels = [0] * n
    for number, group in enumerate(sorted(members.values(), key=min)):
        for i in group:
            labels[i] = number
    return labels


# --------------------------------------------------------------------------- JSONL


def align_rows(rows: Iterable[dict[str, Any]], options: AlignOptions | None = None) -> list[dict[str, Any]]:
    """Align parsed input rows ``{"id", "text"[, "context", "source"]}`` into ``{"id", "fact"}`` rows.

    Rows are aligned within their ``context`` (statements about different
    questions are never grouped). A row that is not a usable statement gets
    ``{"id", "fact": None, "error": reason}``. Output is in input order; fact
    ids are ``"f1"``, ``"f2"``, ... in order of first appearance.
    """
    rows = list(rows)
    out: list[dict[str, Any]] = [{} for _ in rows]
    by_context: dict[str, list[tuple[int, Statement]]] = {}
    for index, row in enumerate(rows):
        statement, error = _statement(row, index)
        if statement is None:
            out[index] = {"id": row.get("id") if isinstance(row, dict) else None, "fact": None,
                          "error": error}
            continue
        by_context.setdefault(statement.context or "", []).append((index, statement))
    group_of: dict[int, tuple[str, int]] = {}
    for context, items in by_context.items():
        labels = align_statements([s for _, s in items], options)
        for (index, _), label in zip(items, labels, strict=True):
            group_of[index] = (context, label)
    names: dict[tuple[str, int], str] = {}
    for index in sorted(group_of):
        key = group_of[index]
        if key not in names:
            names[key] = f"f{len(names) + 1}"
        out[index] = {"id": rows[index]["id"], "fact": names[key]}
    return out


def align_jsonl(path: str) -> Iterator[dict[str, Any]]:
    """Read statements from a JSONL file (``-`` for stdin) and yield ``{"id", "fact"}`` rows in input order.

    Lines that are not JSON objects with a string ``text`` yield a row with an
    ``error`` reason instead of stopping the run.
    """
    from accord.ingest.base import jsonl_lines

    rows: list[Any] = []
    for number, line in jsonl_lines(path):
        try:
            rows.append(json.loads(line.rstrip("\r\n")))
        except json.JSONDecodeError as exc:
            rows.append({"id": None, "_error": _json_error(number, exc)})
    yield from align_rows(rows)


def _json_error(number: int, exc: json.JSONDecodeError) -> str:
    """Where a line is not JSON, as the other JSON readers say it: "line 2, column 5: not JSON (...)"."""
    return f"line {number}, column {exc.colno}: not JSON ({exc.msg.removesuffix(' at')})"


def _statement(row: Any, index: int) -> tuple[Statement | None, str | None]:
    if not isinstance(row, dict):
        return None, f"row {index + 1}: not a JSON object"
    if "_error" in row:
        return None, str(row["_error"])
    if "id" not in row or row["id"] is None:
        return None, f"row {index + 1}: no id"
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        return None, f"row {index + 1}: no text"
    context = row.get("context")
    source = row.get("source")
    return Statement(
        id=str(row["id"]),
        text=text.strip(),
        context=context.strip() if isinstance(context, str) and context.strip() else None,
        source=str(source) if source is not None else None,
    ), None
