"""Benchmark of CQP Mutualité at a whole branch's load (make bench). See bench/README.md.

Steps: fresh PostgreSQL database cqp_bench, migrations, référentiels, demo accounts and 10,000 candidates
(seed_demo --candidates 10000); gunicorn (docker-compose.yml's command, 2 workers, on a free loopback port)
and a Celery worker over Redis; then it measures pages, throughput, PDFs, the reminders job over 100,000
dossiers and the workers' peak memory, and writes bench/results.json and bench/results.md.
"""

import datetime
import http.client
import json
import os
import platform
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

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
N_CANDIDATES = int(os.environ.get("BENCH_CANDIDATES", 10000))
N_REMINDER_DOSSIERS = int(os.environ.get("BENCH_REMINDER_DOSSIERS", 100000))
N_REQUESTS = int(os.environ.get("BENCH_REQUESTS", 60))
CONCURRENCY = 16
THROUGHPUT_SECONDS = float(os.environ.get("BENCH_SECONDS", 10))
THROUGHPUT_MAX_REQUESTS = 5000

GOALS = {
    "page_p95_ms": 150,
    "throughput_ratio": 0.40,
    "fiche_s": 0.5,
    "fiches20_s": 10,
    "reminders_s": 10,
    "daily_job_s": 60,
    "worker_mb": 300,
    "export_mb": 300,
}

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


# ------------------------------------------------------------------ HTTP
class Client:
    def __init__(self, port, cookie=None):
        self.port, self.cookie = port, cookie

    def get(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1"}
        if self.cookie:
            headers["Cookie"] = f"sessionid={self.cookie}"
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        wall = (time.perf_counter() - started) * 1000
        conn.close()
        timing = response.getheader("Server-Timing", "")
        server = float(timing.split("dur=")[1]) if "dur=" in timing else None
        queries = response.getheader("X-Bench-Queries")
        return response.status, server, wall, int(queries) if queries else None, len(body)


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def measure_page(client, path, n):
    for _ in range(3):
        status, *_ = client.get(path)
        if status != 200:
            raise RuntimeError(f"{path} : HTTP {status}")
    servers, walls, queries = [], [], set()
    for _ in range(n):
        status, server, wall, count, _ = client.get(path)
        assert status == 200, (path, status)
        servers.append(server)
        walls.append(wall)
        queries.add(count)
    return {
        "path": path,
        "requests": n,
        "median_ms": round(statistics.median(servers), 1),
        "p95_ms": round(percentile(servers, 0.95), 1),
        "client_p95_ms": round(percentile(walls, 0.95), 1),
        "queries": sorted(queries)[0] if len(queries) == 1 else sorted(queries),
    }


def throughput(client, path):
    done, errors = [0], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + THROUGHPUT_SECONDS

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if done[0] + errors[0] >= THROUGHPUT_MAX_REQUESTS:
                    return
            try:
                status, *_ = client.get(path)
                ok = status == 200
            except OSError:
                ok = False
            with lock:
                if ok:
                    done[0] += 1
                else:
                    errors[0] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {
        "path": path,
        "requests": done[0],
        "errors": errors[0],
        "seconds": round(elapsed, 2),
        "rps": round(done[0] / elapsed, 1),
    }


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


def targets():
    """The URLs measured, chosen in the seeded data."""
    from django.db.models import Count

    from candidates.models import Dossier
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
    rich = Dossier.objects.filter(path="vae", state="decide").annotate(n=Count("events")).order_by("-n", "pk").first()
    poor = (
        Dossier.objects.filter(
            path="vae",
            state="decide",
            certification=rich.certification_id,
            organisme__isnull=rich.organisme_id is None,
            mention__isnull=rich.mention_id is None,
        )
        .exclude(pk=rich.pk)
        .order_by("pk")
        .first()
    )
    # The same kind of dossier with a longer history: ten more events on the measured one.
    from candidates.models import DossierEvent

    DossierEvent.objects.bulk_create(
        [DossierEvent(dossier=rich, action="note", label=f"Note de suivi {i}") for i in range(10)]
    )
    pages = {
        "Tableau de bord candidat": ("candidat", "/candidat/"),
        "Liste OEMM filtrée, page 3": ("oemm", "/dossiers/?cqp=gpac&path=vae&page=3"),
        "Page d'un dossier": ("oemm", f"/dossiers/{rich.number}/"),
        "Échéances OEMM": ("oemm", "/oemm/echeances/?horizon=365"),
        "Tableau de bord OEMM (files de travail)": ("oemm", "/oemm/"),
        "File : livrets 1 à instruire": ("oemm", "/oemm/files/livrets1-a-instruire/"),
        "File : dossiers à placer en session": ("oemm", "/oemm/files/dossiers-a-placer/"),
        "Statistiques (graphiques et tableaux)": ("oemm", "/oemm/statistiques/"),
        f"Session de jury ({closed.n} candidats)": ("oemm", f"/jury/sessions/{closed.pk}/"),
    }
    if deliberation:
        pages["Délibération d'un candidat"] = ("jury", f"/jury/sessions/{opened.pk}/candidats/{deliberation.pk}/")
    # Same page at two sizes: the query count must not change.
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
    return (
        f"| Traitement quotidien RÉEL (rappels enregistrés et mis en file), {job['dossiers']} dossiers | "
        f"{job['seconds']} s, {job['queries']} requêtes SQL, {job['reminders']} rappels, {job['emails']} e-mails "
        f"| < {GOALS['daily_job_s']} s | {verdict(job['ok'])} |"
    )


# ------------------------------------------------------------------ report
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


def verdict(ok):
    return "✅" if ok else "❌"


def write_results(results):
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    m, r = results["machine"], results
    lines = [
        f"## Résultats du {r['date']} — commit `{r['commit'][:12]}`",
        "",
        f"Machine : {m['nproc']} cœurs ({m['cpu']}), {m['memory_gb']} Go, Python {m['python']}, PostgreSQL "
        f"{m['postgresql']}. "
        f"Données : {r['data']['candidates']} candidats créés en {r['data']['seed_seconds']} s ; gunicorn 2 workers, "
        f"{r['data']['requests_per_page']} requêtes par page.",
        "",
        "| mesure | valeur | objectif | |",
        "|---|---|---|---|",
    ]
    for name, page in r["pages"].items():
        lines.append(
            f"| {name} : temps serveur médian / p95 | {page['median_ms']} / {page['p95_ms']} ms "
            f"({page['queries']} requêtes SQL) | p95 < {GOALS['page_p95_ms']} ms | {verdict(page['ok'])} |"
        )
    for name, pair in r["query_pairs"].items():
        lines.append(f"| Requêtes SQL, {name} | {pair['small']} / {pair['large']} | constant | {verdict(pair['ok'])} |")
    t = r["throughput"]
    lines.append(
        f"| Débit liste OEMM à {CONCURRENCY} connexions | {t['list']['rps']} req/s = {t['ratio']:.0%} de la vue nue "
        f"({t['bare']['rps']} req/s) | ≥ {GOALS['throughput_ratio']:.0%} | {verdict(t['ok'])} |"
    )
    p = r["pdf"]
    lines.append(
        f"| Fiche de décision PDF, une (médiane) | {p['one_s']} s | < {GOALS['fiche_s']} s | {verdict(p['one_ok'])} |"
    )
    lines.append(
        f"| 20 fiches par le worker Celery | {p['twenty_s']} s | < {GOALS['fiches20_s']} s | "
        f"{verdict(p['twenty_ok'])} |"
    )
    rem = r["reminders"]
    lines.append(
        f"| Rappels quotidiens (dry run), {rem['dossiers']} dossiers | {rem['seconds']} s, {rem['queries']} requêtes "
        "SQL, "
        f"{rem['planned']} rappels prévus | < {GOALS['reminders_s']} s | {verdict(rem['ok'])} |"
    )
    if "daily_job" in r:
        lines.append(daily_job_line(r["daily_job"]))
    for fmt, exp in r.get("exports", {}).items():
        lines.append(
            f"| Export {fmt.upper()} de {exp['rows']} dossiers (en flux) : mémoire crête | {exp['peak_mb']} Mo, "
            f"{exp['seconds']} s | < {GOALS['export_mb']} Mo | {verdict(exp['ok'])} |"
        )
    mem = r["memory"]
    lines.append(
        f"| Mémoire crête d'un worker gunicorn | {mem['gunicorn_worker_mb']} Mo | < {GOALS['worker_mb']} Mo | "
        f"{verdict(mem['gunicorn_ok'])} |"
    )
    lines.append(
        f"| Mémoire crête d'un worker Celery | {mem['celery_worker_mb']} Mo | < {GOALS['worker_mb']} Mo | "
        f"{verdict(mem['celery_ok'])} |"
    )
    missed = [line for line in lines if line.endswith("❌ |")]
    lines += [
        "",
        "Objectifs non atteints : "
        + ("aucun." if not missed else f"{len(missed)} (voir les lignes ❌ et l'analyse ci-dessous)."),
    ]
    table = "\n".join(lines) + "\n"
    results_md = ROOT / "bench" / "results.md"
    notes = ""
    if results_md.exists():
        text = results_md.read_text()
        if "<!-- notes -->" in text:
            notes = text[text.index("<!-- notes -->") :]
    header = (
        "# Mesures de performance (make bench)\n\nFichier réécrit par `make bench` ; les notes sous le marqueur "
        "sont conservées.\n\n"
    )
    results_md.write_text(header + table + "\n" + (notes or "<!-- notes -->\n"))
    return table


def main():
    results = {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "commit": git_commit(),
        "machine": machine(),
        "goals": GOALS,
    }
    say(f"== base {DB_NAME} : création, migrations, référentiels")
    reset_database()
    manage("migrate", "--noinput")
    manage("load_referentiels")
    say(f"== seed_demo --candidates {N_CANDIDATES}")
    seed = manage("seed_demo", "--candidates", str(N_CANDIDATES))
    say(f"   {seed:.1f} s")
    results["data"] = {"candidates": N_CANDIDATES, "seed_seconds": round(seed, 1), "requests_per_page": N_REQUESTS}

    django_setup()
    pages, pairs, fiche_ids = targets()
    cookies = {
        "candidat": session_cookie("candidat@demo.cqp", "candidat"),
        "oemm": session_cookie("oemm@demo.cqp", "oemm"),
        "jury": session_cookie("jury-employeur@demo.cqp", "jury"),
    }
    from django.db import connections

    connections.close_all()

    port = free_port()
    command = compose_command("web")
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    if "--access-logfile" in command:
        command[command.index("--access-logfile") + 1] = str(LOG_DIR / "gunicorn-access.log")
    worker_cmd = compose_command("worker")
    gunicorn = celery = None
    try:
        say(f"== gunicorn : {' '.join(command)}")
        gunicorn = subprocess.Popen(
            command, cwd=ROOT, env=ENV, stdout=open(LOG_DIR / "gunicorn.log", "w"), stderr=subprocess.STDOUT
        )
        say(f"== worker : {' '.join(worker_cmd)}")
        celery = subprocess.Popen(
            worker_cmd, cwd=ROOT, env=ENV, stdout=open(LOG_DIR / "celery.log", "w"), stderr=subprocess.STDOUT
        )
        for _ in range(100):
            try:
                if Client(port).get("/bench/bare/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn ne répond pas (var/bench/gunicorn.log)")

        say(f"== pages ({N_REQUESTS} requêtes chacune)")
        results["pages"] = {}
        for name, (who, path) in pages.items():
            page = measure_page(Client(port, cookies[who]), path, N_REQUESTS)
            page["ok"] = page["p95_ms"] < GOALS["page_p95_ms"]
            results["pages"][name] = page
            say(
                f"   {name} : médiane {page['median_ms']} ms, p95 {page['p95_ms']} ms (objectif < "
                f"{GOALS['page_p95_ms']}), "
                f"{page['queries']} requêtes SQL {verdict(page['ok'])}"
            )
        results["query_pairs"] = {}
        for name, (who, small, large) in pairs.items():
            client = Client(port, cookies[who])
            client.get(small), client.get(large)
            a, b = client.get(small)[3], client.get(large)[3]
            results["query_pairs"][name] = {"small": a, "large": b, "ok": a == b}
            say(f"   requêtes SQL, {name} : {a} / {b} (objectif : constant) {verdict(a == b)}")

        say(f"== débit à {CONCURRENCY} connexions ({THROUGHPUT_SECONDS:.0f} s au plus chacune)")
        bare = throughput(Client(port), "/bench/bare/")
        listing = throughput(Client(port, cookies["oemm"]), "/dossiers/?cqp=gpac&path=vae&page=3")
        ratio = listing["rps"] / bare["rps"] if bare["rps"] else 0
        results["throughput"] = {
            "bare": bare,
            "list": listing,
            "ratio": round(ratio, 3),
            "ok": ratio >= GOALS["throughput_ratio"],
        }
        say(
            f"   vue nue {bare['rps']} req/s, liste OEMM {listing['rps']} req/s : {ratio:.0%} "
            f"(objectif ≥ {GOALS['throughput_ratio']:.0%}) {verdict(ratio >= GOALS['throughput_ratio'])}"
        )

        say("== fiches de décision PDF")
        one = pdf_one(fiche_ids)
        twenty = pdf_twenty(fiche_ids)
        results["pdf"] = {
            "one_s": one,
            "twenty_s": twenty,
            "count": len(fiche_ids),
            "one_ok": one < GOALS["fiche_s"],
            "twenty_ok": twenty < GOALS["fiches20_s"],
        }
        say(f"   une fiche : {one} s (objectif < {GOALS['fiche_s']}) {verdict(one < GOALS['fiche_s'])}")
        say(
            f"   {len(fiche_ids)} fiches par le worker : {twenty} s (objectif < {GOALS['fiches20_s']}) "
            f"{verdict(twenty < GOALS['fiches20_s'])}"
        )

        gunicorn_mb = max((vm_hwm_mb(p) for p in children(gunicorn.pid)), default=0)
        celery_mb = max([vm_hwm_mb(celery.pid)] + [vm_hwm_mb(p) for p in children(celery.pid)])
        results["memory"] = {
            "gunicorn_worker_mb": round(gunicorn_mb, 1),
            "celery_worker_mb": round(celery_mb, 1),
            "gunicorn_ok": gunicorn_mb < GOALS["worker_mb"],
            "celery_ok": celery_mb < GOALS["worker_mb"],
        }
        say(
            f"== mémoire crête (VmHWM) : gunicorn {gunicorn_mb:.0f} Mo, Celery {celery_mb:.0f} Mo (objectif < "
            f"{GOALS['worker_mb']}) "
            f"{verdict(gunicorn_mb < GOALS['worker_mb'] and celery_mb < GOALS['worker_mb'])}"
        )
    finally:
        stop(gunicorn)
        stop(celery)

    extra = N_REMINDER_DOSSIERS - N_CANDIDATES
    say(f"== rappels : {extra} dossiers ouverts de plus (seed_volume --light), puis send_reminders(dry_run=True)")
    connections.close_all()
    if extra > 0:
        manage("seed_volume", "--candidates", str(extra), "--light")
    rem = reminders_measure()
    rem["ok"] = rem["seconds"] < GOALS["reminders_s"]
    results["reminders"] = rem
    say(
        f"   {rem['dossiers']} dossiers : {rem['seconds']} s, {rem['queries']} requêtes SQL, {rem['planned']} rappels "
        "prévus "
        f"(objectif < {GOALS['reminders_s']} s) {verdict(rem['ok'])}"
    )

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
        say(
            f"   {exp['rows']} lignes, {exp['bytes'] // 1024} Ko en {exp['seconds']} s, "
            f"mémoire crête {exp['peak_mb']} Mo "
            f"(objectif < {GOALS['export_mb']} Mo) {verdict(exp['ok'])}"
        )

    say("")
    say(write_results(results))
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
    main_daily_only() if sys.argv[1:] == ["daily"] else main()
