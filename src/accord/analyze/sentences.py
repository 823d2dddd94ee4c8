"""Sentence splitting with character offsets into the cleaned text.

pysbd's rule-based segmenter keeps abbreviations such as "Brig. Gen.", "Oct. 26"
and "U.S." inside their sentence, where spaCy's parser and sentencizer split them.
Paragraph breaks are hard boundaries: each paragraph is segmented on its own. Sentence
ends that no abbreviation can hide (a full stop after an ordinary word, "!" or "?")
are cut first, so pysbd, slow on long texts, only reads the pieces that need it.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator

from accord.models import Sentence

__all__ = ["sentence_at", "split_sentences"]

log = logging.getLogger(__name__)

# A blank line ends a paragraph; a sentence never crosses one.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# A single line break inside a paragraph is a soft wrap when the next line goes on in
# lower case after a line with no closing punctuation; every other line break ends a sentence.
_SOFT_WRAP = re.compile(r"(?<![.!?:;\"'\u201d\u2019)\]])[ \t]*\n(?=[ \t]*[a-z(,])")
# A possible sentence end: closing punctuation, closing quotes, space, then a capital or digit.
_CANDIDATE_END = re.compile(r"([.!?\u2026]+)([\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_ANY_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s")


@functools.cache
def _segmenter() -> object:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


@functools.cache
def _abbreviations() -> frozenset[str]:
    from pysbd.lang.english import English

    from accord.analyze.nlp import TITLE_ABBREVIATIONS

    abbreviation = English.Abbreviation
    known = (*abbreviation.ABBREVIATIONS, *abbreviation.PREPOSITIVE_ABBREVIATIONS, *abbreviation.NUMBER_ABBREVIATIONS)
    return frozenset(a.strip().rstrip(".").lower() for a in (*known, *TITLE_ABBREVIATIONS))


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Split ``text`` into sentences whose ``start``/``end`` index ``text``.

    ``Sentence.text`` is ``text[start:end]``, stripped of surrounding white space;
    sentences are numbered in order from 0. Empty text gives no sentences.
    """
    if not isinstance(text, str):
        raise ValueError(f"split_sentences needs a str, got {type(text).__name__}")
    sentences: list[Sentence] = []
    for start, end in _spans(text):
        sentences.append(Sentence(index=len(sentences), start=start, end=end, text=text[start:end]))
    return tuple(sentences)


def sentence_at(sentences: tuple[Sentence, ...], offset: int, *, nearest: bool = False) -> int:
    """Return the index of the sentence containing character ``offset``.

    An offset between sentences (in the blank line of a paragraph break) gives -1,
    or with ``nearest`` the sentence before it (the first sentence when none is).
    """
    low, high = 0, len(sentences) - 1
    while low <= high:
        middle = (low + high) // 2
        sentence = sentences[middle]
        if offset < sentence.start:
            high = middle - 1
        elif offset >= sentence.end:
            low = middle + 1
        else:
            return sentence.index
    if not nearest:
        return -1
    return sentences[high].index if high >= 0 else (sentences[0].index if sentences else 0)


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        yield position, match.start()
        position = match.end()
    yield position, len(text)


def _spans(text: str) -> Iterator[tuple[int, int]]:
    segmenter = _segmenter()
    for para_start, para_end in _paragraphs(text):
        paragraph = text[para_start:para_end]
        if not paragraph.strip():
            continue
        # Same length as the paragraph, so offsets found in it are offsets in the text.
        unwrapped = _SOFT_WRAP.sub(lambda m: " " * len(m.group(0)), paragraph)
        for line_start, line in _lines(unwrapped):
            for piece_start, piece in _pieces(line):
                for begin, end in _join_after_titles(piece, list(_segment(segmenter, piece))):
                    offset = para_start + line_start + piece_start
                    yield offset + begin, offset + end


def _pieces(line: str) -> Iterator[tuple[int, str]]:
    """Cut a line at the sentence ends no abbreviation can hide.

    pysbd spends most of its time on regular expressions built per abbreviation; a
    full stop after an ordinary word, or a "!" or "?", ends a sentence for it anyway,
    so only the pieces between such ends that still hold a possible end go to pysbd.
    """
    position = 0
    abbreviations = _abbreviations()
    for match in _CANDIDATE_END.finditer(line):
        marks = match.group(1)
        if marks in {"!", "?"} or marks == ".":
            if marks == ".":
                word = line[:match.start()].rsplit(None, 1)[-1] if line[:match.start()].strip() else ""
                word = word.lstrip("\"'\u201c\u2018([")
                if not (len(word) >= 2 and word.isalpha() and word.lower() not in abbreviations) and not word.isdigit():
                    continue
            yield position, line[position:match.end()]
            position = match.end()
    if position < len(line):
        yield position, line[position:]


def _segment(segmenter: object, piece: str) -> Iterator[tuple[int, int]]:
    """Sentence spans of one piece of a line, relative to the piece."""
    stripped = piece.strip()
    if not stripped:
        return
    if not _ANY_END.search(stripped):
        begin = piece.find(stripped)
        yield begin, begin + len(stripped)
        return
    cursor = 0
    for sentence in segmenter.segment(piece):  # type: ignore[attr-defined]
        text = sentence.strip()
        if not text:
            continue
        found = piece.find(text, cursor)
        if found < 0:  # pysbd changed the text: keep the rest of the piece as one sentence
            log.debug("sentence not found verbatim: %r", text[:60])
            text = piece[cursor:].strip()
            if not text:
                return
            found = piece.find(text, cursor)
            yield found, found + len(text)
            return
        cursor = found + len(text)
        yield found, cursor


def _join_after_titles(piece: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a sentence that ends in a title abbreviation pysbd does not know ("Amb.")."""
    titles = _titles()
    joined: list[tuple[int, int]] = []
    for begin, end in spans:
        if joined and piece[joined[-1][0]:joined[-1][1]].rsplit(None, 1)[-1] in titles:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((begin, end))
    return joined


@functools.cache
def _titles() -> frozenset[str]:
    from accord.analyze.nlp import TITLE_ABBREVIATIONS

    return frozenset(TITLE_ABBREVIATIONS)


def _lines(paragraph: str) -> Iterator[tuple[int, str]]:
    position = 0
    for line in paragraph.split("\n"):
        if line.strip():
            yield position, line
        position += len(line) + 1
