"""The report as one self-contained HTML page: no network, no CDN, safe with any article text.

The page is built from Jinja2 templates with autoescaping on; article text is
only ever inserted as escaped text. Evidence highlighting is prepared here: each
article's text is cut at the evidence offsets into escaped ``<span>`` segments,
so the page's script only toggles classes, never writes HTML.

The stylesheet and the script are inlined and allowed by a Content-Security-Policy
``<meta>`` tag that names their sha256 hashes, computed from the exact text put
on the page at render time: nothing else can run or load (``default-src 'none'``,
images only as ``data:``). Data for the script goes through a JSON block
(``type="application/json"``) with ``<``, ``>`` and ``&`` escaped.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from accord.models import Article, Discrepancy, Evidence, Report, Story
from accord.render import _view as view

__all__ = ["content_security_policy", "json_for_script", "to_html"]

log = logging.getLogger(__name__)

#: Sources above which the agreement table lists each row's sources under it instead of in columns.
STACK_ABOVE = 8
#: Characters of context shown around an evidence sentence in a discrepancy card.
CONTEXT_CHARS = 140
_LINE = re.compile(r"[^\n]+")
_SAFE_ID = re.compile(r"[^A-Za-z0-9_-]+")


def to_html(report: Report, *, disputed_only: bool = False) -> str:
    """The report as one self-contained HTML page (see the module docstring); ``disputed_only``
    shows only what the sources dispute."""
    if disputed_only:
        report = view.disputed(report)
    css = _asset("report.css")
    js = _asset("report.js")
    used: set[str] = set()
    stories = [_StoryPage(story, used).context() for story in report.stories]
    targets: dict[str, int] = {}
    for story in stories:
        targets.update(story["targets"])
    data = {"targets": targets}
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        stories=stories,
        split_note=view.split_note(report),
        disputed_note=view.DISPUTED_NOTE if disputed_only else None,
        title=" · ".join(s["title"] for s in stories) or "accord report",
        css=Markup(css),  # noqa: S704 - our own stylesheet, checked for "</" in _asset
        js=Markup(js),  # noqa: S704 - our own script, checked for "</" in _asset
        data_json=Markup(json_for_script(data)),  # noqa: S704 - escaped by json_for_script
        csp=content_security_policy(css, js),
    )


def content_security_policy(css: str, js: str) -> str:
    """A policy allowing exactly this stylesheet and script, and nothing from anywhere."""
    return "; ".join([
        "default-src 'none'",
        f"style-src '{_sha256(css)}'",
        f"script-src '{_sha256(js)}'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])


def json_for_script(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no "<", ">" or "&" left raw."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("accord.render", "templates"),
        autoescape=select_autoescape(["html", "j2", "html.j2"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["human_date"] = view.human_date
    return env


@functools.cache
def _asset(name: str) -> str:
    text = resources.files("accord.render").joinpath("templates").joinpath(name).read_text("utf-8")
    if "</" in text:
        raise ValueError(f"{name} must not contain '</': it is inlined into the page")
    return text


def _url(url: str | None) -> str | None:
    """Only http(s) URLs become links."""
    return url if url and re.match(r"https?://", url, flags=re.IGNORECASE) else None


@dataclass
class _ArticleSpans:
    """The spans of one article that links point at."""

    article: Article
    anchor: str
    spans: set[tuple[int, int]] = field(default_factory=set)
    ids: dict[int, str] = field(default_factory=dict)


class _StoryPage:
    """Everything the template needs for one story, with anchors resolved."""

    def __init__(self, story: Story, used_anchors: set[str]) -> None:
        self.story = story
        self.sources = view.sources(story)
        self.numbers = view.number_map(story)
        self.by_id = {a.id: a for a in story.articles}
        self.articles: dict[str, _ArticleSpans] = {}
        for article in story.articles:
            anchor = _unique(f"article-{_SAFE_ID.sub('-', article.id).strip('-') or 'x'}", used_anchors)
            self.articles[article.id] = _ArticleSpans(article, anchor)

    # ----------------------------------------------------------------- spans

    def _add(self, evidence: Evidence) -> tuple[int, int] | None:
        if not view.valid_evidence(self.story, evidence):
            log.debug("evidence outside its article's text: %r", evidence)
            return None
        span = (evidence.start, evidence.end)
        self.articles[evidence.article].spans.add(span)
        return span

    def _find(self, article_id: str, text: str) -> tuple[int, int] | None:
        article = self.by_id.get(article_id)
        if article is None:
            return None
        span = view.locate(article.text, text)
        if span is None:
            # Summary sentences may be composed: point at the closest evidence sentence.
            span = view.best_span(sorted(self.articles[article_id].spans), article.text, text)
        if span is not None:
            self.articles[article_id].spans.add(span)
        return span

    def _summary_span(self, article_id: str, sentence: str) -> tuple[int, int] | None:
        """Where a summary sentence stands in an article: the evidence of the fact it
        restates, of the discrepancy it describes, else its own text, else the closest
        evidence sentence."""
        key = view.one_line(sentence).casefold()
        for fact in self.story.facts:
            if view.one_line(fact.statement).casefold() == key:
                span = next((self._add(e) for e in fact.evidence if e.article == article_id), None)
                if span is not None:
                    return span
        for discrepancy in self.story.discrepancies:
            about = view.one_line(discrepancy.about).casefold()
            if about and about in key:
                evidence = [e for v in discrepancy.values for e in v.evidence if e.article == article_id]
                span = next((self._add(e) for e in evidence), None)
                if span is not None:
                    return span
        return self._find(article_id, sentence)

    # ----------------------------------------------------------------- context

    def context(self) -> dict[str, Any]:
        """The template's data for this story; also the evidence targets for the script."""
        story = self.story
        for fact in story.facts:
            for evidence in fact.evidence:
                self._add(evidence)
        for discrepancy in story.discrepancies:
            for value in discrepancy.values:
                for evidence in value.evidence:
                    self._add(evidence)
        established_spans = [
            {e.article: self._add(e) for e in item.fact.evidence if view.valid_evidence(story, e)}
            for item in view.established(story)
        ]
        # Links that have no offsets in the report: find their text in the article.
        summary_spans = [
            {a: self._summary_span(a, sentence.text) for a in sentence.articles} for sentence in story.summary
        ]
        quote_spans = {
            (q, i): self._find(v.article, v.text)
            for q, quote in enumerate(story.quotes) for i, v in enumerate(quote.variants)
        }
        timeline = view.timeline(story)
        timeline_spans = [{a: self._find(a, e.event) for a in e.articles} for e in timeline]
        unique_spans = [{u.article: self._find(u.article, u.statement)} for u in story.unique]
        # Every span is known now: cut the texts, then build links to the anchors.
        articles = [self._article(self.articles[a.id]) for a in story.articles]
        targets = {
            aid: max(e for s, e in spans.spans if s == start)
            for spans in self.articles.values() for start, aid in spans.ids.items()
        }
        statuses = [view.status(d).key for d in story.discrepancies]
        return {
            "id": story.id,
            "title": story.title,
            "date_span": view.date_span(story),
            "sources": [self._source(s) for s in self.sources],
            "counts": {
                "articles": len(story.articles),
                "independent": _independent(story),
                "discrepancies": len(story.discrepancies),
                "conflicts": statuses.count("conflict"),
                "updates": statuses.count("update"),
                "compatible": statuses.count("compatible"),
                "facts": len(story.facts),
                "established": len(view.established(story)),
            },
            "established": [
                self._established(item, spans)
                for item, spans in zip(view.established(story), established_spans, strict=True)
            ],
            "weakly_supported": view.weakly_supported(story),
            "discrepancies": [self._discrepancy(d) for d in view.ordered_discrepancies(story)],
            "summary": [
                {"text": s.text, "chips": self._chips(s.articles, spans)}
                for s, spans in zip(story.summary, summary_spans, strict=True)
            ],
            "matrix": self._matrix(),
            "quotes": self._quotes(quote_spans),
            "timeline": _by_date([
                {"date": view.display_value(e.date) if "/" not in e.date else view.human_date(e.date),
                 "iso": e.date, "event": e.event,
                 "chips": self._chips(e.articles, spans)}
                for e, spans in zip(timeline, timeline_spans, strict=True)
            ]),
            "unique": [
                {"statement": u.statement, "chips": self._chips([u.article], spans)}
                for u, spans in zip(story.unique, unique_spans, strict=True)
            ],
            "articles": articles,
            "targets": targets,
        }

    def _href(self, article_id: str, span: tuple[int, int] | None) -> str:
        spans = self.articles[article_id]
        if span is not None and span[0] in spans.ids:
            return f"#{spans.ids[span[0]]}"
        return f"#{spans.anchor}"

    def _chip(self, article_id: str, span: tuple[int, int] | None) -> dict[str, Any] | None:
        if article_id not in self.articles:
            return None
        number = self.numbers[article_id]
        source = self.sources[number - 1]
        published = view.human_date(source.article.published)
        tooltip = f"[{number}] {source.label}" + (f", {published}" if published else "")
        return {"number": number, "href": self._href(article_id, span), "title": tooltip,
                "label": source.label, "evidence": span is not None}

    def _chips(self, article_ids: Iterable[str], spans: dict[str, tuple[int, int] | None]) -> list[dict[str, Any]]:
        seen: dict[str, dict[str, Any]] = {}
        for article_id in article_ids:
            chip = self._chip(article_id, spans.get(article_id))
            if chip is not None and article_id not in seen:
                seen[article_id] = chip
        return sorted(seen.values(), key=lambda c: c["number"])

    def _source(self, source: view.Source) -> dict[str, Any]:
        article = source.article
        return {
            "number": source.number,
            "label": source.label,
            "outlet": source.outlet,
            "title": article.title or article.id,
            "published": view.human_date(article.published),
            "published_from": article.published_from,
            "url": _url(article.url),
            "copies": list(source.copies),
            "anchor": self.articles[article.id].anchor,
        }

    def _established(self, item: view.Established, spans: dict[str, tuple[int, int] | None]) -> dict[str, Any]:
        """One established fact: its sentence, its support linked to the first evidence, its sources."""
        chips = self._chips([*item.fact.articles, *spans], spans)
        first = next((c for c in chips if c["evidence"]), chips[0] if chips else None)
        return {"sentence": item.sentence, "independent": item.independent, "outlets": list(item.outlets),
                "chips": chips, "href": first["href"] if first else None}

    def _discrepancy(self, discrepancy: Discrepancy) -> dict[str, Any]:
        status = view.status(discrepancy)
        shared = view.shared_as_of(discrepancy)
        values = []
        for value in discrepancy.values:
            # Copies print the same sentence: show it once, linked to each source.
            evidence: dict[str, dict[str, Any]] = {}
            for item in value.evidence:
                span = self._add(item)
                if span is None:
                    continue
                key = view.one_line(item.sentence)
                if key not in evidence:
                    evidence[key] = {**self._in_context(self.by_id[item.article].text, span, value.value), "links": []}
                evidence[key]["links"].append(self._chip(item.article, span))
            spans = {e.article: (e.start, e.end) for e in value.evidence if view.valid_evidence(self.story, e)}
            values.append({
                "value": view.display_value(value.value),
                "qualifier": view.QUALIFIER_WORDS.get(value.qualifier or "=", value.qualifier or ""),
                "as_of": "" if shared else view.human_date(value.as_of),
                "chips": self._chips([*value.articles, *spans], spans),
                "evidence": list(evidence.values()),
            })
        return {"id": _SAFE_ID.sub("-", discrepancy.id), "kind": discrepancy.kind, "about": discrepancy.about,
                "status": status, "value_list": values, "as_of": view.human_date(shared)}

    def _in_context(self, text: str, span: tuple[int, int], value: str) -> dict[str, str]:
        start, end = span
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        before = text[max(line_start, start - CONTEXT_CHARS):start]
        after = text[end:min(line_end, end + CONTEXT_CHARS)]
        if start - line_start > CONTEXT_CHARS:
            before = "…" + before.split(" ", 1)[-1]
        if line_end - end > CONTEXT_CHARS:
            after = after.rsplit(" ", 1)[0] + "…"
        sentence = text[start:end]
        match = re.search(rf"(?<!\w){re.escape(value)}(?!\w)", sentence, flags=re.IGNORECASE) if value else None
        pre, mark, post = (
            (sentence[:match.start()], match.group(), sentence[match.end():]) if match else (sentence, "", "")
        )
        return {"before": before, "pre": pre, "mark": mark, "post": post, "after": after}

    def _matrix(self) -> dict[str, Any]:
        rows = []
        for row in view.matrix(self.story):
            cells = []
            for source, cell in zip(self.sources, row.cells, strict=True):
                href = None
                if cell.evidence is not None and view.valid_evidence(self.story, cell.evidence):
                    span = self._add(cell.evidence)
                    href = self._href(source.article.id, span)
                cells.append({"state": cell.state, "mark": view.mark(row, cell), "value": cell.value, "href": href,
                              "number": source.number,
                              "title": f"[{source.number}] {source.label}: {cell.state}"
                                       + (f" {cell.value}" if cell.value else "")})
            rows.append({"kind": row.kind, "label": row.label, "cells": cells, "status": row.status})
        return {"sources": [{"number": s.number, "label": s.label} for s in self.sources], "rows": rows,
                "stacked": len(self.sources) > STACK_ABOVE}

    def _quotes(self, spans: dict[tuple[int, int], tuple[int, int] | None]) -> list[dict[str, Any]]:
        index = {id(quote): n for n, quote in enumerate(self.story.quotes)}
        groups = []
        for speaker, quotes in view.quotes_by_speaker(self.story):
            items = []
            for quote in quotes:
                variant_spans = {
                    v.article: spans.get((index[id(quote)], i)) for i, v in enumerate(quote.variants)
                }
                items.append({
                    "text": quote.text,
                    "chips": self._chips([*quote.articles, *variant_spans], variant_spans),
                    "others": [
                        {"speaker": other, "chips": self._chips(articles, variant_spans)}
                        for other, articles in view.other_speakers(quote)
                    ],
                    "variants": [
                        {"text": v.text, "speaker": v.speaker,
                         "chips": self._chips([v.article], variant_spans)}
                        for v in quote.variants if view.one_line(v.text) != view.one_line(quote.text)
                    ],
                })
            groups.append({"speaker": speaker, "quotes": items})
        return groups

    def _article(self, spans: _ArticleSpans) -> dict[str, Any]:
        article = spans.article
        paragraphs = _segments(article.text, sorted(spans.spans))
        flat = [segment for paragraph in paragraphs for segment in paragraph]
        # Each span start gets an anchor on the segment it starts (or the next one).
        for start in sorted({s for s, _ in spans.spans}):
            holder = next((seg for seg in flat if seg["end"] > start), None)
            if holder is None:
                continue
            holder["id"] = holder["id"] or f"{spans.anchor}-s-{holder['start']}"
            spans.ids[start] = holder["id"]
        number = self.numbers[article.id]
        return {
            "number": number,
            "anchor": spans.anchor,
            "title": article.title or article.id,
            "outlet": self.sources[number - 1].outlet,
            "published": view.human_date(article.published),
            "url": _url(article.url),
            "copies": list(self.sources[number - 1].copies),
            "words": len(article.text.split()),
            "paragraphs": paragraphs,
            "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        }


def _segments(text: str, spans: Sequence[tuple[int, int]]) -> list[list[dict[str, Any]]]:
    """Cut ``text`` into lines, and lines into segments at every span boundary.

    Each segment records its offsets and whether an evidence span covers it
    (``ev``); ``id`` (its anchor) is filled in by the caller.
    """
    cuts = sorted({p for span in spans for p in span})
    paragraphs: list[list[dict[str, Any]]] = []
    for line in _LINE.finditer(text):
        if not line.group().strip():
            continue
        points = [line.start(), *(c for c in cuts if line.start() < c < line.end()), line.end()]
        segments = []
        for begin, end in zip(points, points[1:], strict=False):
            covered = any(s <= begin and end <= e for s, e in spans)
            segments.append({"text": text[begin:end], "start": begin, "end": end, "ev": covered, "id": None})
        paragraphs.append(segments)
    return paragraphs


def _by_date(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive timeline entries of the same date under one date."""
    days: list[dict[str, Any]] = []
    for entry in entries:
        if not days or days[-1]["iso"] != entry["iso"]:
            days.append({"iso": entry["iso"], "date": entry["date"], "events": []})
        days[-1]["events"].append(entry)
    return days


def _independent(story: Story) -> int:
    """Sources after collapsing articles that copy each other (connected by ``copies``)."""
    parent = {a.id: a.id for a in story.articles}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for article in story.articles:
        for other in article.copies:
            if other in parent:
                parent[find(other)] = find(article.id)
    return len({find(a) for a in parent})


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name}-{n}", n + 1
    used.add(candidate)
    return candidate
