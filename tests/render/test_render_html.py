"""The HTML page without a browser: escaping, the CSP hashes, no external resources, anchors."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import replace
from html.parser import HTMLParser

from accord.models import Evidence, Report, SummarySentence
from accord.render.html import json_for_script, to_html
from render_story import HOSTILE, TEXTS, make_report


class _Page(HTMLParser):
    """Collects tags, attributes, the inline blocks and the text of elements by id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.blocks: list[tuple[str, dict[str, str | None], str]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open, self._text = (tag, dict(attrs)), []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            self.blocks.append((tag, self._open[1], "".join(self._text)))
            self._open = None


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _sha(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def test_article_markup_is_escaped_everywhere(report: Report) -> None:
    html = to_html(report)
    page = _parse(html)
    assert not [t for t, _ in page.tags if t in ("img", "b", "iframe", "object")]
    assert not [(t, a) for t, a in page.tags for name in a if name.startswith("on")]
    assert len([t for t, _ in page.tags if t == "script"]) == 2  # the JSON block and our script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;document.title=&#39;pwned&#39;&#34;&gt;" in html


def test_csp_allows_exactly_the_inline_style_and_script(report: Report) -> None:
    page = _parse(to_html(report))
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["img-src"] == "data:"
    assert "connect-src" not in directives  # falls back to 'none'
    style = next(text for tag, _, text in page.blocks if tag == "style")
    script = next(text for tag, attrs, text in page.blocks if tag == "script" and "type" not in attrs)
    assert directives["style-src"] == f"'{_sha(style)}'"
    assert directives["script-src"] == f"'{_sha(script)}'"
    assert "unsafe-inline" not in csp


def test_page_loads_nothing_from_outside(report: Report) -> None:
    page = _parse(to_html(report))
    for tag, attrs in page.tags:
        assert "src" not in attrs, tag
        if tag == "link":
            assert attrs.get("href", "").startswith("data:"), attrs
        if tag == "a" and not attrs["href"].startswith("#"):
            assert attrs["href"].startswith("https://"), attrs
    assert not [a for t, a in page.tags if t == "link" and a.get("rel") == "stylesheet"]
    # and no inline style attributes (the CSP would block them)
    assert not [a for _, a in page.tags if "style" in a]


def test_discrepancies_come_before_the_summary(report: Report) -> None:
    html = to_html(report)
    assert html.index('id="s1-disc"') < html.index('id="s1-summary"') < html.index('id="s1-matrix"')
    # conflict first
    assert html.index("card-conflict") < html.index("card-compatible")
    assert ">Conflict<" in html and ">Compatible<" in html  # a text label, not colour alone


def test_evidence_anchors_wrap_the_evidence_sentence(report: Report) -> None:
    html = to_html(report)
    sentence = "Fourteen passengers were injured, the harbour master said."
    start = TEXTS["herald"].index(sentence)
    anchor = f'id="article-herald-s-{start}"'
    assert anchor in html
    segment = re.search(rf'<span class="seg ev" {anchor} data-s="{start}" data-e="(\d+)">([^<]*)</span>', html)
    assert segment and segment.group(2) == sentence
    data = json.loads(next(t for tag, a, t in _parse(html).blocks if a.get("type") == "application/json"))
    assert data["targets"][f"article-herald-s-{start}"] == start + len(sentence)


def test_summary_chips_link_to_the_sentence_in_each_article(report: Report) -> None:
    html = to_html(report)
    summary = html[html.index('id="s1-summary"'):html.index('id="s1-matrix"')]
    assert 'href="#article-herald-s-0"' in summary  # found verbatim in the article
    # a sentence describing a discrepancy links to that discrepancy's evidence
    about_20 = TEXTS["blog"].index("About 20 passengers")
    assert f'href="#article-blog-s-{about_20}"' in summary
    # a sentence restating a fact links to the fact's evidence in each article
    at_least = TEXTS["post"].index("At least 11 passengers")
    assert summary.count(f'href="#article-post-s-{at_least}"') == 2


def test_json_block_cannot_close_its_script() -> None:
    text = json_for_script({"x": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"x": "</script><script>alert(1)</script> & <!--"}


def test_hostile_article_ids_stay_inside_attributes() -> None:
    report = make_report()
    story = report.stories[0]
    odd = "x\"><script>alert(1)</script>"
    article = replace(story.articles[0], id=odd)
    evidence = Evidence(article=odd, sentence="A cable", start=0, end=7)
    story = replace(story, articles=(article, *story.articles[1:]),
                    summary=(SummarySentence(text="A cable ferry struck.", articles=(odd,)),),
                    facts=(replace(story.facts[0], articles=(odd,), evidence=(evidence,)),))
    html = to_html(replace(report, stories=(story,)))
    page = _parse(html)
    assert len([t for t, _ in page.tags if t == "script"]) == 2
    assert 'id="article-x-script-alert-1-script"' in html


def test_bad_evidence_offsets_do_not_break_the_page(report: Report) -> None:
    story = report.stories[0]
    broken = replace(story.facts[0], evidence=(Evidence(article="herald", sentence="?", start=5000, end=6000),
                                               Evidence(article="nowhere", sentence="?", start=0, end=3)))
    html = to_html(replace(report, stories=(replace(story, facts=(broken,)),)))
    assert "s-5000" not in html and "nowhere" not in html


def test_empty_sections_and_no_story(empty_report: Report) -> None:
    html = to_html(empty_report)
    assert "No discrepancies found" in html
    assert "No facts or discrepancies to compare" in html
    assert "No summary yet" in html
    assert "Skipped inputs" in html and "photos/empty | &lt;b&gt;.txt" in html
    none = to_html(Report(stories=(), generated_by="accord 0"))
    assert "None of the inputs could be used" in none


def test_removed_boilerplate_is_listed_with_its_reason(report: Report) -> None:
    html = to_html(report)
    assert "Removed as boilerplate (2)" in html
    assert '<span class="reason">comment section</span><span class="removed-text">Comments (3): great | &lt;b&gt;bold&lt;/b&gt;</span>' in html


def test_same_report_gives_the_same_page(report: Report) -> None:
    assert to_html(report) == to_html(make_report())
    assert HOSTILE not in to_html(report)


def test_established_facts_lead_the_page_and_their_counts_link_to_evidence(report: Report) -> None:
    import re as regex

    page = to_html(report)
    assert page.index('id="s1-established"') < page.index('id="s1-disc"')
    item = page.split('<ol class="established">', 1)[1].split("</li>", 1)[0]
    assert "The ferry hit the quay at Tollan on Friday evening." in item
    link = regex.search(r'<a class="support-n" href="#([^"]+)">3 independent sources</a>', item)
    assert link is not None and f'id="{link.group(1)}"' in page
    assert "Coast Herald, Tollan Post, Wire Service" in item
    assert 'href="#s1-established"><strong>2</strong> established facts' in page


def test_disputed_only_page_has_no_established_section(report: Report) -> None:
    page = to_html(report, disputed_only=True)
    assert 'id="s1-established"' not in page and "Only what the sources dispute" in page
    assert 'id="s1-disc"' in page
