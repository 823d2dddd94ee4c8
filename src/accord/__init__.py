"""accord: cross-check many news articles about the same events.

The public API is small::

    import accord
    result = accord.read(["story/"])          # articles read and cleaned, plus what was skipped
    report = accord.report(["story/"])        # the cross-checked report
    print(accord.to_json(report))
"""

from __future__ import annotations

import logging

from accord.models import AnalyzedArticle, Article, Report, Skipped, Story

__version__ = "0.1.0"

__all__ = [
    "AnalyzedArticle",
    "Article",
    "Report",
    "Skipped",
    "Story",
    "__version__",
    "analyze",
    "read",
    "report",
    "to_json",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str):  # noqa: ANN202 - lazy re-exports keep `import accord` fast
    if name == "read":
        from accord.ingest import read

        return read
    if name == "report":
        from accord.pipeline import report

        return report
    if name == "analyze":
        from accord.analyze import analyze

        return analyze
    if name == "to_json":
        from accord.render import to_json

        return to_json
    raise AttributeError(f"module 'accord' has no attribute {name!r}")
