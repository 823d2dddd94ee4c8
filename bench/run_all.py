"""Run every benchmark in turn, each in its own process (``make bench``).

A benchmark whose data set is missing says so and exits 0. The scale run
(``bench.group_scale``) takes long and is left to be run on its own.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import time

import bench

#: Modules of bench/ that are not benchmarks to run by default.
_SKIP = {"run_all", "group_scale", "screenshots"}


def main() -> int:
    """Run ``python -m bench.NAME`` for each benchmark; return non-zero if any failed."""
    failed = []
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__))
    for name in names:
        if name in _SKIP or name.startswith("_"):
            continue
        print(f"\n=== python -m bench.{name}", flush=True)
        started = time.perf_counter()
        if subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False).returncode != 0:
            failed.append(name)
        print(f"(bench.{name}: {time.perf_counter() - started:.1f} s)", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
