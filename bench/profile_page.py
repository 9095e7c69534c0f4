"""Profile pages in-process, through the whole middleware stack, on a PostgreSQL database already filled by the bench.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cqp_bench .venv/bin/python bench/profile_page.py /dossiers/ DOSSIER

For each path: the median time of N requests (test client, a real OEMM session cookie), the server time and SQL query
count the bench reads (``Server-Timing``, ``X-Bench-Queries``), the response size. ``DOSSIER`` stands for the bench's
dossier page, ``BARE`` for /bench/bare-session/. Environment: ``N`` (40), ``ROLE`` / ``EMAIL`` (oemm,
oemm@demo.cqp), ``SQL=1`` prints each query, ``PROFILE=1`` adds cProfile (``SORT``: tottime, ``TOP``: 35).
A figure is worth something only next to another taken in the same minute (A/B interleaved): on a shared machine the
same page varies by ± 30 % from one run to another; query counts and cProfile call counts do not.
"""

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqp.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cqp_bench")
os.environ["BENCH_VIEWS"] = "true"
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# bench/run.py (this script's directory is on sys.path); imported once Django is set up, as it sets its own
# environment (BENCH_DB's URL) for the processes it starts.
from run import series_targets, session_cookie  # noqa: E402


def main(args):
    settings.ALLOWED_HOSTS = ["*"]
    role = os.environ.get("ROLE", "oemm")
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie(os.environ.get("EMAIL", f"{role}@demo.cqp"), role)
    n = int(os.environ.get("N", 40))
    special = {"BARE": "/bench/bare-session/"}
    for arg in args:
        path = special.get(arg) or (series_targets()["dossier"] if arg == "DOSSIER" else arg)
        response = client.get(path)
        if response.status_code != 200:
            print(f"{path} : HTTP {response.status_code}")
            continue
        walls, servers = [], []
        for _ in range(n):
            started = time.perf_counter()
            response = client.get(path)
            walls.append((time.perf_counter() - started) * 1000)
            servers.append(float(response["Server-Timing"].split("dur=")[1]))
        print(
            f"{path} : médiane {statistics.median(walls):.2f} ms, serveur {statistics.median(servers):.2f} ms, "
            f"{response['X-Bench-Queries']} requêtes SQL, {len(response.content)} octets"
        )
        if os.environ.get("SQL"):
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            for query in queries.captured_queries:
                print(f"  {query['sql'][:300]}")
        if os.environ.get("PROFILE"):
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(n):
                client.get(path)
            profile.disable()
            stats = pstats.Stats(profile).sort_stats(os.environ.get("SORT", "tottime"))
            stats.print_stats(int(os.environ.get("TOP", 35)))


if __name__ == "__main__":
    main(sys.argv[1:] or ["/dossiers/", "DOSSIER", "BARE"])
