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

#: Exit codes, in one place (listed in ``accord --help`` and the README).
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_MISSING_EXTRA = 3
EXIT_STORE = 4
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = """exit status:
  0    success
  1    nothing to report: no input could be read (each is named on stderr), or an error
  2    usage: a bad option value, a missing input path, options that contradict each other
  3    an optional component is not installed (the message names the extra to install)
  4    the corpus store cannot be opened or used
  130  interrupted (Ctrl-C); what was saved is said on stderr"""

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
        if args.inputs:
            raise _usage("give either INPUT... or --db with --story, not both "
                         f"(the inputs {' '.join(args.inputs)} would be ignored)")
        result = report_from_store(args.db or DEFAULT_DB, args.story, options=options)
    else:
        if args.db is not None:
            raise _usage("--db is only used with --story ID (to report a story of the store); "
                         "to report files, leave --db out")
        if not args.inputs:
            raise _usage("give at least one INPUT (file, directory or -), or --db with --story")
        result = report(args.inputs, options=options)
    _print_skipped(result.skipped)
    fmt = args.format or ("terminal" if args.output is None and sys.stdout.isatty() else None)
    if len(result.stories) > 1:
        print(f"accord: the {sum(len(s.articles) for s in result.stories)} articles report "
              f"{len(result.stories)} separate stories; each is reported on its own "
              "(--one-story takes them as one)", file=sys.stderr)
    for written in write_reports(result, fmt=fmt, output=args.output, inputs=args.inputs,
                                 pager=not args.no_pager, disputed_only=args.disputed_only):
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
    from accord.ingest.base import stdin_lines

    for line_result in quantities_per_line(line.rstrip("\r\n") for line in stdin_lines()):
        print(json.dumps(line_result, ensure_ascii=False))
    return EXIT_OK


def _cmd_align(args: argparse.Namespace) -> int:
    from accord.corroborate.align import align_jsonl

    for row in align_jsonl(args.file):
        print(json.dumps(row, ensure_ascii=False))
    return EXIT_OK


def _cmd_ingest(args: argparse.Namespace) -> int:
    from accord.corpus import ingest

    from accord.ingest import ReadOptions

    summary = ingest(args.inputs, db_url=args.db or DEFAULT_DB, workers=args.workers,
                     consolidate=args.consolidate, reread=args.reread,
                     read_options=ReadOptions(max_bytes=int(args.max_size * 1024 * 1024)))
    _print_skipped(summary.skipped)
    print(summary.describe(), file=sys.stderr)
    if summary.read == 0 and not summary.unchanged:
        print(f"accord: nothing was read from {summary.inputs} input{'s' if summary.inputs != 1 else ''}"
              + (": every file was skipped (see the reasons above)" if summary.skipped else "")
              + "; accord ingest reads .txt, .md, .html, .json, .jsonl, .warc, RSS/Atom and their .gz",
              file=sys.stderr)
        return EXIT_ERROR
    if args.reports:
        from accord.report_store import refresh_reports

        print(refresh_reports(args.db or DEFAULT_DB).describe(), file=sys.stderr)
    return EXIT_OK


def _cmd_group(args: argparse.Namespace) -> int:
    from accord.group import group_jsonl

    for row in group_jsonl(args.file):
        print(json.dumps(row, ensure_ascii=False))
    return EXIT_OK


def _cmd_stories(args: argparse.Namespace) -> int:
    from accord.corpus import print_stories

    print_stories(args.db or DEFAULT_DB, limit=args.limit, story_filter=_story_filter(args), fmt=args.format)
    return EXIT_OK


def _story_filter(args: argparse.Namespace) -> object:
    from accord.corpus import StoryFilter

    return StoryFilter(since=args.since, until=args.until, source=args.source, min_sources=args.min_sources,
                       disputed=args.disputed, search=args.search)


def _cmd_export(args: argparse.Namespace) -> int:
    from accord.corpus import export_reports

    if not args.output.endswith(("/", "\\")) and Path(args.output).exists() and not Path(args.output).is_dir():
        raise _usage(f"-o {args.output} is a file: give a directory (end it with /) for one report per story")
    summary = export_reports(args.db or DEFAULT_DB, Path(args.output), fmt=args.format,
                             story_filter=_story_filter(args), sentences=args.sentences)
    _print_skipped(summary.failed)
    print(summary.describe(Path(args.output)), file=sys.stderr)
    return EXIT_ERROR if summary.failed and not summary.written and not summary.unchanged else EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from accord.serve import ServeOptions, serve

    options = ServeOptions(db_url=args.db or DEFAULT_DB, host=args.host, port=args.port, token=args.token,
                           upgrade=args.upgrade, workers=args.workers, cache_mb=args.cache_mb)
    serve(options, ready=lambda address: print(f"accord: serving {options.db_url} at {address} "
                                               "(Ctrl-C stops)", file=sys.stderr, flush=True))
    return EXIT_OK


