"""The goals of the bench and bench/results.md, rewritten whole from bench/results_template.md by each run."""

import json
import string
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

GOALS = {
    # issue 20
    "key_server_p95_ms": 50,  # OEMM list and dossier page, single user, at the reference size (10,000)
    "key_client_p95_concurrent_ms": 150,  # the same pages under 16 users
    "throughput_vs_session": 0.40,  # OEMM list / bare view with a session
    "throughput_vs_admin": 3.0,  # OEMM list / Django admin changelist of the same dossiers
    "growth_max": 1.5,  # list server time (median) at the largest size / at the smallest
    # still holding
    "page_p95_ms": 150,
    "fiche_s": 0.5,
    "fiches20_s": 10,
    "reminders_s": 10,
    "daily_job_s": 60,
    "worker_mb": 300,
    "export_mb": 300,
}
KEY_PAGES = ("Liste OEMM filtrée, page 3", "Liste OEMM entière", "Page d'un dossier")
SIZE_SERIES = {"list_filtered": KEY_PAGES[0], "list_all": KEY_PAGES[1], "dossier": KEY_PAGES[2]}
GROWTH_GOALS = ("list_filtered", "list_all")  # the dossier page's growth is shown, not a goal


def query_count(measure) -> str:
    """« 5 », or « 5 (7 : 1 requête) » when some requests made another count (bench/measure.py ``query_counts``)."""
    if "queries" not in measure:
        return "—"
    other = measure.get("other_queries")
    if not other:
        return str(measure["queries"])
    seen = ", ".join(f"{count} : {times} requête{'s' if times > 1 else ''}" for count, times in other.items())
    return f"{measure['queries']} ({seen})"


def verdict(ok) -> str:
    return "✅" if ok else "❌"


def n(value) -> str:
    """A French number: 100 000, 12,5."""
    if isinstance(value, float) and not value.is_integer():
        if abs(value) < 1:
            return f"{value:.2f}".replace(".", ",")
        return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")
    return f"{int(value):,}".replace(",", "\u202f")


def growth_text(value) -> str:
    return f"{value:.2f}×".replace(".", ",")


def pct(value) -> str:
    return f"{value * 100:.0f} %"


