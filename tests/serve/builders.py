"""A small store for the web app tests: three fire stories, a council vote, and a hostile article."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from corpus.builders import BRENNICK, BUDGET, TARNFORD, html_page

#: Text that must be shown as text: a script, an event handler and a closing tag.
HOSTILE = "<script>document.title='pwned';alert('x')</script><img src=x onerror=alert(2)></textarea>"

QUARRY = [
    ("Blast at Dunmore quarry injures four",
     f"Four workers were injured in a blast at the Dunmore quarry on Monday morning, the operator "
     f"Keswick Stone said.\n\nA sign left at the gate read {HOSTILE} according to site manager "
     "Paula Ende.\n\nThe quarry on Fell Road was closed while inspectors examined the blasting shed."),
    ("Dunmore quarry explosion: six hurt",
     "An explosion tore through a blasting shed at Dunmore on Monday and six workers were injured, "
     "according to Keswick Stone.\n\nPaula Ende, who manages the site, told reporters that Fell Road "
     "would stay shut until inspectors had finished."),
]


def migrations_config() -> Any:
    """An Alembic configuration of the store's migrations, for tests that step through them."""
    from alembic.config import Config

    import accord.store

    config = Config()
    config.set_main_option("script_location", str(Path(accord.store.__file__).parent / "migrations"))
    return config


def store_at_revision(path: Path, revision: str) -> None:
    """Create a SQLite store at ``path`` migrated only up to ``revision``, as an older accord left it."""
    import sqlalchemy as sa
    from alembic import command

    config = migrations_config()
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def news_folder(root: Path) -> Path:
    """Text files and HTML pages of four stories, with outlets, URLs and dates."""
    folder = root / "news"
    folder.mkdir(parents=True)
    sites = ["Brennick Herald", "County Mail"]
    for index, (title, body) in enumerate(BRENNICK):
        (folder / f"brennick-{index}.html").write_text(
            html_page(title, body, site=sites[index], published="2024-05-07"), encoding="utf-8")
    for index, (title, body) in enumerate(TARNFORD):
        (folder / f"tarnford-{index}.html").write_text(
            html_page(title, body, site=f"Tarnford Outlet {index}", published="2024-05-08"), encoding="utf-8")
    # A syndicated copy of the first Brennick article, and one body run unchanged by two outlets.
    (folder / "brennick-copy.html").write_text(html_page(
        BRENNICK[0][0], "BRENNICK (North Post) - " + BRENNICK[0][1] + " The cause is not yet known.",
        site="North Post", published="2024-05-07"), encoding="utf-8")
    budget = [{"id": f"budget-{outlet.split()[-1].lower()}", "title": BUDGET[0], "text": BUDGET[1],
               "source": outlet, "url": f"https://{outlet.split()[-1].lower()}.example/budget",
               "published": "2024-04-02"} for outlet in ("Harlow Gazette", "Harlow Weekly")]
    (folder / "budget.jsonl").write_text("".join(json.dumps(r) + "\n" for r in budget), encoding="utf-8")
    urls = ["https://quarrynews.example/dunmore-blast", "javascript:alert(3)"]
    for index, (title, body) in enumerate(QUARRY):
        page = html_page(title, body + "\n\nShare this article", site=f"Quarry News {index}", published="2024-06-03")
        page = page.replace("</head>", f'<link rel="canonical" href="{urls[index]}"></head>')
        (folder / f"quarry-{index}.html").write_text(page, encoding="utf-8")
    return folder