# --------------------------------------------------------------------------- parser


def _cmd_spark(args: argparse.Namespace) -> int:
    from accord.spark import SparkOptions, run
    from accord.stages import read_manifest

    inputs = list(args.inputs) + [p for m in args.manifest for p in read_manifest(m)]
    if not inputs:
        raise _usage("give INPUT... or --manifest FILE (a file listing input paths, one a line)")
    summary = run(inputs, args.out, SparkOptions(master=args.master, db=args.db))
    print(summary.describe(), file=sys.stderr)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser for every ``accord`` command."""
    parser = argparse.ArgumentParser(
        prog="accord",
        description="Cross-check news articles about the same events.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
    rep.add_argument("--sentences", type=_int_at_least(1), default=6, metavar="N",
                     help="summary length in sentences, 1 or more (default 6)")
    rep.add_argument("--max-size", type=_megabytes, default=50.0, metavar="MB",
                     help="refuse inputs larger than this many megabytes, above 0 (default 50)")
    rep.add_argument("--disputed-only", action="store_true",
                     help="show only what the sources dispute: discrepancies and quotes given to different speakers")
    rep.add_argument("--no-pager", action="store_true",
                     help="print the terminal view straight to the terminal (by default a view longer than the "
                          "screen goes through $PAGER, else less, as git does)")
    rep.add_argument("--one-story", action="store_true",
                     help="take the inputs as one story (by default inputs about several events are "
                          "grouped into stories as accord ingest groups them, and each is reported)")
    rep.add_argument("--db", metavar="URL", type=_db_url, help="corpus store, with --story")
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
    ing.add_argument("--db", metavar="URL", type=_db_url, help=f"store URL (default {DEFAULT_DB})")
    ing.add_argument("--workers", type=_int_at_least(1), default=None, metavar="N",
                     help="worker processes, 1 or more (default: all cores)")
    ing.add_argument("--max-size", type=_megabytes, default=50.0, metavar="MB",
                     help="skip inputs larger than this many megabytes, above 0 (default 50; "
                          "WARC and JSONL files are read as streams and may be larger)")
    ing.add_argument("--reports", action="store_true",
                     help="then compute the report of every story that has none or gained articles, "
                          "for accord serve")
    ing.add_argument("--reread", action="store_true",
                     help="read every input again, even those an earlier run read in full and that have not "
                          "changed since (by default they are passed over)")
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
    sto.add_argument("--db", metavar="URL", type=_db_url, help=f"store URL (default {DEFAULT_DB})")
    sto.add_argument("--limit", type=_int_at_least(0), default=50, metavar="N",
                     help="show at most N stories, 0 for all (default 50)")
    sto.add_argument("--format", choices=["table", "json", "jsonl", "tsv"], default="table",
                     help="a table as wide as the terminal (default), or rows for scripts")
    _add_story_filters(sto)

    _add(sub, "export", _cmd_export, "write every story's report into a directory, one file per story "
         "(a rerun writes only the stories that are new or grew)",
         "accord export --db sqlite:///accord.db -o reports/ --format html")
    exp = sub.choices["export"]
    exp.add_argument("--db", metavar="URL", type=_db_url, help=f"store URL (default {DEFAULT_DB})")
    exp.add_argument("-o", "--output", metavar="DIR/", required=True, help="directory to write into (created)")
    exp.add_argument("--format", choices=["json", "html", "markdown"], default="json",
                     help="report format (default json)")
    exp.add_argument("--sentences", type=_int_at_least(1), default=6, metavar="N",
                     help="summary length in sentences, 1 or more (default 6)")
    _add_story_filters(exp)

    _add(sub, "serve", _cmd_serve, "browse the store in a web browser (read-only; needs accord[serve])",
         "accord serve --db sqlite:///accord.db   # then open http://127.0.0.1:8000/")
    srv = sub.choices["serve"]
    srv.add_argument("--db", metavar="URL", type=_db_url, help=f"store URL (default {DEFAULT_DB})")
    srv.add_argument("--host", default="127.0.0.1",
                     help="address to listen on (default 127.0.0.1; any other needs --token)")
    srv.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    srv.add_argument("--token", metavar="TOKEN",
                     help="access token every request must carry (default: $ACCORD_TOKEN)")
    srv.add_argument("--upgrade", action="store_true",
                     help="first bring an older store's schema up to date (the only write serve makes)")
    srv.add_argument("--workers", type=_int_in(1, 64), default=1, metavar="N",
                     help="server processes answering on the port (default 1; about one per CPU core)")
    srv.add_argument("--cache-mb", type=_int_in(0, 65536), default=64, metavar="MB",
                     help="memory per process for pages kept until the store changes (default 64; 0 keeps none)")

    _add(sub, "spark", _cmd_spark, "run the corpus pipeline on Apache Spark into Parquet tables (needs accord[spark])",
         "accord spark crawl/ --out tables/ --master local[4]")
    spk = sub.choices["spark"]
    spk.add_argument("inputs", nargs="*", metavar="INPUT", help="files and directories (one task per file)")
    spk.add_argument("--manifest", action="append", default=[], metavar="FILE",
                     help="a file listing input paths, one a line (may be repeated)")
    spk.add_argument("--out", required=True, metavar="DIR", help="folder of the Parquet tables (created)")
    spk.add_argument("--master", default="local[2]", metavar="URL",
                     help="Spark master URL (default local[2]; spark://HOST:7077, yarn, ...)")
    spk.add_argument("--db", metavar="URL", type=_db_url,
                     help="also write the articles and stories into this store, for accord stories and "
                          "accord report --story (sqlite:///FILE.db, a .db path, postgresql://...)")
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
        epilog=f"example:\n  {example}\n\n{EXIT_CODES_HELP}", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=func)


def _iso_date(value: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {value!r}") from None


def _add_story_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD", help="stories with articles on or after this day")
    parser.add_argument("--until", type=_iso_date, metavar="YYYY-MM-DD", help="stories with articles on or before this day")
    parser.add_argument("--source", metavar="NAME", help="stories an outlet took part in (part of its name)")
    parser.add_argument("--min-sources", type=_int_at_least(0), default=0, metavar="N",
                        help="stories told by at least N outlets")
    parser.add_argument("--disputed", action="store_true",
                        help="stories whose report finds a conflict (needs accord ingest --reports)")
    parser.add_argument("--search", metavar="WORDS", help="stories whose title or names hold all these words")


def _int_in(low: int, high: int) -> Callable[[str], int]:
    """An argument type: a whole number from ``low`` to ``high``."""
    allowed = f"a whole number from {low} to {high}"

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not {allowed}") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range: use {allowed}")
        return number

    parse.__name__ = "number"  # argparse names the type in its messages
    return parse


def _int_at_least(minimum: int) -> Callable[[str], int]:
    """An argument type: a whole number of at least ``minimum``."""
    allowed = f"a whole number of {minimum} or more" + (" (0 means no limit)" if minimum == 0 else "")

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not {allowed}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"{value} is too small: use {allowed}")
        return number

    parse.__name__ = "number"  # argparse names the type in its messages
    return parse


def _megabytes(value: str) -> float:
    """An argument type: a size in megabytes above 0."""
    import math

    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a size in megabytes (a number above 0, e.g. 50)") from None
    if not math.isfinite(number) or number <= 0:
        raise argparse.ArgumentTypeError(f"{value} is not allowed: use a size in megabytes above 0, e.g. 50")
    return number


def _db_url(value: str) -> str:
    """An argument type: a store URL (sqlite:///FILE.db, postgresql://...) or a SQLite file's path."""
    from accord.corpus import check_db_url

    try:
        return check_db_url(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _usage(message: str) -> AccordError:
    from accord.errors import UsageError

    return UsageError(message)


def _print_skipped(skipped: Sequence[object]) -> None:
    for item in skipped:
        print(f"accord: skipped {item.input}: {item.reason}", file=sys.stderr)  # type: ignore[attr-defined]


def _configure_logging(*, verbose: bool) -> None:
    """accord's own warnings on stderr; the libraries' messages only with -v, named by their library."""

    def ours(record: logging.LogRecord) -> bool:
        return record.name == "accord" or record.name.startswith("accord.")

    class _Format(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            message = super().format(record)
            return f"accord: {message}" if ours(record) else f"accord: ({record.name}) {message}"

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Format("%(message)s"))
    if not verbose:
        handler.addFilter(ours)
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler], force=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``accord`` command line and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(verbose=args.verbose)
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
