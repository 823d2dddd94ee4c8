"""How long ``accord report`` takes on a five-article story, beside a bare spaCy load and parse.

Both run as fresh subprocesses, alternately, three times each; the median wall
time and the peak resident memory (ru_maxrss of the child) are printed. The
peer loads the same spaCy pipeline and parses the same cleaned article texts,
nothing else: the floor any spaCy-based report has to pay. Target: the
report takes no more than twice the peer.

Run: python -m bench.report_speed
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "harbour-fire"
RUNS = 3

_SPACY_ONLY = """
import json, sys
from accord.analyze.nlp import get_nlp
texts = json.load(open(sys.argv[1], encoding="utf-8"))
nlp = get_nlp()
for doc in nlp.pipe(texts):
    pass
"""


def _run(command: list[str]) -> tuple[float, float]:
    """Run a command; return its wall time in seconds and peak RSS in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed: {result.stderr[-500:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far (kB on Linux): report it when it grew.
    return elapsed, max(peak, before) / 1024


def main() -> int:
    """Print median wall time and peak memory of the report and of the spaCy-only peer."""
    if not EXAMPLE.is_dir():
        print(f"example story not found at {EXAMPLE}; skipping")
        return 0
    from accord.dates import assign_story_dates
    from accord.ingest import read

    articles = assign_story_dates(read([EXAMPLE]).articles)
    with tempfile.TemporaryDirectory() as tmp:
        texts = Path(tmp) / "texts.json"
        texts.write_text(json.dumps([a.text for a in articles]), "utf-8")
        out = Path(tmp) / "report.json"
        peer_cmd = [sys.executable, "-c", _SPACY_ONLY, str(texts)]
        report_cmd = [sys.executable, "-m", "accord.cli", "report", str(EXAMPLE), "--format", "json",
                      "-o", str(out)]
        # Peak memory per command: measured in separate helper processes so the maxima do not mix.
        peer_times, report_times = [], []
        for _ in range(RUNS):
            peer_times.append(_run(peer_cmd)[0])
            report_times.append(_run(report_cmd)[0])
        peer_mem = _peak([sys.executable, "-m", "bench.report_speed", "--peak", *peer_cmd])
        report_mem = _peak([sys.executable, "-m", "bench.report_speed", "--peak", *report_cmd])
    peer, rep = statistics.median(peer_times), statistics.median(report_times)
    words = sum(len(a.text.split()) for a in articles)
    print(f"examples/harbour-fire: {len(articles)} articles, {words} words; median of {RUNS} runs each")
    print(f"{'':<34} {'wall s':>7} {'peak MB':>8}")
    print(f"{'spaCy load + parse (peer)':<34} {peer:7.2f} {peer_mem:8.0f}")
    print(f"{'accord report --format json':<34} {rep:7.2f} {report_mem:8.0f}")
    print(f"ratio report / peer: {rep / peer:.2f} (target <= 2.00)")
    return 0


def _peak(command: list[str]) -> float:
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return float(result.stdout.strip())


def _peak_child(command: list[str]) -> int:
    """Run one command and print its peak RSS in MB (used by :func:`_peak`)."""
    subprocess.run(command, capture_output=True, check=True)
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--peak":
        sys.exit(_peak_child(sys.argv[2:]))
    sys.exit(main())