def table(header, rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def judge(r) -> list[tuple[str, str, str, bool]]:
    """Issue 20's goals: (goal, measured, target, ok), from the figures only."""
    g, ref, users = GOALS, r["config"]["reference_size"], r["config"]["users"]
    sizes = r["config"]["sizes"]
    goals = []
    for name in KEY_PAGES:
        page = r["pages"].get(name)
        if not page:
            continue
        p95 = page["single"]["server_p95_ms"]
        goals.append(
            (f"{name} : p95 serveur, un utilisateur, {n(ref)} dossiers", f"{n(p95)} ms",
             f"≤ {g['key_server_p95_ms']} ms", p95 <= g["key_server_p95_ms"])
        )  # fmt: skip
    for name in KEY_PAGES:
        page = r["pages"].get(name)
        if not page or "concurrent" not in page:
            continue
        p95 = page["concurrent"]["client_p95_ms"]
        goals.append(
            (f"{name} : p95 client, {users} utilisateurs simultanés", f"{n(p95)} ms",
             f"≤ {g['key_client_p95_concurrent_ms']} ms", p95 <= g["key_client_p95_concurrent_ms"])
        )  # fmt: skip
    t = r.get("throughput")
    if t:
        goals.append(
            ("Débit liste OEMM / vue nue avec session",
             f"{n(t['list']['rps'])} / {n(t['bare_session']['rps'])} req/s = {pct(t['ratio_session'])}",
             f"≥ {pct(g['throughput_vs_session'])}",
             t["ratio_session"] >= g["throughput_vs_session"])
        )  # fmt: skip
        goals.append(
            ("Débit liste OEMM / admin Django (même liste)", f"{n(t['list']['rps'])} / {n(t['admin']['rps'])} req/s = "
             f"{t['ratio_admin']:.1f}×".replace(".", ","), f"≥ {g['throughput_vs_admin']:.0f}×",
             t["ratio_admin"] >= g["throughput_vs_admin"])
        )  # fmt: skip
    for key in GROWTH_GOALS:
        series = r["sizes"].get(key)
        if not series or series.get("growth") is None:
            continue
        goals.append(
            (f"{SIZE_SERIES[key]} : temps serveur à {n(sizes[-1])} / à {n(sizes[0])} dossiers",
             f"{series['growth']:.2f}×".replace(".", ","), f"≤ {g['growth_max']}×".replace(".", ","),
             series["growth"] <= g["growth_max"])
        )  # fmt: skip
    for key, series in r["sizes"].items():
        counts = " / ".join(query_count(series["by_size"][str(s)]) for s in sizes if str(s) in series["by_size"])
        goals.append(
            (f"Requêtes SQL, {SIZE_SERIES[key]}, aux {len(series['by_size'])} tailles", counts, "constant",
             series["queries_constant"])
        )  # fmt: skip
    return goals


def pages_table(r) -> str:
    rows = []
    for name, page in r["pages"].items():
        s, c = page["single"], page.get("concurrent")
        conc = (
            f"{n(c['server_median_ms'])} / {n(c['server_p95_ms'])}",
            f"{n(c['client_median_ms'])} / {n(c['client_p95_ms'])}",
        ) if c else ("—", "—")  # fmt: skip
        goal = page.get("goal_label", "")
        rows.append(
            (name, query_count(page["single"]), f"{n(s['server_median_ms'])} / {n(s['server_p95_ms'])}",
             f"{n(s['client_median_ms'])} / {n(s['client_p95_ms'])}", *conc, goal,
             verdict(page["ok"]) if "ok" in page else "")
        )  # fmt: skip
    users = r["config"]["users"]
    header = (
        "page", "requêtes SQL", "serveur méd. / p95 (1 utilisateur)", "client méd. / p95 (1)",
        f"serveur méd. / p95 ({users})", f"client méd. / p95 ({users})", "objectif", "",
    )  # fmt: skip
    return table(header, rows)


def sizes_table(r) -> str:
    sizes = r["config"]["sizes"]
    header = ["page", *[f"{n(s)} dossiers : méd. / p95 (requêtes)" for s in sizes], "croissance"]
    rows = []
    for key, series in r["sizes"].items():
        cells = []
        for s in sizes:
            m = series["by_size"].get(str(s))
            cells.append(f"{n(m['server_median_ms'])} / {n(m['server_p95_ms'])} ms ({query_count(m)})" if m else "—")
        growth = series.get("growth")
        rows.append((SIZE_SERIES[key], *cells, f"{growth:.2f}×".replace(".", ",") if growth is not None else "—"))
    return table(header, rows)


def throughput_table(r) -> str:
    t = r.get("throughput")
    if not t:
        return "(non mesuré)"
    labels = {
        "bare": "Vue nue sans session (`/bench/bare/`)",
        "bare_session": "Vue nue avec session et utilisateur (`/bench/bare-session/`)",
        "list": "Liste OEMM filtrée, page 3",
        "admin": "Admin Django, même liste filtrée, page 3",
        "list_all": "Liste OEMM entière",
        "admin_all": "Admin Django, liste entière",
    }
    rows = []
    for key, label in labels.items():
        if key in t:
            x = t[key]
            rows.append((label, f"{n(x['rps'])} req/s", f"{n(x['requests'])} en {n(x['seconds'])} s", x["errors"]))
    return table(("page", "débit", "réponses", "erreurs"), rows)


def other_rows(r) -> list[tuple[str, str, str, bool]]:
    g, rows = GOALS, []
    for name, page in r["pages"].items():
        if name in KEY_PAGES or "ok" not in page:
            continue
        p95 = page["single"]["server_p95_ms"]
        rows.append((f"{name} : p95 serveur", f"{n(p95)} ms ({page['single']['queries']} requêtes SQL)",
                     f"< {g['page_p95_ms']} ms", page["ok"]))  # fmt: skip
    for name, pair in r.get("query_pairs", {}).items():
        rows.append((f"Requêtes SQL, {name}", f"{pair['small']} / {pair['large']}", "constant", pair["ok"]))
    p = r.get("pdf")
    if p:
        rows.append(
            ("Fiche de décision PDF, une (médiane)", f"{n(p['one_s'])} s", f"< {n(g['fiche_s'])} s", p["one_ok"])
        )
        rows.append(("20 fiches par le worker Celery", f"{n(p['twenty_s'])} s", f"< {g['fiches20_s']} s",
                     p["twenty_ok"]))  # fmt: skip
    rem = r.get("reminders")
    if rem:
        rows.append((f"Rappels quotidiens, **dry run** (prévision seule : rien n'est enregistré ni envoyé), "
                     f"{n(rem['dossiers'])} dossiers",
                     f"{n(rem['seconds'])} s, {rem['queries']} requêtes SQL, {n(rem['planned'])} rappels prévus",
                     f"< {g['reminders_s']} s", rem["ok"]))  # fmt: skip
    job = r.get("daily_job")
    if job:
        rows.append((f"Traitement quotidien **réel** (rappels enregistrés et mis en file), {n(job['dossiers'])} "
                     "dossiers", f"{n(job['seconds'])} s, {job['queries']} requêtes SQL, "
                     f"{n(job['reminders'])} rappels, {n(job['emails'])} e-mails", f"< {g['daily_job_s']} s",
                     job["ok"]))  # fmt: skip
    for fmt, exp in r.get("exports", {}).items():
        rows.append((f"Export {fmt.upper()} de {n(exp['rows'] or 0)} dossiers (en flux) : durée, mémoire crête du "
                     "processus", f"{n(exp['seconds'])} s, {n(exp['peak_mb'])} Mo", f"< {g['export_mb']} Mo",
                     exp["ok"]))  # fmt: skip
    mem = r.get("memory")
    if mem:
        rows.append(("Mémoire crête d'un worker gunicorn", f"{n(mem['gunicorn_worker_mb'])} Mo",
                     f"< {g['worker_mb']} Mo", mem["gunicorn_ok"]))  # fmt: skip
        rows.append(("Mémoire crête d'un worker Celery", f"{n(mem['celery_worker_mb'])} Mo", f"< {g['worker_mb']} Mo",
                     mem["celery_ok"]))  # fmt: skip
    return rows


def notes(r, goals, others) -> str:
    lines = []
    t = r.get("throughput")
    if t:
        lines.append(
            f"- Débit : la liste OEMM filtrée sert {n(t['list']['rps'])} pages/s, soit {pct(t['ratio_session'])} de "
            f"la vue nue avec session ({n(t['bare_session']['rps'])} req/s) et {pct(t['ratio_bare'])} de la vue nue "
            f"sans session ({n(t['bare']['rps'])} req/s) ; l'admin Django sert la même liste à "
            f"{n(t['admin']['rps'])} pages/s : la liste OEMM en sert {n(round(t['ratio_admin'], 1))} fois plus."
        )
    admin = r["pages"].get("Admin Django : même liste filtrée, page 3")
    key = r["pages"].get(KEY_PAGES[0])
    if admin and key:
        ratio = admin["single"]["server_median_ms"] / max(key["single"]["server_median_ms"], 0.1)
        lines.append(
            f"- Par requête (temps serveur médian, un utilisateur) : liste OEMM {n(key['single']['server_median_ms'])}"
            f" ms, admin Django {n(admin['single']['server_median_ms'])} ms : l'admin est {n(round(ratio, 1))} fois "
            "plus lent."
        )
    sizes = r["config"]["sizes"]
    for k, series in r["sizes"].items():
        if series.get("growth") is not None:
            lines.append(
                f"- {SIZE_SERIES[k]} : de {n(sizes[0])} à {n(sizes[-1])} dossiers, le temps serveur médian passe de "
                f"{n(series['by_size'][str(sizes[0])]['server_median_ms'])} à "
                f"{n(series['by_size'][str(sizes[-1])]['server_median_ms'])} ms ({growth_text(series['growth'])})."
            )
    if r.get("count_estimate"):
        e = r["count_estimate"]
        lines.append(
            "- Compte de la liste entière : estimation de PostgreSQL (`pg_class.reltuples`, après `ANALYZE`) au-delà "
            f"de {n(e['threshold'])} lignes ; à {n(sizes[-1])} dossiers la page affiche « {e['label']} »."
        )
    users, workers = r["config"]["users"], 2
    key = r["pages"].get(KEY_PAGES[0])
    if key and "concurrent" in key:
        need = GOALS["key_client_p95_concurrent_ms"] * workers / users
        lines.append(
            f"- {users} utilisateurs sans pause pour {workers} workers gunicorn : chaque requête attend en moyenne "
            f"{users // workers - 1} requêtes devant elle, le temps client vaut ≈ {users // workers} × le temps "
            f"serveur (mesuré : {n(key['concurrent']['client_median_ms'])} ms pour "
            f"{n(key['concurrent']['server_median_ms'])} ms de serveur sur la liste filtrée). Un p95 client ≤ "
            f"{GOALS['key_client_p95_concurrent_ms']} ms y demande un temps serveur ≤ {n(round(need))} ms, ou plus de "
            "workers."
        )
    missed = [goal for goal, *_, ok in goals + others if not ok]
    if missed:
        lines.append("- Objectifs non atteints dans cette exécution : " + " ; ".join(missed) + ".")
    else:
        lines.append("- Tous les objectifs sont atteints dans cette exécution.")
    return "\n".join(lines)


def write_results(r) -> str:
    (ROOT / "bench" / "results.json").write_text(json.dumps(r, indent=2, ensure_ascii=False) + "\n")
    m, c = r["machine"], r["config"]
    goals, others = judge(r), other_rows(r)
    missed = [g for g in goals if not g[3]]
    seeds = ", ".join(f"{n(int(size))} en {n(sec)} s" for size, sec in r["data"]["seed_seconds"].items())
    values = {
        "date": r["date"],
        "commit": r["commit"][:12],
        "machine": f"{m['nproc']} cœurs ({m['cpu']}), {m['memory_gb']} Go, Python {m['python']}, PostgreSQL "
        f"{m['postgresql']}",
        "data": f"tailles {' / '.join(n(s) for s in c['sizes'])} dossiers (créés : {seeds}), "
        "`VACUUM ANALYZE` après chaque ajout ; gunicorn 2 workers",
        "config": f"{c['requests']} requêtes par page pour un utilisateur, {c['concurrent_requests']} pour "
        f"{c['users']} utilisateurs, débit sur {n(c['seconds'])} s",
        "goals_table": table(("objectif", "mesure", "cible", ""), [(a, b, t, verdict(ok)) for a, b, t, ok in goals]),
        "goals_summary": "Objectifs de l'issue 20 non atteints : "
        + (f"{len(missed)} sur {len(goals)}." if missed else f"aucun ({len(goals)} tenus)."),
        "reference": n(c["reference_size"]),
        "users": c["users"],
        "pages_table": pages_table(r),
        "sizes_note": "À la plus grande taille, les dossiers ajoutés sont des dossiers ouverts seuls "
        "(`seed_volume --light`), comme ceux d'une base de production qui grandit.",
        "sizes_table": sizes_table(r),
        "throughput_table": throughput_table(r),
        "other_table": table(("mesure", "valeur", "objectif", ""), [(a, b, t, verdict(ok)) for a, b, t, ok in others]),
        "notes": notes(r, goals, others),
    }
    template = string.Template((ROOT / "bench" / "results_template.md").read_text())
    text = template.substitute(values)
    (ROOT / "bench" / "results.md").write_text(text)
    return text
