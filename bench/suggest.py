"""Time the suggestions for one request: 200 random requests, p50/p95/max in milliseconds.

Run after `python -m bench.seed` with the same environment, e.g.
`G2ID_VAR_DIR=bench/var DJANGO_SETTINGS_MODULE=bench.settings python -m bench.suggest`
(on PostgreSQL when DATABASE_URL names it). Writes bench/results/suggest.json. Issue 4's
budget: under 50 ms at 100,000 requests.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from g2id.requests.models import Request  # noqa: E402
from g2id.suggestions.services import suggest  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
SAMPLE = int(os.environ.get("BENCH_SUGGEST_SAMPLE", "200"))
BUDGET_MS = 50.0


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, round(share * (len(sorted_values) - 1)))]


def main() -> int:
    rng = random.Random(4)  # noqa: S311 - picks requests to time, not secrets
    ids = list(Request.objects.values_list("pk", flat=True))
    if not ids:
        raise SystemExit("No request: run `python -m bench.seed` first.")
    picked = rng.sample(ids, k=min(SAMPLE, len(ids)))
    requests = Request.objects.select_related("institution", "cell").in_bulk(picked)
    suggest(requests[picked[0]])  # warm-up: connection, translations, planner
    timings, cpu_timings, queries = [], [], []
    for pk in picked:
        request = requests[pk]
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            suggest(request)
            timings.append((time.perf_counter() - started) * 1000)
            cpu_timings.append((time.process_time() - cpu_started) * 1000)
        queries.append(len(captured))
    timings.sort()
    cpu_timings.sort()
    result = {
        "database": connection.vendor,
        "n": len(ids),
        "sample": len(picked),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "max_ms": round(timings[-1], 1),
        # This process's CPU time alone: on a machine busy with other work, closer to what
        # the wall time would be on an idle one (SQLite runs in-process; PostgreSQL's own
        # work is not in it).
        "cpu_p50_ms": round(statistics.median(cpu_timings), 1),
        "cpu_p95_ms": round(percentile(cpu_timings, 0.95), 1),
        "queries_max": max(queries),
        "budget_ms": BUDGET_MS,
        # Other work on the machine slows every figure: say how busy it was.
        "load_average": round(os.getloadavg()[0], 2),
    }
    print(
        f"suggest() on {result['database']}, N={result['n']}, {result['sample']} requests: "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, max {result['max_ms']} ms, "
        f"CPU p50 {result['cpu_p50_ms']} ms, p95 {result['cpu_p95_ms']} ms, "
        f"at most {result['queries_max']} queries (budget {BUDGET_MS:.0f} ms; "
        f"load average {result['load_average']})"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "suggest.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
