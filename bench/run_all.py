"""Run every benchmark in turn and print their figures (``make bench``).

Each benchmark is a module of this package with a ``main()``; a benchmark
whose data set is missing says so and is skipped.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import bench

#: Modules of bench/ that are helpers or long scale runs, not benchmarks to run by default.
_NOT_BENCHMARKS = {"run_all", "group_scale"}


def main() -> int:
    """Run each benchmark module's ``main()``; return non-zero if any failed."""
    failed = []
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_"))
    for name in names:
        if name in _NOT_BENCHMARKS:
            continue
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "main"):
            continue
        print(f"\n=== bench.{name}", flush=True)
        started = time.perf_counter()
        try:
            module.main()
        except Exception as exc:  # noqa: BLE001 - report and go on with the others
            print(f"bench.{name} failed: {type(exc).__name__}: {exc}")
            failed.append(name)
        print(f"(bench.{name}: {time.perf_counter() - started:.1f} s)", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
