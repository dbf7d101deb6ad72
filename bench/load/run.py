"""Load test: gunicorn + PostgreSQL under 50 simulated people for 60 s, against the budget in DESIGN.md:

    Under 50 concurrent users on gunicorn + PostgreSQL for 60 s: zero 5xx, p95 under 300 ms for HTML pages.

The site runs as in production (``lms.settings.production``, WhiteNoise static files, a signing key, media
folders of its own) on the demo data plus what bench/load/prepare.py adds. locust (headless) plays the mixed
workload in bench/load/locustfile.py: visitors browsing courses and briefs, students opening and editing their
portfolio and downloading their transcript, judges opening entries and saving scores. The server's own access
log counts the answers by status, so a 5xx is counted even if the client misread it.

Usage (from the project root; locust comes from bench/requirements.txt):

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/load/run.py                         # 50 users, 60 s, 4 gunicorn workers
    .venv/bin/python bench/load/run.py --users 10 --seconds 20 --workers 2
    .venv/bin/python bench/load/run.py --restart-postgres-after 20   # restart PostgreSQL 20 s into the run

Everything it writes goes under test-artifacts/load/ (database kesai_load on 127.0.0.1:5432 unless
DATABASE_URL says otherwise). It exits with status 1 when any answer was a 5xx outside the PostgreSQL restart.
"""

import argparse
import csv
import os
import resource
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-artifacts" / "load"
PYTHON = sys.executable
BIN = Path(sys.executable).parent
HTML_BUDGET_P95_MS = 300
SETTLE_SECONDS = 20


