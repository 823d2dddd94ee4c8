"""Plain-text boilerplate removal: what a page wraps around an article's body.

Extractors such as trafilatura strip HTML boilerplate, but text that arrives as
plain text (or leaks through an extractor) still carries site navigation, calls
to action, "Read more" links, reader comments, related-article lists, photo
credits, helpline numbers, republication notes, bylines and datelines.
:func:`clean_text` removes them line by line, using the
shape of a line (short, no final punctuation, a cue word at its start) and its
position (at the top, at the end, after a "comments" or "related" marker) rather
than phrases from any one site. Everything it removes is returned with a reason
from :data:`REASONS`; body text is never dropped silently.

The cleaned text keeps one paragraph per line of the input (hard-wrapped lines
are joined again), separated by a blank line (``"\\n\\n"``): later stages split
sentences and compute character offsets on it. Scraped text often glues paragraphs
together without a space ("in hospital.Download our app"); those joins are paragraph
breaks again, so that each glued piece is judged on its own.

Public functions::

    clean(article: Article) -> Article
    clean_text(text: str, title: str | None = None) -> tuple[str, tuple[Removed, ...]]
    normalize_whitespace(text: str) -> str
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from accord import dates
from accord.analyze.sentences import glued_sentence_starts
from accord.models import Article, Removed

__all__ = ["REASONS", "byline_spans", "clean", "clean_text", "normalize_whitespace"]

log = logging.getLogger(__name__)

NAVIGATION = "navigation"
CALL_TO_ACTION = "call to action"
READ_MORE = "read more link"
COMMENTS = "comment section"
RELATED = "related articles"
CAPTION = "photo caption"
ADVERTISEMENT = "advertisement"
BYLINE = "byline"
REPEATED_LINE = "repeated line"
REPEATED_TITLE = "repeated title"
DATELINE = "dateline"
HELPLINE = "helpline numbers"
REPUBLICATION = "republication note"

#: Every reason a removed span can carry.
REASONS = (
    NAVIGATION, CALL_TO_ACTION, READ_MORE, COMMENTS, RELATED, CAPTION,
    ADVERTISEMENT, BYLINE, REPEATED_LINE, REPEATED_TITLE, DATELINE, HELPLINE, REPUBLICATION,
)

# --------------------------------------------------------------------------- line shapes
# The cue words below are the generic vocabulary of web page furniture (post navigation,
# comment widgets, share bars, newsletter boxes), used only together with a line's shape.

_TERMINAL = re.compile(r"[.!?…][\"”’')\]]*$")
_MAX_HEADLINE_WORDS = 20
_MIN_HEADLINE_WORDS = 4
_MIN_HEADLINE_RUN = 3
_HEAD_PARAGRAPHS = 5

_NAV_PREFIX = re.compile(
    r"^(?:[«‹←<]+\s*)?(?:previous|next|prev|older|newer)\s+(?:post|article|story|page|entry|item|slide)s?\b"
    r"|^(?:back to (?:top|home)|scroll to top|go to top|return to top|skip to (?:main )?content"
    r"|skip navigation|jump to)\b",
    re.IGNORECASE,
)
_NAV_SINGLE = re.compile(
    r"^(?:home|menu|search|close|share|print|email|tweet|log ?in|sign ?in|previous|next|top)$",
    re.IGNORECASE,
)
_TAGS = re.compile(r"^(?:tags|topics|filed under|categories|category|keywords)\s*:", re.IGNORECASE)
_SHARE_WORDS = frozenset(
    "share this article story post on via facebook twitter x linkedin whatsapp email e-mail "
    "print reddit pinterest telegram tweet copy link messenger flipboard threads bluesky".split()
)
_BREADCRUMB_SEP = re.compile(r"\s(?:>|»|›|/|\||•|·)\s")

_CTA_VERBS = frozenset(
    "get subscribe sign join follow download click tap register donate support become "
    "stay receive enter try don't dont never want like".split()
)
_CTA_OBJECTS = re.compile(
    r"\b(?:newsletters?|inbox|e-?mails?|subscribe|subscription|sign[ -]up|alerts|updates"
    r"|app|podcast|follow us|journalism|featured stories|top stories|our stories|briefing"
    r"|notifications|whatsapp|telegram)\b",
    re.IGNORECASE,
)
_CTA_SHORT = re.compile(r"^(?:subscribe|newsletters?|sign[ -]up)\b", re.IGNORECASE)
_CTA_OWN = re.compile(r"\b(?:our|free|daily|weekly) newsletters?\b|\bsubscribe (?:now|today|here)\b", re.IGNORECASE)

_READ_MORE = re.compile(
    r"^(?:read|see|watch|listen|view)(?:\s+(?:the|our|this))?\s+"
    r"(?:more|full|also|next|original|complete|whole|entire|here|it here|story|article)\b"
    r"|^(?:continue|continued|keep)\s+reading\b|^click here\b|^(?:full story|more here)\b"
    r"|^(?:also read|read next)\b",
    re.IGNORECASE,
)

_REPORTED = re.compile(r"\b(?:said|says|told|according to|asked)\b|[\"“”]")

_CAPTION_PREFIX = re.compile(
    r"^\[?(?:file\s+|top\s+|header\s+|featured\s+|main\s+|lead\s+)?"
    r"(?:photo|photograph|photos|image|images|picture|pic|graphic|illustration|caption|video)"
    r"(?:\s+credits?)?\s*(?:by\b|:|\||/|–|—|-\s)",
    re.IGNORECASE,
)
_CREDIT_PREFIX = re.compile(r"^(?:©|\(c\)\s|(?:image |photo )?credits?\s*:|courtesy\s+(?:of\s+)?)", re.IGNORECASE)
_CREDIT_SUFFIX = re.compile(
    r"(?:\((?:[^()]{0,60}?(?:photo|image|picture|getty|shutterstock|alamy|istock|credit|©|/)[^()]{0,60})\)"
    r"|(?:getty images|shutterstock|alamy|istock(?:photo)?|ap photo(?:/[^.]*)?))\W*$",
    re.IGNORECASE,
)

_ADVERT = re.compile(
    r"^(?:advertisement|advertising|ad|sponsored(?: content)?|promoted(?: content)?|paid content"
    r"|(?:story|article) continues (?:below|after)(?: (?:this|the))?(?: advert(?:isement)?| ad)?)\s*:?$",
    re.IGNORECASE,
)

_BYLINE = re.compile(r"^by\s+[A-Z][\w.'’-]*(?:[\s,]+(?:and\s+)?[A-Z][\w.'’-]*){0,8}\s*$", re.IGNORECASE)
# A newsroom job title, with up to three qualifiers ("Senior Transport Correspondent").
_JOB = (
    r"(?i:(?:(?:[A-Za-z][\w'’-]*|&)\s+){0,3}"
    r"(?:editor|reporter|correspondent|journalist|writer|columnist|contributor|producer"
    r"|photographer|photojournalist|intern|analyst|sub-editor|newsroom|desk)s?)"
)
_JOB_TITLE = re.compile(rf"^(?=[A-Z]){_JOB}$")
_PERSON = r"[A-Z][a-zA-Z'’-]+\.?(?:\s+(?:[A-Z]\.|[A-Z][a-zA-Z'’-]+|bin|binte|bte|de|van|von|al)){1,3}"
# "Jane Doe Editor", "Jane Doe, Senior Reporter", "Jane Doe | Transport Correspondent".
_NAMED_BYLINE = re.compile(rf"^(?:[Bb]y\s+)?{_PERSON}\s*(?:[,|–—-]\s*)?(?=[A-Z]){_JOB}$")
_LONE_NAME = re.compile(rf"^(?:[Bb]y\s+)?{_PERSON}$")

# Helpline and hotline numbers printed under stories about suicide, abuse or crime.
_HELP_WORDS = re.compile(
    r"\b(?:hotlines?|helplines?|help\s?lines?|crisis\s+(?:line|centre|center|text\s+line)|lifeline"
    r"|samaritans|befrienders|counsell?ing\s+(?:service|line)s?|support\s+line)\b",
    re.IGNORECASE,
)
_HELP_CUE = re.compile(
    r"^(?:if\s+you\b|if\s+someone\b|call\b|dial\b|text\b|contact\b|reach\b|for\s+(?:help|support)\b"
    r"|need\s+(?:help|support|to\s+talk)\b|where\s+to\s+(?:get|seek|find)\s+help\b"
    r"|you\s+can\s+(?:call|reach|contact|text|get)\b|those\s+(?:in\s+need|who\s+need)\b|anyone\s+who\b"
    r"|help\s+is\s+available\b|(?:get|seek)\s+help\b|(?:help|hot)lines?\s*:)",
    re.IGNORECASE,
)
_HELP_MARKER = re.compile(
    r"^(?:(?:mental\s+health\s+)?(?:help|hot)lines?|where\s+to\s+(?:get|seek|find)\s+help|need\s+help\??"
    r"|(?:mental\s+health\s+)?support\s+services)\s*:?$",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<![\w.,])\+?\d(?:[\d -]{1,14}\d)?(?![\w.,]\d)")
# "Samaritans of Singapore: 1767", "Lowhaven Crisis Line - 1800 221 4444".
_PHONE_ENTRY = re.compile(r"^[A-Z][\w'’&().\s-]{1,60}?\s*(?::|–|—|-|\|)\s*\+?\d[\d ()-]{2,}")

# Notes that the text comes from another outlet, under a republished story.
_REPUBLICATION = re.compile(
    r"^(?:this|the\s+above)\s+(?:article|story|report|piece|post)\s+(?:was|is|has\s+been|first)\s+"
    r"(?:(?:first|originally)\s+)?(?:published|posted|appeared|republished)\b"
    r"|^(?:first|originally)\s+published\s+(?:in|on|by|at)\b"
    r"|\bpermission\s+required\s+for\s+reproduction\b"
    r"|^(?:republished|reproduced)\s+(?:with\s+permission|from|courtesy)\b",
    re.IGNORECASE,
)

_COUNT = r"(?:\d+|no|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_COMMENT_MARKERS = re.compile(
    rf"^{_COUNT}\s+(?:comments?|responses?|replies|thoughts?)(?:\s+on\s+.*)?$"
    r"|^comments?(?:\s*\(\d+\))?\s*:?$"
    r"|^(?:leave|post|add|write|submit|join|view|show|load|read|see)"
    r"(?:\s+(?:a|your|the|all|our))?\s+(?:comments?|reply|replies|responses?|discussion|conversation)\b"
    r"|^comments?\s+(?:are|is)\s+(?:closed|disabled)\b",
    re.IGNORECASE,
)
# A commenter's line: a name and a date ending in "Reply", or "Jane Doe says:".
_COMMENTER = re.compile(r"\breply\W*$", re.IGNORECASE)
_COMMENTER_SAYS = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){1,4}(?:says|wrote):$")
_COMMENT_FORM = re.compile(
    r"your email address will not be published|required fields are marked"
    r"|save my name, email|^(?:name|email|website|comment)\s*\*?$",
    re.IGNORECASE,
)

_RELATED_MARKER = re.compile(
    r"^(?:related(?:\s+(?:articles?|stories|story|posts?|content|coverage|news|links|reading|topics|videos))?"
    r"|you\s+(?:may|might|could|will)\s+(?:also\s+)?(?:like|enjoy|be interested in)"
    r"|(?:more|other|latest|top|popular|trending|recommended|suggested|featured|similar)"
    r"(?:\s+\w+)?\s+(?:news|stories|articles|posts|headlines|reads|videos|coverage|content|links)"
    r"|more\s+(?:from|in|on|at|by)\s+.+|recommended(?:\s+for\s+you)?|trending(?:\s+now)?|popular"
    r"|most\s+(?:read|popular|viewed|shared|watched)(?:\s+\w+)?|read\s+(?:next|also|more)|also\s+read"
    r"|what\s+to\s+read\s+next|don'?t\s+miss|further\s+reading|in\s+case\s+you\s+missed\s+it"
    r"|editor'?s\s+picks?|see\s+also)\s*:?$",
    re.IGNORECASE,
)
_RELATED_INLINE = re.compile(r"^(?:related|see also|also read|read also)\s*:\s*\S", re.IGNORECASE)

# "Read more exclusive news from Example Daily.", "More stories from The Example Echo"
_SITE_CLAIM = re.compile(
    r"^(?:read\s+|see\s+|get\s+)?(?:more|latest|other|all|top|breaking|exclusive|local|daily)\b[\w\s]{0,30}?"
    r"\b(?:news|stories|articles|coverage|reporting|updates|headlines)\s+(?:from|at|on|by)\s+"
    r"(?P<site>(?-i:[A-Z0-9][\w&'’.-]*(?:\s+[A-Z0-9][\w&'’.-]*){0,4}))\s*[.!]?$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:[-–]\d{4})?\s*,?\s*)?"
    r"(?P<site>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4}?)(?:[.,]|\s+all rights|$)",
    re.IGNORECASE,
)
_NOT_A_SITE = frozenset({"here", "us", "our", "the", "this", "it", "today"})

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\f\v]+")


@dataclass(frozen=True, slots=True)
class _Cleaned:
    text: str
    removed: tuple[Removed, ...]
    place: str | None = None
    date: _Date | None = None
    updated: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class _Date:
    """A date cleaning found, and where from ("metadata" for the page's own date lines)."""

    value: str
    source: str


@dataclass(slots=True)
class _Head:
    """What the top of an article says: the opening paragraph's dateline, date lines."""

    opening: int | None = None
    dateline: dates.Dateline | None = None
    published: _Date | None = None
    updated: str | None = None


# --------------------------------------------------------------------------- public API


def clean(article: Article) -> Article:
    """Return the article with its body cleaned and what was removed recorded.

    Besides the text, it fills what cleaning learns when the article lacks it: the
    dateline place (``dateline``); a date (``published``) from the page's labelled
    date line ("Published 06 Feb 2025", with ``published_from="metadata"``; an
    "Updated ..." line serves when no other date is given) or from a bare date line
    or the dateline (``published_from="dateline"``); an "Updated ..." date (``updated``); and the
    outlet (``source``) the dateline credits or the text names as its own.
    """
    title = normalize_whitespace(article.title).replace("\n", " ")
    result = _clean(article.text, title)
    published, published_from = article.published, article.published_from
    if published is None and result.date is not None:
        published, published_from = result.date.value, result.date.source
    return replace(
        article,
        title=title,
        text=result.text,
        removed=article.removed + result.removed,
        dateline=article.dateline or result.place,
        published=published,
        published_from=published_from,
        updated=article.updated or result.updated,
        source=article.source or result.source,
    )


def clean_text(text: str, title: str | None = None) -> tuple[str, tuple[Removed, ...]]:
    """Remove boilerplate from plain text; return the cleaned text and what was removed.

    Args:
        text: the article body as plain text (lines or blank-line paragraphs).
        title: the article's headline, so that a copy of it at the top is removed.

    Example:
        >>> clean_text("The bridge reopened on Monday.\\n\\nBack to top")
        ('The bridge reopened on Monday.', (Removed(text='Back to top', reason='navigation'),))
    """
    result = _clean(text, title)
    return result.text, result.removed


def byline_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the lines of ``text`` that are bylines, not story text.

    A byline is "By Jane Doe", "Jane Doe Editor", "Jane Doe, Senior Reporter", or a
    name alone on its line with a job title on the next ("Jane Doe" / "Crime
    Correspondent"). Names in them are the writer's, never a speaker's.
    """
    lines: list[tuple[int, str]] = []
    position = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = position + line.index(stripped)
            lines.append((start, stripped))
        position += len(line) + 1
    spans: list[tuple[int, int]] = []
    for index, (start, line) in enumerate(lines):
        following = lines[index + 1][1] if index + 1 < len(lines) else ""
        if _is_byline(line) or (_LONE_NAME.match(line) and _JOB_TITLE.match(following)):
            spans.append((start, start + len(line)))
        elif spans and _JOB_TITLE.match(line) and _LONE_NAME.match(lines[index - 1][1]):
            spans.append((start, start + len(line)))
    return tuple(spans)


def _is_byline(line: str) -> bool:
    if _TERMINAL.search(line) or len(line.split()) > 12:
        return False
    return bool(_BYLINE.match(line) or _NAMED_BYLINE.match(line))


def normalize_whitespace(text: str) -> str:
    """Normalise spaces inside lines (NBSP, tabs, runs) and line endings; drop zero-width marks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.translate(_ZERO_WIDTH)
    text = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


# --------------------------------------------------------------------------- the cleaner


def _clean(text: str, title: str | None) -> _Cleaned:
    paragraphs = _paragraphs(normalize_whitespace(text))
    reasons: list[str | None] = [None] * len(paragraphs)
    _mark_sections(paragraphs, reasons)
    _mark_bylines(paragraphs, reasons)
    _mark_related_runs(paragraphs, reasons)
    _mark_tail(paragraphs, reasons)
    head = _mark_head(paragraphs, reasons)
    _mark_repeats(paragraphs, reasons, title)
    kept: list[str] = []
    removed: list[Removed] = []
    previous: str | None = None
    for index, (paragraph, reason) in enumerate(zip(paragraphs, reasons, strict=True)):
        if reason is None:
            if index == head.opening and head.dateline is not None:
                removed.append(Removed(text=head.dateline.text, reason=DATELINE))
                paragraph = paragraph[len(head.dateline.text):].lstrip()
            kept.append(paragraph)
        elif reason == previous and reason not in (DATELINE, REPEATED_LINE):
            # Neighbouring lines removed for the same reason are one span.
            removed[-1] = Removed(text=f"{removed[-1].text}\n{paragraph}", reason=reason)
        else:
            removed.append(Removed(text=paragraph, reason=reason))
        previous = reason
    place = head.dateline.place if head.dateline else None
    return _Cleaned(
        text="\n\n".join(kept),
        removed=tuple(removed),
        place=place,
        date=_head_date(head),
        updated=head.updated,
        source=(head.dateline.agency if head.dateline else None) or _site_name(removed, kept),
    )


def _head_date(head: _Head) -> _Date | None:
    """The publication date the top of the text gives: its date line, dateline, update line."""
    if head.published is not None:
        return head.published
    if head.dateline is not None and head.dateline.date is not None:
        return _Date(head.dateline.date, "dateline")
    if head.updated is not None:
        # Only an update time is printed: the story was published that day or before.
        return _Date(head.updated, "metadata")
    return None


def _paragraphs(text: str) -> list[str]:
    """Split normalised text into paragraphs: blank-line blocks, one line each unless wrapped."""
    paragraphs: list[str] = []
    has_blank_lines = "\n\n" in text.strip()
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line]
        if not lines:
            continue
        if has_blank_lines and _is_hard_wrapped(lines):
            paragraphs.append(" ".join(lines))
            continue
        current = lines[0]
        for line in lines[1:]:
            if _continues(current, line):
                current = f"{current} {line}"
            else:
                paragraphs.append(current)
                current = line
        paragraphs.append(current)
    return [piece for paragraph in paragraphs for piece in _unglue(paragraph)]


def _unglue(paragraph: str) -> list[str]:
    """Split a paragraph where scraping glued the next one on ("hospital.The man")."""
    starts = glued_sentence_starts(paragraph)
    if not starts:
        return [paragraph]
    bounds = zip((0, *starts), (*starts, len(paragraph)), strict=True)
    return [piece for start, end in bounds if (piece := paragraph[start:end].strip())]


def _is_hard_wrapped(lines: Sequence[str]) -> bool:
    # Text wrapped at a fixed width: every line but the last is about as long as the longest.
    # Written by hand: no maintained library re-flows wrapped plain text.
    if len(lines) < 3:
        return False
    widths = [len(line) for line in lines[:-1]]
    widest = max(widths)
    return 40 <= widest <= 100 and min(widths) >= 0.6 * widest


def _continues(line: str, following: str) -> bool:
    # A line that stops mid-sentence and a next line that starts in lower case: one paragraph.
    return not _TERMINAL.search(line) and not line.endswith((":", ";")) and following[:1].islower()


def _is_headline(paragraph: str) -> bool:
    """Short and without final punctuation: a heading, a link or a menu entry, not a sentence."""
    return len(paragraph.split()) <= _MAX_HEADLINE_WORDS and not _TERMINAL.search(paragraph)


def _local_reason(paragraph: str) -> str | None:
    """The reason to remove a paragraph judged on its own, or None."""
    words = paragraph.split()
    n = len(words)
    lower = paragraph.lower()
    if n <= 25 and (_NAV_PREFIX.search(paragraph) or _TAGS.search(paragraph)):
        return NAVIGATION
    if n <= 2 and _NAV_SINGLE.match(paragraph):
        return NAVIGATION
    if n <= 12 and all(w.strip(":|•·,").lower() in _SHARE_WORDS for w in words) and "share" in lower:
        return NAVIGATION
    if _is_breadcrumb(paragraph):
        return NAVIGATION
    if _ADVERT.match(paragraph):
        return ADVERTISEMENT
    if n <= 40 and (_CAPTION_PREFIX.match(paragraph) or _CREDIT_SUFFIX.search(paragraph)):
        return CAPTION
    if n <= 15 and _CREDIT_PREFIX.match(paragraph):
        return CAPTION
    if n <= 25 and _RELATED_INLINE.match(paragraph):
        return RELATED
    if (n <= 12 and _COMMENTER.search(paragraph)) or _COMMENTER_SAYS.match(paragraph):
        return COMMENTS
    if _COMMENT_FORM.search(paragraph) and n <= 25:
        return COMMENTS
    if n <= 12 and _NAMED_BYLINE.match(paragraph):
        return BYLINE
    if n <= 40 and _REPUBLICATION.search(paragraph):
        return REPUBLICATION
    if _REPORTED.search(paragraph):
        return None  # reported speech is body text, whatever word it starts with
    if _is_helpline(words, paragraph):
        return HELPLINE
    if n <= 20 and _READ_MORE.match(paragraph) and not _RELATED_MARKER.match(paragraph):
        return READ_MORE
    if _is_call_to_action(words, paragraph):
        return CALL_TO_ACTION
    return None


def _is_helpline(words: Sequence[str], paragraph: str) -> bool:
    # "If you need help, call the Samaritans hotline at 1767"; "Helplines: SOS 1767".
    # A body sentence about a hotline ("The council hotline took 300 calls on Monday.")
    # neither starts with an appeal to the reader nor is a list of numbers.
    if len(words) > 60 or not _HELP_WORDS.search(paragraph) or not _PHONE.search(paragraph):
        return False
    return bool(_HELP_CUE.match(paragraph) or _PHONE_ENTRY.match(paragraph))


def _section_marker(paragraph: str) -> str | None:
    """A heading that opens a section of boilerplate: comments, related articles, helplines."""
    if _HELP_MARKER.match(paragraph):
        return HELPLINE
    if len(paragraph.split()) > 20 or _TERMINAL.search(paragraph):
        return None
    if _COMMENT_MARKERS.match(paragraph):
        return COMMENTS
    if len(paragraph.split()) <= 8 and _RELATED_MARKER.match(paragraph):
        return RELATED
    return None


def _is_breadcrumb(paragraph: str) -> bool:
    separators = _BREADCRUMB_SEP.findall(f" {paragraph} ")
    if len(separators) < 2 or _TERMINAL.search(paragraph):
        return False
    parts = _BREADCRUMB_SEP.split(paragraph)
    return all(0 < len(part.split()) <= 5 for part in parts)


def _is_call_to_action(words: Sequence[str], paragraph: str) -> bool:
    # An imperative opening ("Get ...", "Sign up ...", "Don't miss ...") about a newsletter,
    # an app or alerts; or a short line about subscribing.
    if not words:
        return False
    first = words[0].lower().strip("’'\"“").replace("’", "'")
    if len(words) <= 35 and first in _CTA_VERBS and _CTA_OBJECTS.search(paragraph):
        return True
    return len(words) <= 12 and bool(_CTA_SHORT.match(paragraph) or _CTA_OWN.search(paragraph))


def _mark_sections(paragraphs: Sequence[str], reasons: list[str | None]) -> None:
    """Judge each line on its own, and remove what follows a comments or related heading."""
    section: str | None = None
    for index, paragraph in enumerate(paragraphs):
        marker = _section_marker(paragraph)
        if marker is not None:
            section = marker
            reasons[index] = marker
            continue
        local = _local_reason(paragraph)
        if local is not None:
            reasons[index] = local
            if local == COMMENTS:
                section = COMMENTS
            continue
        if section == COMMENTS:
            reasons[index] = COMMENTS
        elif section == HELPLINE:
            if len(paragraph.split()) <= 15 and (_PHONE_ENTRY.match(paragraph) or _PHONE.search(paragraph)):
                reasons[index] = HELPLINE
            else:
                section = None
        elif section == RELATED:
            if _is_headline(paragraph):
                reasons[index] = RELATED
            else:
                section = None


def _mark_bylines(paragraphs: Sequence[str], reasons: list[str | None]) -> None:
    """A name on its own line with a job title on the next ("Jane Doe" / "Senior Reporter")."""
    for index in range(len(paragraphs) - 1):
        if reasons[index] is not None or reasons[index + 1] is not None:
            continue
        if _LONE_NAME.match(paragraphs[index]) and _JOB_TITLE.match(paragraphs[index + 1]):
            reasons[index] = reasons[index + 1] = BYLINE


def _mark_related_runs(paragraphs: Sequence[str], reasons: list[str | None]) -> None:
    """A run of headline-like lines after the body has begun is a list of links to other stories.

    One short line without a full stop is a subheading ("What happened"); three or more
    in a row, each of several words, are headlines.
    """
    body_seen = False
    index = 0
    while index < len(paragraphs):
        end = index
        while end < len(paragraphs) and reasons[end] is None and _is_link_headline(paragraphs[end]):
            end += 1
        if body_seen and end - index >= _MIN_HEADLINE_RUN:
            reasons[index:end] = [RELATED] * (end - index)
        if end == index:
            body_seen = body_seen or (reasons[index] is None and bool(_TERMINAL.search(paragraphs[index])))
            end += 1
        index = end


def _is_link_headline(paragraph: str) -> bool:
    words = paragraph.split()
    return (
        _MIN_HEADLINE_WORDS <= len(words) <= _MAX_HEADLINE_WORDS
        and not _TERMINAL.search(paragraph)
        and not paragraph.endswith((":", ";", ","))
        and paragraph[:1].isupper()
        and dates.date_line(paragraph) is None
    )


def _mark_tail(paragraphs: Sequence[str], reasons: list[str | None]) -> None:
    """Headline-like lines after boilerplate at the very end are a related-articles list."""
    start = len(paragraphs)
    while start > 0 and (reasons[start - 1] is not None or _is_headline(paragraphs[start - 1])):
        start -= 1
    seen_boilerplate = False
    for index in range(start, len(paragraphs)):
        if reasons[index] is not None:
            seen_boilerplate = True
        elif seen_boilerplate:
            reasons[index] = RELATED


def _mark_head(paragraphs: Sequence[str], reasons: list[str | None]) -> _Head:
    """Remove date lines and bylines above the body; find the dateline opening the body."""
    head = _Head()
    for index, paragraph in enumerate(paragraphs[:_HEAD_PARAGRAPHS]):
        if reasons[index] is not None:
            continue
        found = dates.date_line(paragraph)
        if found is not None:
            reasons[index] = DATELINE
            if found.updated:
                head.updated = head.updated or found.date
            elif head.published is None:
                # A labelled line ("Published 06 Feb 2025") is the page's own stamp; a bare
                # date under the headline is read like a dateline.
                head.published = _Date(found.date, "metadata" if found.labelled else "dateline")
            continue
        if _BYLINE.match(paragraph) and not _TERMINAL.search(paragraph):
            reasons[index] = BYLINE
            continue
        dateline = dates.split_dateline(paragraph)
        if dateline is not None and len(paragraph) > len(dateline.text) + 1:
            head.opening, head.dateline = index, dateline
            break
        if not _is_headline(paragraph):
            break
    return head


def _mark_repeats(paragraphs: Sequence[str], reasons: list[str | None], title: str | None) -> None:
    """A line printed again verbatim is removed (the first stays); so is a copy of the title."""
    seen: set[str] = set()
    title_key = _key(title) if title else None
    for index, paragraph in enumerate(paragraphs):
        if reasons[index] is not None:
            continue
        key = _key(paragraph)
        if title_key and key == title_key:
            reasons[index] = REPEATED_TITLE
        elif key in seen:
            reasons[index] = REPEATED_LINE
        else:
            seen.add(key)


def _site_name(removed: Sequence[Removed], kept: Sequence[str]) -> str | None:
    """The site an article names as its own ("... news from Example Daily", "© 2024 Example")."""
    lines = [line for item in removed if item.reason != COMMENTS for line in item.text.split("\n")]
    lines += [p for p in kept[-3:] if len(p.split()) <= 15]
    for line in lines:
        match = _SITE_CLAIM.match(line) or _COPYRIGHT.match(line)
        if match is None:
            continue
        site = match.group("site").strip().rstrip(".,")
        if site and site.lower() not in _NOT_A_SITE:
            return site
    return None


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text.casefold()).split())
