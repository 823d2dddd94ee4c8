"""A small store for the web app tests: three fire stories, a council vote, and a hostile article."""

from __future__ import annotations

import json
from pathlib import Path

from corpus.builders import BRENNICK, BUDGET, TARNFORD, html_page

#: Text that must be shown as text: a script, an event handler and a closing tag.
HOSTILE = "<script>document.title='pwned';alert('x')</script><img src=x onerror=alert(2)></textarea>"

QUARRY = [
    ("Blast at Dunmore quarry injures four",
     f"Four workers were injured in a blast at the Dunmore quarry on Monday morning, the operator "
     f"Keswick Stone said.\n\nA sign left at the gate read {HOSTILE} according to site manager "
     "Paula Ende.\n\nThe quarry on Fell Road was closed while inspectors examined the blasting shed."),
    ("Dunmore quarry explosion: six hurt",
     "Six workers were injured in a blast at the Dunmore quarry on Monday morning, the operator "
     "Keswick Stone said.\n\nSite manager Paula Ende said the blasting shed on Fell Road would stay "
     "closed while inspectors examined it."),
]


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
    (folder / "budget.html").write_text(html_page(*BUDGET, site="Harlow Gazette", published="2024-04-02"),
                                        encoding="utf-8")
    urls = ["https://quarrynews.example/dunmore-blast", "javascript:alert(3)"]
    records = [{"id": f"quarry-{index}", "title": title, "text": body, "source": f"Quarry News {index}",
                "url": urls[index], "published": "2024-06-03"} for index, (title, body) in enumerate(QUARRY)]
    (folder / "quarry.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder
