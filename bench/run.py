"""Benchmark of CQP Mutualité at a whole branch's load (make bench). See bench/README.md.

Steps: fresh PostgreSQL database (BENCH_DB, cqp_bench), migrations, référentiels, demo accounts and the smallest
size of dossiers (BENCH_SIZES, 1,000 / 10,000 / 100,000), VACUUM ANALYZE after each addition; gunicorn
(docker-compose.yml's command, 2 workers, on a free loopback port) and a Celery worker over Redis. At each size: the
OEMM list (filtered and whole) and a dossier page, one user. At the middle (reference) size: every page, one user
and 16 users at once, throughput against the bare views (with and without a session) and the Django admin's
changelist, PDFs, peak memory. At the largest: the reminders' dry run, the real daily job and the exports. Writes
bench/results.json and bench/results.md (whole, from bench/results_template.md).

    python bench/run.py                                  # full: ≈ 10 minutes on 2 cores
    python bench/run.py --quick                          # 500 / 2,000 / 5,000 dossiers, fewer requests: ≈ 3 minutes
    python bench/run.py --sizes 1000,10000,100000 --requests 60 --concurrent-requests 160 --seconds 10
    python bench/run.py daily                            # the reminders and the daily job only
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
import report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DB_NAME = os.environ.get("BENCH_DB", "cqp_bench")
ENV = {
    **os.environ,
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER", "redis://127.0.0.1:6379/14"),
    "EMAIL_URL": "memorymail://",
    "BENCH_VIEWS": "true",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "PRIVATE_MEDIA_ROOT": str(ROOT / "var" / "bench" / "private"),
    "LOG_LEVEL": "WARNING",
    "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
}
os.environ.update(ENV)

QUICK = {"sizes": "500,2000,5000", "requests": 15, "concurrent_requests": 64, "seconds": 3}


def options(argv):
    parser = argparse.ArgumentParser(description="make bench (bench/README.md)")
    parser.add_argument("--quick", action="store_true", help="petites tailles, peu de requêtes (essai de bout en bout)")
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1000,10000,100000"))
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", 60)))
    parser.add_argument(
        "--concurrent-requests", type=int, default=int(os.environ.get("BENCH_CONCURRENT_REQUESTS", 160))
    )
    parser.add_argument("--users", type=int, default=int(os.environ.get("BENCH_USERS", 16)))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 10)))
    args = parser.parse_args(argv)
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    args.sizes = sorted({int(x) for x in str(args.sizes).split(",") if x.strip()})
    return args


N_REMINDER_DOSSIERS = int(os.environ.get("BENCH_REMINDER_DOSSIERS", 100000))
GOALS = report.GOALS

LOG_DIR = ROOT / "var" / "bench"
LOG_DIR.mkdir(parents=True, exist_ok=True)
(LOG_DIR / "private").mkdir(exist_ok=True)


def say(text):
    print(text, flush=True)


def manage(*args):
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        check=True,
        stdout=open(LOG_DIR / "manage.log", "a"),
        stderr=subprocess.STDOUT,
    )
    return time.monotonic() - started


def reset_database():
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{DB_NAME}"')
    conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def compose_command(service) -> list[str]:
    import yaml

    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"][service]["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def vm_hwm_mb(pid) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def stop(proc):
    if proc and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ------------------------------------------------------------------ Django side
def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqp.settings")
    import django

    django.setup()


def session_cookie(email, role):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from cqp.models import User

    user = User.objects.get(email=email)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["active_role"] = role
    store.create()
    return store.session_key


def pdf_one(fiche_ids, n=7):
    from jury.models import FicheDecision
    from jury.pdf import build_fiche_pdf

    fiche = FicheDecision.objects.select_related(
        "session_candidate__session",
        "session_candidate__dossier__candidate",
        "session_candidate__dossier__version",
        "session_candidate__dossier__certification",
    ).get(pk=fiche_ids[0])
    build_fiche_pdf(fiche)  # fonts and templates loaded once per process
    times = []
    for _ in range(n):
        started = time.perf_counter()
        build_fiche_pdf(fiche)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def pdf_twenty(fiche_ids):
    from cqp.celery import app
    from jury.tasks import task_build_fiche

    for _ in range(60):
        if app.control.ping(timeout=1):
            break
    else:
        raise RuntimeError("le worker Celery ne répond pas")
    started = time.monotonic()
    results = [task_build_fiche.delay(fiche_id=pk) for pk in fiche_ids]
    for r in results:
        r.get(timeout=120)
    return round(time.monotonic() - started, 2)


def export_measure(fmt):
    """The export of every dossier, streamed in its own process (bench/export_probe.py): rows, time, peak memory."""
    env = {**ENV, "DJANGO_SETTINGS_MODULE": "cqp.settings"}
    out = (
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "export_probe.py"), fmt],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    result = json.loads(out)
    result["ok"] = result["peak_mb"] < GOALS["export_mb"]
    return result


def reminders_measure():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from candidates.models import Dossier
    from pilotage.reminders import send_reminders

    total = Dossier.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        started = time.monotonic()
        report = send_reminders(timezone.localdate(), dry_run=True)
        elapsed = time.monotonic() - started
    return {
        "dossiers": total,
        "seconds": round(elapsed, 2),
        "queries": len(ctx.captured_queries),
        "planned": len(report.planned),
    }


def daily_job_measure():
    """The REAL daily job (pilotage/daily.py: tacit acceptances, reminders recorded and written to the outbox in bulk,
    anonymisation, purges), timed; the e-mails' tasks are queued on the broker, then purged (no worker runs here)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from candidates.models import Dossier
    from cqp.celery import app
    from cqp.models import OutboundEmail, Reminder
    from pilotage.daily import run_daily_job

    total = Dossier.objects.count()
    reminders_before, emails_before = Reminder.objects.count(), OutboundEmail.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        started = time.monotonic()
        result = run_daily_job(timezone.localdate())
        elapsed = time.monotonic() - started
    app.control.purge()
    return {
        "dossiers": total,
        "seconds": round(elapsed, 2),
        "queries": len(ctx.captured_queries),
        "reminders": Reminder.objects.count() - reminders_before,
        "emails": OutboundEmail.objects.count() - emails_before,
        "result": {key: value for key, value in result.items() if isinstance(value, int | bool)},
    }


def daily_job_line(job) -> str:
    verdict = report.verdict
    return (
        f"| Traitement quotidien RÉEL (rappels enregistrés et mis en file), {job['dossiers']} dossiers | "
        f"{job['seconds']} s, {job['queries']} requêtes SQL, {job['reminders']} rappels, {job['emails']} e-mails "
        f"| < {GOALS['daily_job_s']} s | {verdict(job['ok'])} |"
    )


def git_commit():
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "inconnu"


def machine():
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "",
    )
    pg = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "postgresql": pg,
        "kernel": platform.release(),
    }


def analyze():
    """What autovacuum does on a live database, after each addition of data (autovacuum is off on these machines):
    statistics for the planner (without them PostgreSQL estimates one row for the filtered list and joins everything
    before sorting) and the visibility map (without it no index-only scan: the list's count reads the table)."""
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname=DB_NAME)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    conn.close()


def grow_to(size, current, *, light=False) -> float:
    """Adds dossiers up to ``size`` (seed_volume), then VACUUM ANALYZE; returns the seconds taken."""
    from django.db import connections

    connections.close_all()
    seconds = 0.0
    if size > current:
        seconds = manage("seed_volume", "--candidates", str(size - current), *(["--light"] if light else []))
    analyze()
    return round(seconds, 1)


def series_targets() -> dict:
    """The pages measured at each size: the OEMM list filtered (page 3) and whole, and one VAE dossier's page."""
    from django.db.models import Count

    from candidates.models import Dossier
    from referentiels.models import Certification

    dossier = Dossier.objects.filter(path="vae", state="decide").annotate(n=Count("events")).order_by("-n", "pk")[0]
    gpac = Certification.objects.get(code="gpac").pk
    return {
        "list_filtered": "/dossiers/?cqp=gpac&path=vae&page=3",
        "list_all": "/dossiers/",
        "dossier": f"/dossiers/{dossier.number}/",
        "dossier_pk": dossier.pk,
        "admin_filtered": f"/admin/candidates/dossier/?certification__id__exact={gpac}&path__exact=vae&p=3",
        "admin_all": "/admin/candidates/dossier/",
    }


def full_targets(series) -> tuple[dict, dict, list]:
    """The pages measured at the reference size (who, path), the same pages at two sizes, the fiches to build."""
    from django.db.models import Count

    from candidates.models import Dossier, DossierEvent
    from jury.enums import SessionState
    from jury.models import JurySession

    closed = (
        JurySession.objects.filter(state=SessionState.CLOSE)
        .annotate(n=Count("candidates"))
        .filter(n__gte=20)
        .order_by("-date")
        .first()
    )
    small_session = JurySession.objects.annotate(n=Count("candidates")).filter(n__gte=1).order_by("n", "pk").first()
    opened = JurySession.objects.filter(state=SessionState.OUVERTE).order_by("-pk").first()
    deliberation = opened.candidates.order_by("position").first() if opened else None
    vae_decided = Dossier.objects.filter(path="vae", state="decide").exclude(pk=series["dossier_pk"])
    rich = vae_decided.annotate(n=Count("events")).order_by("-n", "pk").first()
    poor = (
        vae_decided.filter(
            certification=rich.certification_id,
            organisme__isnull=rich.organisme_id is None,
            mention__isnull=rich.mention_id is None,
        )
        .exclude(pk=rich.pk)
        .order_by("pk")
        .first()
    )
    # The same kind of dossier with a longer history: ten more events on the measured one.
    DossierEvent.objects.bulk_create(
        [DossierEvent(dossier=rich, action="note", label=f"Note de suivi {i}") for i in range(10)]
    )
    pages = {
        "Tableau de bord candidat": ("candidat", "/candidat/"),
        report.KEY_PAGES[0]: ("oemm", series["list_filtered"]),
        report.KEY_PAGES[1]: ("oemm", series["list_all"]),
        report.KEY_PAGES[2]: ("oemm", series["dossier"]),
        "Admin Django : même liste filtrée, page 3": ("admin", series["admin_filtered"]),
        "Admin Django : liste entière": ("admin", series["admin_all"]),
        "Échéances OEMM": ("oemm", "/oemm/echeances/?horizon=365"),
        "Tableau de bord OEMM (files de travail)": ("oemm", "/oemm/"),
    }
    for key, label in QUEUE_PAGES.items():
        pages[f"File : {label}"] = ("oemm", f"/oemm/files/{key}/")
    pages["Statistiques (graphiques et tableaux)"] = ("oemm", "/oemm/statistiques/")
    pages[f"Session de jury ({closed.n} candidats)"] = ("oemm", f"/jury/sessions/{closed.pk}/")
    if deliberation:
        pages["Délibération d'un candidat"] = ("jury", f"/jury/sessions/{opened.pk}/candidats/{deliberation.pk}/")
    pairs = {
        "Liste OEMM (filtre étroit / toute la liste)": ("oemm", "/dossiers/?cqp=cos&state=clos", "/dossiers/?page=2"),
        "Page d'un dossier VAE (5 / 15 événements)": ("oemm", f"/dossiers/{poor.number}/", f"/dossiers/{rich.number}/"),
        f"Session de jury ({small_session.n} / {closed.n} candidats)": (
            "oemm",
            f"/jury/sessions/{small_session.pk}/",
            f"/jury/sessions/{closed.pk}/",
        ),
    }
    fiche_ids = list(closed.candidates.values_list("fiches__pk", flat=True).order_by("position")[:20])
    return pages, pairs, fiche_ids


QUEUE_PAGES = {
    "livrets1-a-instruire": "livrets 1 à instruire",
    "livrets2-recus": "livrets 2 reçus à enregistrer",
    "dossiers-a-placer": "dossiers à placer en session",
    "premier-jury-depasse": "délais de premier jury dépassés",
    "fiches-a-signer": "fiches à signer",
}
NO_GOAL = ("Admin Django",)  # measured to compare, no goal of their own


def fetch_text(port, cookie, path) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Host": "127.0.0.1", "Cookie": f"sessionid={cookie}"})
    body = conn.getresponse().read().decode()
    conn.close()
    return body


