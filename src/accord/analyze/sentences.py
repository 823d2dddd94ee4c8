"""Sentence splitting with character offsets into the cleaned text.

pysbd's rule-based segmenter keeps abbreviations such as "Brig. Gen.", "Oct. 26"
and "U.S." inside their sentence, where spaCy's parser and sentencizer split them.
Paragraph breaks are hard boundaries: each paragraph is segmented on its own. Sentence
ends that no abbreviation can hide (a full stop after an ordinary word, "!" or "?")
are cut first, so pysbd, slow on long texts, only reads the pieces that need it.
Scraped pages often lose the space between paragraphs ("recaptured on Jan 13.Their
escape"); :func:`glued_sentence_starts` finds those joins, and they end a sentence too.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator

from accord.models import Sentence

__all__ = ["glued_sentence_starts", "sentence_at", "split_sentences"]

log = logging.getLogger(__name__)

# A blank line ends a paragraph; a sentence never crosses one.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# A single line break inside a paragraph is a soft wrap when the next line goes on in
# lower case after a line with no closing punctuation; every other line break ends a sentence.
_SOFT_WRAP = re.compile(r"(?<![.!?:;\"'\u201d\u2019)\]])[ \t]*\n(?=[ \t]*[a-z(,])")
# A possible sentence end: closing punctuation, closing quotes, space, then a capital or digit.
_CANDIDATE_END = re.compile(r"([.!?\u2026]+)([\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_ANY_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s")
# A stop with no space after it, before a capitalised word or an opening quote:
# "Jan 13.Their", "hospital.\u201cWe", "said.\u201dThe", 'blamed."The'. Whether it
# really ends a sentence depends on the word before it (see _glued_word).
_GLUED_STOP = re.compile(
    r"(?<=\S)[.!?]([\"\u201d\u2019]?)(?=[\"\u201c\u2018]?(?:[A-Z][A-Za-z]|[AI]\s))"
)
# Words a stop can follow with no space that still end a sentence: an ordinary word
# ("police"), a number or an amount ("13", "$1,120", "10.27pm", "5%"), a capitalised
# word or an acronym ("Singapore", "MSF"). Anything holding a dot ("U.S", "e.g",
# "mothership.sg", "J.K") or mixing cases ("NewsAsia") does not.
_GLUED_WORD = re.compile(
    r"[a-z]{2,}(?:[-'\u2019][a-z]+)*"
    r"|(?:[A-Z]{0,2}\$|[\u00a3\u20ac])?\d[\d,]*(?::\d+)?(?:\.\d+)?(?:[a-z]{1,3}|%)?"
    r"|[A-Z][a-z]{2,}(?:[-'\u2019][A-Za-z]+)*"
    r"|[A-Z]{2,}s?"
)
# Lower-case abbreviations written before a capital without a space ("vs.Tan",
# "approx.Ten"); pysbd's list holds mostly capitalised ones and many ordinary words.
_GLUED_ABBREVIATIONS = frozenset(
    "approx cf esp etc fig figs incl nos op pp pte bhd sdn viz vol vs".split()
)


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


def glued_sentence_starts(text: str) -> tuple[int, ...]:
    """Offsets in ``text`` where a sentence starts right after the previous one's end.

    Scraped text joins paragraphs without a space: "were recaptured on Jan 13.Their
    escape", "said the police.The man", "in hospital.\u201cWe are". A stop directly
    followed by a capitalised word or an opening quote starts a new sentence when the
    word before the stop is an ordinary word, a number, a capitalised word or an
    acronym, not an abbreviation ("U.S.", "e.g.", "No."), initials ("J.K."), a domain
    ("mothership.sg") or a decimal ("1.5").
    """
    starts: list[int] = []
    for match in _GLUED_STOP.finditer(text):
        stop = match.start()
        if not _glued_word(text, stop):
            continue
        after = match.end()
        if match.group(1) == '"' and not _closes_quote(text, stop):
            after = stop + 1  # a straight quote that opens the next sentence
        starts.append(after)
    return tuple(starts)


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


def _glued_word(text: str, stop: int) -> bool:
    """Whether the word before the stop at ``stop`` can end a sentence glued to the next."""
    line_start = text.rfind("\n", 0, stop) + 1
    before = text[line_start:stop].rsplit(None, 1)
    if not before:
        return False
    word = before[-1].rstrip(")]\"\u201d\u2019").lstrip("(\"\u201c\u2018[")
    if not _GLUED_WORD.fullmatch(word) or word.lower() in _GLUED_ABBREVIATIONS:
        return False
    # Capitalised abbreviations ("Gen.", "Sen.", "Mr.") precede a name, not a sentence.
    return not (word[0].isupper() and word.lower() in _abbreviations())


def _closes_quote(text: str, stop: int) -> bool:
    """Whether the straight quote right after ``stop`` closes one opened earlier on its line."""
    line_start = text.rfind("\n", 0, stop) + 1
    return text.count('"', line_start, stop) % 2 == 1


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
            for piece_start, piece in _unglued(line):
                for begin, end in _join_after_titles(piece, list(_segment(segmenter, piece))):
                    offset = para_start + line_start + piece_start
                    yield offset + begin, offset + end


def _unglued(line: str) -> Iterator[tuple[int, str]]:
    """Cut a line at its glued sentence ends, then at the ends no abbreviation can hide."""
    position = 0
    for start in (*glued_sentence_starts(line), len(line)):
        for piece_start, piece in _pieces(line[position:start]):
            yield position + piece_start, piece
        position = start


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
