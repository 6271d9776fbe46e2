"""Where a bench endpoint spends its time, in this process: wall and CPU per request, the SQL's share,
and (with --top N) cProfile's N heaviest functions (--sort cumulative, --only a path part). A tool for the
next fix, not part of `make bench`.

    .venv/bin/python bench/profile_pages.py --scale w1 case_list chain --repeat 20 --top 25

Reads the bench database the same way bench/run.py does (BENCH_DATABASE_URL, seeded by `make bench`).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import prepare  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["small", "w1"], default="w1")
    parser.add_argument("--repeat", type=int, default=20, help="requests measured per endpoint (after one warm-up)")
    parser.add_argument("--top", type=int, default=0, help="print cProfile's heaviest functions (by own time)")
    parser.add_argument("--sort", default="tottime", help="cProfile's order: tottime (own time) or cumulative")
    parser.add_argument("--only", default="", help="with --top: only functions whose file path contains this")
    parser.add_argument("keys", nargs="*", help="endpoint keys of bench/endpoints.py (default: all)")
    args = parser.parse_args(argv)

    os.environ.update(prepare.bench_env(args.scale))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.endpoints import endpoints
    from bench.inprocess import client_for

    chosen = [e for e in endpoints() if not args.keys or e.key in args.keys]
    for endpoint in chosen:
        client = client_for(endpoint)
        assert client.get(endpoint.path).status_code == 200, endpoint.path
        profiler = cProfile.Profile() if args.top else None
        walls: list[float] = []
        cpu = sql = 0.0
        queries = 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                w0, c0 = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                client.get(endpoint.path)
                if profiler:
                    profiler.disable()
                walls.append(time.perf_counter() - w0)
                cpu += time.process_time() - c0
            sql += sum(float(q["time"]) for q in captured.captured_queries)
            queries = len(captured.captured_queries)
        n = args.repeat
        print(f"{endpoint.key:16} wall median {1000 * statistics.median(walls):6.1f} ms  "
              f"python cpu {1000 * cpu / n:6.1f} ms  "
              f"sql {1000 * sql / n:6.1f} ms in {queries} queries")
        if profiler:
            stats = pstats.Stats(profiler).sort_stats(args.sort)
            stats.print_stats(*([args.only] if args.only else []), args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
