"""Screenshots of the HTML report of the bundled example story, for the README.

Run from the repository root::

    .venv/bin/python -m bench.screenshots            # writes docs/report-laptop.png, docs/report-phone.png
    .venv/bin/python -m bench.screenshots --full     # whole pages instead of the first screen

It builds the report of examples/harbour-fire, writes it to build/harbour-fire.html
and photographs it in Debian's headless Chromium (``make test-services``) at laptop
(1280x800) and phone (390x844) sizes. Not a benchmark: ``make bench`` skips it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "harbour-fire"
SIZES = {"laptop": ({"width": 1280, "height": 800}, 1), "phone": ({"width": 390, "height": 844}, 2)}


def main(argv: list[str] | None = None) -> int:
    """Render the example story and photograph it; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="photograph whole pages")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="directory for the PNGs")
    args = parser.parse_args(argv)

    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium is not installed (run `make test-services`); no screenshots taken")
        return 0
    if not EXAMPLE.is_dir():
        print(f"{EXAMPLE} is missing; no screenshots taken")
        return 0

    from playwright.sync_api import sync_playwright

    from accord.pipeline import report
    from accord.render import write_report

    started = time.perf_counter()
    result = report([EXAMPLE])
    (ROOT / "build").mkdir(exist_ok=True)
    page_path = write_report(result, fmt="html", output=ROOT / "build", inputs=[str(EXAMPLE)])
    assert page_path is not None
    print(f"report built in {time.perf_counter() - started:.1f} s: {page_path}")

    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        for name, (viewport, scale) in SIZES.items():
            context = browser.new_context(viewport=viewport, device_scale_factor=scale)
            # The page must need nothing from outside: refuse every other request.
            context.route("**/*", lambda route: route.continue_()
                          if route.request.url.startswith("file:") else route.abort())
            page = context.new_page()
            page.goto(page_path.resolve().as_uri())
            target = args.out / f"report-{name}.png"
            page.screenshot(path=str(target), full_page=args.full)
            print(f"{name:7s} {viewport['width']}x{viewport['height']} @{scale}x -> {target}")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
