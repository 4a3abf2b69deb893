"""``python -m benchmarks.load``: 20 concurrent users for 60 s against gunicorn with the
production settings on loopback, then a check that every acknowledged save is stored.

Uses SQLite (a file under benchmarks/results) or, with ``DATABASE_URL``, a dedicated
PostgreSQL database ``<its database>_load`` on the same server (created and dropped here), so
that two checkouts with databases of their own can run it side by side.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from benchmarks.machine import machine_ms

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
VENV_BIN = Path(sys.executable).parent


@contextlib.contextmanager
def gunicorn(env: dict, workers: int) -> Iterator[str]:
    """The app served by gunicorn (production settings from ``env``) on a free port, for
    the time of the block: yields its base address once it answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", "2",
         "--access-logfile", "/dev/null"], env=env, cwd=ROOT)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/compte/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_database_name(database_url: str, suffix: str = "load") -> str:
    """``postgres://…/h24s`` → ``h24s_load`` (``poleplan_load`` when the URL names none)."""
    name = urlparse(database_url).path.strip("/") or "poleplan"
    return f"{name}_{suffix}"


def environment(suffix: str = "load", **extra: str) -> dict:
    """Production settings for a benchmark's gunicorn, on its own database named after
    DATABASE_URL's with ``suffix`` (``BENCH_DATABASE``), or its own SQLite file."""
    env = dict(os.environ)
    env.update({"DJANGO_SETTINGS_MODULE": "pole_plan.settings", "DEBUG": "false",
                "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false",
                "CSRF_COOKIE_SECURE": "false", "SECURE_HSTS_SECONDS": "0",
                "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT), **extra})
    if os.environ.get("DATABASE_URL"):
        url = urlparse(os.environ["DATABASE_URL"])
        env["BENCH_DATABASE"] = load_database_name(os.environ["DATABASE_URL"], suffix)
        env["DATABASE_URL"] = urlunparse(url._replace(path=f"/{env['BENCH_DATABASE']}"))
        # Created and dropped from the server's maintenance database (the one DATABASE_URL
        # names need not exist).
        env["ADMIN_DATABASE_URL"] = urlunparse(url._replace(path="/postgres"))
    else:
        env["SQLITE_PATH"] = str(RESULTS / f"{suffix}.sqlite3")
    return env


def recreate_database(env: dict, *, drop_only: bool = False) -> None:
    """The benchmark's database made anew (or only dropped, after the run)."""
    if "ADMIN_DATABASE_URL" in env:
        import psycopg2

        admin = psycopg2.connect(env["ADMIN_DATABASE_URL"])
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{env["BENCH_DATABASE"]}"')
            if not drop_only:
                cursor.execute(f'CREATE DATABASE "{env["BENCH_DATABASE"]}"')
        admin.close()
    else:
        Path(env["SQLITE_PATH"]).unlink(missing_ok=True)


def django_setup(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare() -> dict:
    """Migrate, load the seed plans, add ten small pôles and the accounts the users log in as."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from benchmarks.synthetic import synthetic_poles_add
    from indicators.evaluations import evaluations_refresh
    from indicators.models import Membership, Plan
    from indicators.seeding import seed_plans_load

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # hashed files, as deployed
    seed_plans_load()
    plans = synthetic_poles_add(10, 40, years=(2024, 2025, 2026))
    evaluations_refresh()  # bulk-created data bypasses the services that store them
    User = get_user_model()
    accounts = {"coordinators": [], "readers": []}
    for plan in plans:
        accounts["coordinators"].append({
            "username": f"coordo-{plan.pole.code}", "password": "Bench-2025-password",
            "entry": f"/plans/{plan.pk}/saisie/2026/"})
    ministry = User.objects.create_user("charge-ministere", password="Bench-2025-password")
    Membership.objects.create(user=ministry, role=Membership.Role.MINISTRY)
    seed = list(Plan.objects.filter(pole__code__in=["monteregie", "pole-quebec"]))
    for plan in seed:
        director = User.objects.create_user(f"direction-{plan.pole.code}",
                                            password="Bench-2025-password")
        Membership.objects.create(user=director, pole=plan.pole, role="director")
        accounts["readers"].append({
            "username": director.username, "password": "Bench-2025-password",
            "pages": [[f"/plans/{plan.pk}/tableau-de-bord/?annee=2024", "pôle dashboard"],
                      [f"/plans/{plan.pk}/saisie/2024/", "entry page (read)"]]})
    accounts["readers"].append({
        "username": "charge-ministere", "password": "Bench-2025-password",
        "pages": [["/national/?annee=2025", "national dashboard"],
                  [f"/plans/{seed[0].pk}/tableau-de-bord/?annee=2025", "pôle dashboard"]]})
    return accounts


def verify(ledger: Path) -> tuple[int, int, list[str]]:
    """Every acknowledged save's last value per field is what the database holds."""
    from indicators.models import Result

    last: dict[tuple[str, str], str] = {}
    saves = 0
    for line in ledger.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        last[(record["entry"], record["field"])] = record["value"]
        saves += 1
    missing = []
    for (entry, field), value in last.items():
        indicator_id = int(field.split("-")[0][1:])
        year = int(entry.rstrip("/").split("/")[-1])
        stored = Result.objects.filter(indicator_id=indicator_id, year=year,
                                       member=None).values_list("value", flat=True).first()
        if stored != Decimal(value):
            missing.append(f"{entry} {field}: sent {value}, stored {stored}")
    return saves, len(last), missing


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--spawn-rate", type=float, default=2,
                        help="users arriving per second (2: the 20 users log in over 10 s, as "
                             "people do, instead of 20 PBKDF2 checks in the same second)")
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    speed = machine_ms()
    print(f"Machine speed: {speed} ms for the fixed Python loop", flush=True)
    env = environment()
    recreate_database(env)
    django_setup(env)
    accounts = prepare()
    from django.db import connections

    connections.close_all()

    with gunicorn(env, args.workers) as base:
        ledger = RESULTS / "load-ledger.jsonl"
        prefix = RESULTS / "load"
        locust_env = dict(env, LOAD_ACCOUNTS=json.dumps(accounts), LOAD_LEDGER=str(ledger))
        subprocess.run(
            [str(VENV_BIN / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py"),
             "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
             "--run-time", f"{args.seconds}s", "--host", base,
             "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
             "--stop-timeout", "10"],
            env=locust_env, cwd=ROOT, check=False, timeout=args.seconds + 120)

    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    saves, fields, missing = verify(ledger)
    figures = {
        "database": "postgresql" if "ADMIN_DATABASE_URL" in env else "sqlite",
        "users": args.users, "seconds": args.seconds, "workers": args.workers,
        "spawn_rate": args.spawn_rate, "measured_on": datetime.date.today().isoformat(),
        "machine_ms": speed,
        "requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
        "throughput_rps": float(total["Requests/s"]), "p95_ms": float(total["95%"]),
        "median_ms": float(total["50%"]),
        "per_request": {row["Name"]: {"count": int(row["Request Count"]),
                                      "p95_ms": float(row["95%"]),
                                      "failures": int(row["Failure Count"])}
                        for row in rows if row["Name"] != "Aggregated"},
        "acknowledged_saves": saves, "distinct_results_saved": fields,
        "saves_lost": len(missing),
    }
    (RESULTS / f"load-{figures['database']}.json").write_text(
        json.dumps(figures, indent=2, ensure_ascii=False))
    print(f"\nLoad test — {figures['database']}, gunicorn {args.workers} workers × 2 threads, "
          f"{args.users} users for {args.seconds} s on loopback")
    print(f"  requests {figures['requests']}, failures {figures['failures']}, "
          f"throughput {figures['throughput_rps']:.1f} req/s, "
          f"median {figures['median_ms']:.0f} ms, "
          f"p95 {figures['p95_ms']:.0f} ms")
    for name, row in figures["per_request"].items():
        print(f"  {name:<22} {row['count']:>6} requests, p95 {row['p95_ms']:>6.0f} ms, "
              f"{row['failures']} failures")
    print(f"  acknowledged saves {saves} ({fields} distinct results): "
          f"{'all stored' if not missing else f'{len(missing)} LOST'}")
    for line in missing[:10]:
        print("   ", line)
    if not saves:
        print("  no save was acknowledged: the load test did not exercise saving")
    return 1 if missing or figures["failures"] or not saves else 0


if __name__ == "__main__":
    sys.exit(main())
