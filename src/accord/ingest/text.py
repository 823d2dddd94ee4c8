"""Plain text and Markdown articles: the first non-empty line is the title, the rest the body."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from accord.ingest.base import ReadOptions, file_id, finish_article, skip, source_from_file_name
from accord.ingest.decode import NotTextError, decode_text
from accord.models import Article, Skipped

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = ["article_from_markdown", "article_from_text", "read_markdown", "read_text"]

log = logging.getLogger(__name__)


def article_from_text(
    text: str,
    *,
    id: str,  # noqa: A002 - the field is called id everywhere in accord
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    published: str | None = None,
    updated: str | None = None,
    language: str | None = None,
    options: ReadOptions | None = None,
    input: str | None = None,  # noqa: A002 - as Article.input
) -> Article | Skipped:
    """Make a cleaned article from plain text.

    With ``title=None`` the first non-empty line is the title and the rest the body;
    otherwise all of ``text`` is the body. ``published`` (an ISO date from metadata)
    is kept with ``published_from="metadata"``; without it the date comes from the
    text's date line or dateline, then from ``options.published``.
    """
    options = options or ReadOptions()
    name = input or id
    if title is None:
        title, text = _split_title(text)
        if not title:
            return skip(name, "empty file")
    article = Article(
        id=id,
        title=title,
        text=text,
        source=source,
        url=url,
        published=published,
        published_from="metadata" if published else None,
        updated=updated,
        language=language,
        input=name,
    )
    return finish_article(article, options)


def article_from_markdown(
    markdown: str, *, id: str, options: ReadOptions | None = None, input: str | None = None  # noqa: A002
) -> Article | Skipped:
    """Make a cleaned article from Markdown: markup is dropped, link texts are kept."""
    title, body = _split_title(markdown)
    if not title:
        return skip(input or id, "empty file")
    underline, _, rest = body.lstrip("\n").partition("\n")
    if underline.strip() and set(underline.strip()) <= {"=", "-"}:
        body = rest  # a setext heading: the title's underline
    return article_from_text(
        _markdown_to_text(body),
        id=id,
        title=_markdown_to_text(title.lstrip("#").strip()),
        options=options,
        input=input,
    )


def read_text(path: Path, data: bytes, options: ReadOptions) -> list[Article | Skipped]:
    """Read a .txt file; a domain in the file's name is the source when nothing else gives one."""
    try:
        text = decode_text(data)
    except NotTextError as exc:
        return [skip(str(path), str(exc))]
    article = article_from_text(text, id=file_id(path), options=options, input=str(path))
    if isinstance(article, Article) and article.source is None:
        article = replace(article, source=source_from_file_name(path))
    return [article]


def read_markdown(path: Path, data: bytes, options: ReadOptions) -> list[Article | Skipped]:
    """Read a .md file."""
    try:
        text = decode_text(data)
    except NotTextError as exc:
        return [skip(str(path), str(exc))]
    return [article_from_markdown(text, id=file_id(path), options=options, input=str(path))]


def _split_title(text: str) -> tuple[str, str]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, line in enumerate(lines):
        if line.strip():
            return line.strip().lstrip("\ufeff"), "\n".join(lines[index + 1:])
    return "", ""


def _markdown_to_text(markdown: str) -> str:
    """Markdown to plain text with markdown-it's parser: one line per block, markup removed."""
    from markdown_it import MarkdownIt

    lines: list[str] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "inline":
            lines.append(_inline_text(token.children or []))
            lines.append("")
        elif token.type in ("code_block", "fence"):
            lines.append(token.content.rstrip("\n"))
            lines.append("")
    return "\n".join(lines).strip()


def _inline_text(children: list[Token]) -> str:
    # Text and code spans are kept, line breaks stay line breaks, images and raw HTML go.
    parts: list[str] = []
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
    return "".join(parts)