def list_count_label(port, cookie) -> str:
    found = re.search(r'<p class="text-muted small mb-2">([^<]*)</p>', fetch_text(port, cookie, "/dossiers/"))
    return found.group(1).replace("\u00a0", " ") if found else ""


def measure_series(results, size, port, cookies, series, n):
    for key in report.SIZE_SERIES:
        m = measure.single_user(measure.Client(port, cookies["oemm"]), series[key], n)
        results["sizes"].setdefault(key, {"path": series[key], "by_size": {}})["by_size"][str(size)] = m
        say(
            f"   {report.SIZE_SERIES[key]} à {size} : serveur médiane {m['server_median_ms']} ms, p95 "
            f"{m['server_p95_ms']} ms, {m['queries']} requêtes SQL"
        )
    results["count_labels"][str(size)] = list_count_label(port, cookies["oemm"])
    say(f"   liste entière : « {results['count_labels'][str(size)]} »")


def close_series(results, sizes):
    for series in results["sizes"].values():
        by = series["by_size"]
        first, last = by.get(str(sizes[0])), by.get(str(sizes[-1]))
        series["growth"] = (
            round(last["server_median_ms"] / first["server_median_ms"], 2) if first and last and len(by) > 1 else None
        )
        series["queries_constant"] = len({str(m["queries"]) for m in by.values()}) == 1


def measure_pages(results, args, port, cookies, user_cookies, pages):
    say(f"== pages : {args.requests} requêtes à 1 utilisateur, {args.concurrent_requests} à {args.users}")
    for name, (who, path) in pages.items():
        single = measure.single_user(measure.Client(port, cookies[who]), path, args.requests)
        clients = [measure.Client(port, c) for c in user_cookies[who]]
        concurrent = measure.concurrent_users(clients, path, args.concurrent_requests)
        page = {"who": who, "path": path, "single": single, "concurrent": concurrent}
        if name in report.KEY_PAGES:
            page["goal_label"] = (
                f"serveur p95 ≤ {GOALS['key_server_p95_ms']} ; client p95 ({args.users}) ≤ "
                f"{GOALS['key_client_p95_concurrent_ms']}"
            )
            page["ok"] = (
                single["server_p95_ms"] <= GOALS["key_server_p95_ms"]
                and concurrent["client_p95_ms"] <= GOALS["key_client_p95_concurrent_ms"]
            )
        elif not name.startswith(NO_GOAL):
            page["goal_label"] = f"serveur p95 < {GOALS['page_p95_ms']}"
            page["ok"] = single["server_p95_ms"] < GOALS["page_p95_ms"]
        results["pages"][name] = page
        say(
            f"   {name} : serveur {single['server_median_ms']} / {single['server_p95_ms']} ms, client p95 "
            f"{single['client_p95_ms']} ms ; à {args.users} : client {concurrent['client_median_ms']} / "
            f"{concurrent['client_p95_ms']} ms ; {single['queries']} requêtes SQL "
            + (report.verdict(page["ok"]) if "ok" in page else "")
        )


def measure_throughput(results, args, port, cookies, series):
    say(f"== débit à {args.users} connexions ({args.seconds:.0f} s au plus chacune)")
    t = {}
    for key, who, path in (
        ("bare", None, "/bench/bare/"),
        ("bare_session", "oemm", "/bench/bare-session/"),
        ("list", "oemm", series["list_filtered"]),
        ("admin", "admin", series["admin_filtered"]),
        ("list_all", "oemm", series["list_all"]),
        ("admin_all", "admin", series["admin_all"]),
    ):
        client = measure.Client(port, cookies[who] if who else None)
        t[key] = measure.throughput(client, path, users=args.users, seconds=args.seconds)
        say(f"   {key} {path} : {t[key]['rps']} req/s ({t[key]['errors']} erreurs)")
    t["ratio_session"] = round(t["list"]["rps"] / t["bare_session"]["rps"], 3) if t["bare_session"]["rps"] else 0
    t["ratio_bare"] = round(t["list"]["rps"] / t["bare"]["rps"], 3) if t["bare"]["rps"] else 0
    t["ratio_admin"] = round(t["list"]["rps"] / t["admin"]["rps"], 2) if t["admin"]["rps"] else 0
    results["throughput"] = t
    say(
        f"   liste / vue nue avec session : {t['ratio_session']:.0%} ; sans session : {t['ratio_bare']:.0%} ; "
        f"liste / admin : {t['ratio_admin']}×"
    )