def server_environment(database_url: str, conn_max_age: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "KESAI_SIGNING_KEY")}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        CONN_MAX_AGE=str(conn_max_age),
        MEDIA_ROOT=str(OUT / "media"),
        PRIVATE_MEDIA_ROOT=str(OUT / "private-media"),
        STATIC_ROOT=str(OUT / "static"),
        KESAI_SIGNING_KEY_FILE=str(OUT / "signing-key.pem"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def ensure_database(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict[str, str], plan: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    if not (OUT / "signing-key.pem").exists():
        dev = {**env, "DJANGO_SETTINGS_MODULE": "lms.settings.dev"}
        manage(dev, "create_signing_key", "--path", str(OUT / "signing-key.pem"))
    ensure_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "-v", "0")
    # Before prepare.py: rendering a transcript needs the static files' manifest, on workers as on web nodes.
    manage(env, "collectstatic", "--noinput", "-v", "0")
    subprocess.run([PYTHON, str(ROOT / "bench" / "load" / "prepare.py"), str(plan)], cwd=ROOT, env=env, check=True)
    # Planner statistics, as after any bulk load (see docs/deployment.md, "Backups").
    import psycopg

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
        connection.execute("ANALYZE")


def start_gunicorn(env: dict[str, str], port: int, workers: int, access_log: Path) -> subprocess.Popen:
    access_log.unlink(missing_ok=True)
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "lms.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            f"--access-logfile={access_log}",
            "--access-logformat=%(s)s %(m)s %(U)s %(M)s",
            "--graceful-timeout=5",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    # As the proxy would say: the request came over HTTPS (else the site redirects to https://).
    ready = urllib.request.Request(f"http://127.0.0.1:{port}/admin/login/", headers={"X-Forwarded-Proto": "https"})
    for _ in range(100):
        try:
            urllib.request.urlopen(ready, timeout=2)  # noqa: S310
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not answer within 30 s")


def restart_postgres_later(after_seconds: float) -> subprocess.Popen:
    """Restart the machine's PostgreSQL cluster (pg_ctlcluster, as root) in the middle of the run."""
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    script = f"sleep {after_seconds}; date +%s.%N; pg_ctlcluster {version} main restart -m fast; date +%s.%N"
    return subprocess.Popen(["bash", "-c", script], stdout=subprocess.PIPE, text=True)


def run_locust(port: int, users: int, spawn_rate: int, seconds: int, plan: Path) -> Path:
    """Spawn the users and let them log in (a password hash each, slow by design), then reset the figures and
    measure ``seconds`` with every user in (the locustfile resets them ``SETTLE_SECONDS`` after the last start)."""
    prefix = OUT / "locust"
    ramp = -(-users // spawn_rate) + SETTLE_SECONDS
    env = {**os.environ, "KESAI_LOAD_PLAN": str(plan), "KESAI_LOAD_SETTLE_SECONDS": str(SETTLE_SECONDS)}
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "load" / "locustfile.py"),
            "--headless",
            f"--users={users}",
            f"--spawn-rate={spawn_rate}",
            f"--run-time={ramp + seconds}s",
            f"--host=http://127.0.0.1:{port}",
            f"--csv={prefix}",
            "--only-summary",
            "--stop-timeout=10",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    return prefix


def report(prefix: Path, access_log: Path) -> tuple[list[dict], Counter]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats_file:
        rows = [row for row in csv.DictReader(stats_file) if row["Name"] != "Aggregated"]
    statuses = Counter()
    for line in access_log.read_text(encoding="utf-8").splitlines():
        statuses[line.split(" ", 1)[0]] += 1
    return rows, statuses


def print_table(rows: list[dict], statuses: Counter) -> bool:
    print()
    print("| page | requests | failures | p50 ms | p95 ms | p99 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    over_budget = []
    for row in sorted(rows, key=lambda r: r["Name"]):
        print(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | {row['95%']} "
            f"| {row['99%']} | {float(row['Max Response Time']):.0f} |"
        )
        html = row["Type"] == "GET" and "PDF" not in row["Name"] and row["Request Count"] != "0"
        if html and float(row["95%"]) > HTML_BUDGET_P95_MS:
            over_budget.append(row["Name"])
    print()
    total = sum(statuses.values())
    server_errors = sum(n for status, n in statuses.items() if status.startswith("5"))
    print(f"server answers: {total} in all; by status: {dict(sorted(statuses.items()))}; 5xx: {server_errors}")
    if over_budget:
        print(f"HTML pages (GET) with p95 over {HTML_BUDGET_P95_MS} ms: {', '.join(over_budget)}")
    else:
        print(f"every HTML page (GET) has p95 under {HTML_BUDGET_P95_MS} ms")
    return server_errors == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=60, help="measured time, after every user has logged in")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--conn-max-age", type=int, default=60, help="CONN_MAX_AGE for the web processes")
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the database and files of a run")
    parser.add_argument("--restart-postgres-after", type=float, help="restart PostgreSQL this many seconds in")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kesai_load")
    env = server_environment(database_url, args.conn_max_age)
    plan = OUT / "plan.json"
    if not args.skip_prepare:
        prepare(env, plan)
    access_log = OUT / "access.log"
    server = start_gunicorn(env, args.port, args.workers, access_log)
    workers_before = worker_pids(server.pid)
    restart = restart_postgres_later(args.restart_postgres_after) if args.restart_postgres_after else None
    started, cpu_before = time.monotonic(), children_cpu_seconds()
    try:
        prefix = run_locust(args.port, args.users, args.spawn_rate, args.seconds, plan)
    finally:
        elapsed, locust_cpu = time.monotonic() - started, children_cpu_seconds() - cpu_before
        workers_after = worker_pids(server.pid)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    web_cpu = children_cpu_seconds() - cpu_before - locust_cpu
    rows, statuses = report(prefix, access_log)
    print(f"gunicorn: {args.workers} workers, CONN_MAX_AGE={args.conn_max_age}; {args.users} users, {args.seconds} s")
    no_errors = print_table(rows, statuses)
    print(
        f"CPU over the {elapsed:.0f} s of the run ({os.cpu_count()} cores): gunicorn {web_cpu:.0f} s, "
        f"locust {locust_cpu:.0f} s (the rest: PostgreSQL, the system, idle)"
    )
    if restart is not None:
        started, finished = restart.communicate()[0].split()
        started, finished = float(started), float(finished)
        print(f"PostgreSQL restarted from {started:.1f} to {finished:.1f} (took {finished - started:.1f} s)")
        same = workers_before == workers_after
        print(f"web workers before and after: {sorted(workers_before)} → {sorted(workers_after)} (same: {same})")
    return 0 if no_errors or restart is not None else 1


def children_cpu_seconds() -> float:
    """CPU time (user + system) of the child processes that have ended, their own children included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def worker_pids(master_pid: int) -> set[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return {int(pid) for pid in children.read_text().split()} if children.exists() else set()


if __name__ == "__main__":
    sys.exit(main())
