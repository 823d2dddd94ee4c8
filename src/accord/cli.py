"""The ``accord`` command line: parses arguments, calls the library, maps errors to exit codes.

No work happens here beyond reading arguments and writing output; anything the
CLI does, a Python caller can do with the functions it calls.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from accord import __version__
from accord.errors import AccordError

log = logging.getLogger(__name__)

#: Exit codes, in one place.
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

DEFAULT_DB = "sqlite:///accord.db"


# --------------------------------------------------------------------------- commands


def _cmd_report(args: argparse.Namespace) -> int:
    from accord.ingest import ReadOptions
    from accord.pipeline import ReportOptions, report, report_from_store
    from accord.render import write_reports

    options = ReportOptions(
        read=ReadOptions(max_bytes=int(args.max_size * 1024 * 1024), published=args.published),
        summary_sentences=args.sentences,
        split=not args.one_story,
    )
    if args.story is not None:
        result = report_from_store(args.db or DEFAULT_DB, args.story, options=options)
    else:
        if not args.inputs:
            raise _usage("give at least one INPUT (file, directory or -), or --db with --story")
        result = report(args.inputs, options=options)
    _print_skipped(result.skipped)
    fmt = args.format or ("terminal" if args.output is None and sys.stdout.isatty() else None)
    if len(result.stories) > 1:
        print(f"accord: the {sum(len(s.articles) for s in result.stories)} articles report "
              f"{len(result.stories)} separate stories; each is reported on its own "
              "(--one-story takes them as one)", file=sys.stderr)
    for written in write_reports(result, fmt=fmt, output=args.output, inputs=args.inputs):
        print(f"accord: wrote {written}", file=sys.stderr)
    return EXIT_OK if result.stories else EXIT_ERROR


def _cmd_analyze(args: argparse.Namespace) -> int:
    from accord.analyze import analyze_many, analyze_story
    from accord.ingest import ReadOptions, read
    from accord.models import to_dict

    result = read(args.inputs, options=ReadOptions(published=args.published))
    _print_skipped(result.skipped)
    analyzed_articles = analyze_story(result.articles) if args.story else analyze_many(result.articles)
    for analyzed in analyzed_articles:
        print(json.dumps(to_dict(analyzed), ensure_ascii=False))
    return EXIT_OK if result.articles else EXIT_ERROR


def _cmd_quantities(args: argparse.Namespace) -> int:
    from accord.analyze.quantities import quantities_per_line

    for line_result in quantities_per_line(line.rstrip("\n") for line in sys.stdin):
        print(json.dumps(line_result, ensure_ascii=False))
    return EXIT_OK


def _cmd_align(args: argparse.Namespace) -> int:
    from accord.corroborate.align import align_jsonl

    for row in align_jsonl(args.file):
        print(json.dumps(row, ensure_ascii=False))
    return EXIT_OK


def _cmd_ingest(args: argparse.Namespace) -> int:
    from accord.corpus import ingest

    summary = ingest(args.inputs, db_url=args.db or DEFAULT_DB, workers=args.workers,
                     consolidate=args.consolidate)
    print(summary.describe(), file=sys.stderr)
    _print_skipped(summary.skipped)
    return EXIT_OK


def _cmd_group(args: argparse.Namespace) -> int:
    from accord.group import group_jsonl

    for row in group_jsonl(args.file):
        print(json.dumps(row, ensure_ascii=False))
    return EXIT_OK


def _cmd_stories(args: argparse.Namespace) -> int:
    from accord.corpus import print_stories

    print_stories(args.db or DEFAULT_DB, limit=args.limit)
    return EXIT_OK


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser for every ``accord`` command."""
    parser = argparse.ArgumentParser(
        prog="accord",
        description="Cross-check news articles about the same events.",
    )
    parser.add_argument("--version", action="version", version=f"accord {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    _add(
        sub, "report", _cmd_report,
        "cross-check the articles of one story",
        "accord report examples/harbour-fire/ --format html -o report.html",
    )
    rep = sub.choices["report"]
    rep.add_argument("inputs", nargs="*", metavar="INPUT",
                     help="files, directories (read recursively) or - for stdin")
    rep.add_argument("--format", choices=["json", "markdown", "html", "terminal"],
                     help="output format (default: terminal view on a terminal, else markdown)")
    # Kept as a string: a trailing "/" means "a directory, create it", which Path would drop.
    rep.add_argument("-o", "--output", metavar="PATH",
                     help="write to this file, or into this directory (end it with /) under the story's name")
    rep.add_argument("--published", type=_iso_date, metavar="YYYY-MM-DD",
                     help="publication date for articles that give none")
    rep.add_argument("--sentences", type=int, default=6, metavar="N",
                     help="summary length in sentences (default 6)")
    rep.add_argument("--max-size", type=float, default=50.0, metavar="MB",
                     help="refuse inputs larger than this (default 50 MB)")
    rep.add_argument("--one-story", action="store_true",
                     help="take the inputs as one story (by default inputs about several events are "
                          "grouped into stories as accord ingest groups them, and each is reported)")
    rep.add_argument("--db", metavar="URL", help="corpus store, with --story")
    rep.add_argument("--story", metavar="ID", help="report a story from the corpus store")

    _add(sub, "analyze", _cmd_analyze,
         "print entities, quantities, time expressions and quotes of each article",
         "accord analyze article.txt --format json")
    ana = sub.choices["analyze"]
    ana.add_argument("inputs", nargs="+", metavar="INPUT")
    ana.add_argument("--format", choices=["json"], default="json")
    ana.add_argument("--published", type=_iso_date, metavar="YYYY-MM-DD")
    ana.add_argument("--story", action="store_true",
                     help="the inputs are one story: merge entities across them and date undated articles from it")

    _add(sub, "quantities", _cmd_quantities,
         "read one sentence a line on stdin, write its quantities as one JSON line",
         "echo 'About 62 people were injured.' | accord quantities")

    _add(sub, "align", _cmd_align,
         "group statements that say the same thing: {id,text[,context,source]} lines in, "
         "{id,fact} lines out",
         "accord align statements.jsonl --format jsonl")
    ali = sub.choices["align"]
    ali.add_argument("file", metavar="FILE.jsonl", help="statements, one JSON object a line (- for stdin)")
    ali.add_argument("--format", choices=["jsonl"], default="jsonl")

    _add(sub, "ingest", _cmd_ingest,
         "read a corpus (files, folders, WARC, RSS/Atom) into the store and group it into stories",
         "accord ingest crawl/ --db sqlite:///accord.db")
    ing = sub.choices["ingest"]
    ing.add_argument("inputs", nargs="+", metavar="INPUT")
    ing.add_argument("--db", metavar="URL", help=f"store URL (default {DEFAULT_DB})")
    ing.add_argument("--workers", type=int, default=None, metavar="N",
                     help="worker processes (default: all cores)")
    ing.add_argument("--no-consolidate", dest="consolidate", action="store_false",
                     help="keep each article where the incremental index placed it (by default the "
                          "stories that grew are re-clustered with the batch method at the end of the run)")

    _add(sub, "group", _cmd_group,
         "group a JSONL file of articles into stories: {id,story} lines out, in input order",
         "accord group articles.jsonl --format jsonl")
    grp = sub.choices["group"]
    grp.add_argument("file", metavar="FILE.jsonl", help="articles, one JSON object a line (- for stdin)")
    grp.add_argument("--format", choices=["jsonl"], default="jsonl")

    _add(sub, "stories", _cmd_stories, "list the stories in the store, newest first",
         "accord stories --db sqlite:///accord.db")
    sto = sub.choices["stories"]
    sto.add_argument("--db", metavar="URL", help=f"store URL (default {DEFAULT_DB})")
    sto.add_argument("--limit", type=int, default=50, metavar="N")
    return parser


def _add(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    name: str,
    func: Callable[[argparse.Namespace], int],
    summary: str,
    example: str,
) -> None:
    parser = sub.add_parser(
        name, help=summary, description=summary,
        epilog=f"example:\n  {example}", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=func)


def _iso_date(value: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {value!r}") from None


def _usage(message: str) -> AccordError:
    from accord.errors import UsageError

    return UsageError(message)


def _print_skipped(skipped: Sequence[object]) -> None:
    for item in skipped:
        print(f"accord: skipped {item.input}: {item.reason}", file=sys.stderr)  # type: ignore[attr-defined]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``accord`` command line and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="accord: %(message)s",
    )
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except AccordError as exc:
        print(f"accord: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("accord: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - no traceback reaches a user
        log.debug("unexpected error", exc_info=True)
        print(
            f"accord: internal error: {type(exc).__name__}: {exc} "
            "(run with -v for details; please report this)",
            file=sys.stderr,
        )
        if args.verbose:
            import traceback

            traceback.print_exc()
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