def start_servers(port):
    command = compose_command("web")
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    if "--access-logfile" in command:
        command[command.index("--access-logfile") + 1] = str(LOG_DIR / "gunicorn-access.log")
    worker_cmd = compose_command("worker")
    say(f"== gunicorn : {' '.join(command)}")
    gunicorn = subprocess.Popen(
        command, cwd=ROOT, env=ENV, stdout=open(LOG_DIR / "gunicorn.log", "w"), stderr=subprocess.STDOUT
    )
    say(f"== worker : {' '.join(worker_cmd)}")
    celery = subprocess.Popen(
        worker_cmd, cwd=ROOT, env=ENV, stdout=open(LOG_DIR / "celery.log", "w"), stderr=subprocess.STDOUT
    )
    for _ in range(150):
        try:
            if measure.Client(port).get("/bench/bare/")[0] == 200:
                return gunicorn, celery
        except OSError:
            pass
        time.sleep(0.2)
    stop(gunicorn)
    stop(celery)
    raise RuntimeError("gunicorn ne répond pas (var/bench/gunicorn.log)")


def main(argv):
    args = options(argv)
    sizes = args.sizes
    reference = sizes[len(sizes) // 2]
    results = {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "commit": git_commit(),
        "machine": machine(),
        "goals": GOALS,
        "config": {
            "sizes": sizes,
            "reference_size": reference,
            "requests": args.requests,
            "concurrent_requests": args.concurrent_requests,
            "users": args.users,
            "seconds": args.seconds,
        },
        "data": {"seed_seconds": {}},
        "sizes": {},
        "count_labels": {},
        "pages": {},
    }
    say(f"== base {DB_NAME} : création, migrations, référentiels ; tailles {sizes}, référence {reference}")
    reset_database()
    manage("migrate", "--noinput")
    manage("load_referentiels")
    say(f"== seed_demo --candidates {sizes[0]}")
    results["data"]["seed_seconds"][str(sizes[0])] = round(manage("seed_demo", "--candidates", str(sizes[0])), 1)
    analyze()

    django_setup()
    from django.db import connections

    from cqp.models import User

    User.objects.filter(email="admin@demo.cqp").update(is_staff=True, is_superuser=True)
    series = series_targets()
    who = {"candidat": "candidat@demo.cqp", "oemm": "oemm@demo.cqp", "jury": "jury-employeur@demo.cqp"}
    who["admin"] = "admin@demo.cqp"
    cookies = {role: session_cookie(email, role) for role, email in who.items()}
    user_cookies = {role: [session_cookie(email, role) for _ in range(args.users)] for role, email in who.items()}
    connections.close_all()

    port = free_port()
    gunicorn = celery = None
    current = sizes[0]
    try:
        gunicorn, celery = start_servers(port)
        for size in sizes:
            if size != sizes[0]:
                say(f"== {size - current} dossiers de plus" + (" (--light)" if size == sizes[-1] else ""))
                seconds = grow_to(size, current, light=size == sizes[-1] and size > reference)
                results["data"]["seed_seconds"][str(size)] = seconds
                current = size
            say(f"== {size} dossiers : liste filtrée, liste entière, page d'un dossier ({args.requests} requêtes)")
            measure_series(results, size, port, cookies, series, args.requests)
            if size != reference:
                continue
            pages, pairs, fiche_ids = full_targets(series)
            connections.close_all()
            measure_pages(results, args, port, cookies, user_cookies, pages)
            results["query_pairs"] = {}
            for name, (role, small, large) in pairs.items():
                client = measure.Client(port, cookies[role])
                client.get(small), client.get(large)
                a, b = client.get(small)[3], client.get(large)[3]
                results["query_pairs"][name] = {"small": a, "large": b, "ok": a == b}
                say(f"   requêtes SQL, {name} : {a} / {b} (objectif : constant) {report.verdict(a == b)}")
            measure_throughput(results, args, port, cookies, series)
            say("== fiches de décision PDF")
            one, twenty = pdf_one(fiche_ids), pdf_twenty(fiche_ids)
            results["pdf"] = {
                "one_s": one,
                "twenty_s": twenty,
                "count": len(fiche_ids),
                "one_ok": one < GOALS["fiche_s"],
                "twenty_ok": twenty < GOALS["fiches20_s"],
            }
            say(f"   une fiche : {one} s ; {len(fiche_ids)} fiches par le worker : {twenty} s")
            gunicorn_mb = max((vm_hwm_mb(p) for p in children(gunicorn.pid)), default=0)
            celery_mb = max([vm_hwm_mb(celery.pid)] + [vm_hwm_mb(p) for p in children(celery.pid)])
            results["memory"] = {
                "gunicorn_worker_mb": round(gunicorn_mb, 1),
                "celery_worker_mb": round(celery_mb, 1),
                "gunicorn_ok": gunicorn_mb < GOALS["worker_mb"],
                "celery_ok": celery_mb < GOALS["worker_mb"],
            }
            say(f"== mémoire crête (VmHWM) : gunicorn {gunicorn_mb:.0f} Mo, Celery {celery_mb:.0f} Mo")
    finally:
        stop(gunicorn)
        stop(celery)
    close_series(results, sizes)
    from cqp.pagination import threshold

    results["count_estimate"] = {"threshold": threshold(), "label": results["count_labels"].get(str(sizes[-1]), "")}

    connections.close_all()
    say(f"== rappels, dry run (prévision seule), sur {current} dossiers")
    rem = reminders_measure()
    rem["ok"] = rem["seconds"] < GOALS["reminders_s"]
    results["reminders"] = rem
    say(f"   {rem['dossiers']} dossiers : {rem['seconds']} s, {rem['queries']} requêtes SQL, {rem['planned']} prévus")
    say("== traitement quotidien réel (rappels créés, e-mails écrits dans la file d'envoi)")
    job = daily_job_measure()
    job["ok"] = job["seconds"] < GOALS["daily_job_s"]
    results["daily_job"] = job
    say(f"   {daily_job_line(job)}")
    results["exports"] = {}
    for fmt in ("csv", "xlsx"):
        say(f"== export {fmt.upper()} de tous les dossiers ({rem['dossiers']}), en flux, dans son propre processus")
        exp = export_measure(fmt)
        results["exports"][fmt] = exp
        say(f"   {exp['rows']} lignes en {exp['seconds']} s, mémoire crête {exp['peak_mb']} Mo")

    text = report.write_results(results)
    say("")
    say(text)
    say("Résultats : bench/results.json, bench/results.md")


def main_daily_only():
    """``python bench/run.py daily``: only the reminders, dry run then the real daily job, over BENCH_REMINDER_DOSSIERS
    open dossiers (seed_volume --light), on BENCH_DB; prints, writes no results file. For a quick check at a smaller
    scale: BENCH_DB=cqp_x BENCH_REMINDER_DOSSIERS=10000 python bench/run.py daily."""
    say(f"== base {DB_NAME} : création, migrations, référentiels, {N_REMINDER_DOSSIERS} dossiers ouverts")
    reset_database()
    manage("migrate", "--noinput")
    manage("load_referentiels")
    manage("seed_demo")
    seed = manage("seed_volume", "--candidates", str(N_REMINDER_DOSSIERS), "--light")
    say(f"   {seed:.1f} s")
    django_setup()
    rem = reminders_measure()
    say(
        f"   dry run : {rem['dossiers']} dossiers, {rem['seconds']} s, {rem['queries']} requêtes, "
        f"{rem['planned']} prévus"
    )
    job = daily_job_measure()
    job["ok"] = job["seconds"] < GOALS["daily_job_s"]
    say(daily_job_line(job))
    say(f"   {job['result']}")
    again = daily_job_measure()
    say(f"   second run the same day: {again['seconds']} s, {again['reminders']} rappels (idempotent)")


if __name__ == "__main__":
    main_daily_only() if sys.argv[1:] == ["daily"] else main(sys.argv[1:])
