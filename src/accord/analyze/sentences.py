"""Sentence splitting with character offsets into the cleaned text.

pysbd's rule-based segmenter keeps abbreviations such as "Brig. Gen.", "Oct. 26"
and "U.S." inside their sentence, where spaCy's parser and sentencizer split them.
Paragraph breaks are hard boundaries: each paragraph is segmented on its own.
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


@functools.cache
def _segmenter() -> object:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


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


def sentence_at(sentences: tuple[Sentence, ...], offset: int) -> int:
    """Return the index of the sentence containing character ``offset`` (-1 if none)."""
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
    return -1


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
            cursor = 0
            for piece in segmenter.segment(line):  # type: ignore[attr-defined]
                stripped = piece.strip()
                if not stripped:
                    continue
                found = line.find(stripped, cursor)
                if found < 0:  # pysbd changed the text; fall back to the rest of the line
                    log.debug("sentence not found verbatim: %r", stripped[:60])
                    found, stripped = cursor, line[cursor:].strip()
                    found = line.find(stripped, cursor)
                    if not stripped:
                        break
                cursor = found + len(stripped)
                begin = para_start + line_start + found
                yield begin, begin + len(stripped)


def _lines(paragraph: str) -> Iterator[tuple[int, str]]:
    position = 0
    for line in paragraph.split("\n"):
        if line.strip():
            yield position, line
        position += len(line) + 1
