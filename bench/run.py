"""Measure G2ID under gunicorn with wrk, against the hello-world ceiling of the same project.

Run after `python -m bench.seed` with the same environment (`make bench` does both). Prints a
table and writes bench/results/latest.json in the shape issue 7 gives.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
DURATION = os.environ.get("BENCH_DURATION", "10s")
WARMUP = os.environ.get("BENCH_WARMUP", "2s")
WORKERS = "2"
CONNECTIONS = 8
SEED_EMAIL_DOMAIN = "bench.g2id.test"
BENCH_CLIENT_NAME = "bench"
TARGETS = {"ceiling": 1.0, "cached": 0.50, "dynamic": 0.15, "create": 0.08}


def bench_environment() -> dict[str, str]:
    """Production-like settings: no DEBUG, the bench URLs, no effective rate limit."""
    env = dict(os.environ)
    env.pop("G2ID_DEBUG", None)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env.setdefault("G2ID_VAR_DIR", str(BENCH / "var"))
    env["G2ID_SUBMIT_RATE"] = "100000000/s"
    env["G2ID_ALLOWED_HOSTS"] = f"{HOST},localhost,testserver"
    env["PYTHONPATH"] = str(ROOT)
    return env


os.environ.update(bench_environment())
os.environ.pop("G2ID_DEBUG", None)  # production settings, whatever the caller's shell says

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from g2id.accounts.models import ApiToken, User  # noqa: E402
from g2id.demo.data import COORDINATOR, DEMO_PASSWORD  # noqa: E402
from g2id.demo.seed import NATIONAL_CELL_SLUG  # noqa: E402
from g2id.requests.models import Request, Status  # noqa: E402
from g2id.taxonomy.models import Domain  # noqa: E402
from g2id.team.models import Cell  # noqa: E402


@dataclass
class Endpoint:
    name: str
    method: str
    path: str
    kind: str
    logged_in: bool = False
    token: bool = False  # an API call with the coordinator's personal token
    body: str = ""
    content_type: str = ""
    result: dict[str, Any] = field(default_factory=dict)


def log(message: str) -> None:
    print(f"[bench.run] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: install the Debian package `wrk` (needs root).")
    log("installing wrk from Debian…")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, env=env, check=False).returncode != 0:  # noqa: S603
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)  # noqa: S607
        subprocess.run(install, env=env, check=True)  # noqa: S603
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed.")
    return found


# --- The data the endpoints point at ----------------------------------------------------------


def endpoints() -> list[Endpoint]:
    national = Cell.objects.get(slug=NATIONAL_CELL_SLUG)
    coordinator = User.objects.get(username=COORDINATOR)
    seeded = Request.objects.filter(cell=national, contact_email__endswith="@" + SEED_EMAIL_DOMAIN)
    # A request with a long history and a conversation, and an open one to follow.
    detailed = seeded.filter(status=Status.CLOSED).order_by("-submitted_at").first()
    tracked = seeded.filter(status=Status.IN_PROGRESS).order_by("-submitted_at").first()
    # One being positioned: opinions, suggestions, scope guard and decision form on its page.
    reviewed = seeded.filter(status=Status.UNDER_REVIEW).order_by("-submitted_at").first()
    if detailed is None or tracked is None or reviewed is None:
        raise SystemExit("The bench data is missing: run `python -m bench.seed` first.")
    institution_id = tracked.institution_id
    codes = list(Domain.objects.order_by("code").values_list("code", flat=True)[:2])
    form = {
        "institution": str(institution_id),
        "contact_name": "Bench Form",
        "contact_email": "form@bench-run.g2id.test",
        "title": "Migration Koha (bench)",
        "description": "Une demande déposée par le banc d'essai avec le formulaire.",
        "kind": "advice",
        "domains": codes,
        "cell": national.slug,
        "consent": "on",
    }
    api = {
        "library": {"name": tracked.institution.name, "city": "Lyon", "postcode": "69003"},
        "contact": {"name": "Bench API", "email": "api@bench-run.g2id.test"},
        "title": "Migration PMB (bench)",
        "description": "Une demande déposée par le banc d'essai avec l'API.",
        "kind": "training",
        "domains": codes,
        "consent": True,
    }
    return [
        Endpoint("ceiling (hello)", "GET", "/bench/hello", "ceiling"),
        Endpoint("home", "GET", "/", "cached"),
        Endpoint("team", "GET", "/equipe/", "cached"),
        Endpoint("vade-mecum", "GET", "/vade-mecum/", "cached"),
        Endpoint("partners", "GET", "/partenaires/?speciality=B2", "cached"),
        Endpoint("request form GET", "GET", "/demande/", "dynamic"),
        Endpoint(
            "request form POST",
            "POST",
            "/demande/",
            "create",
            body=urllib.parse.urlencode(form, doseq=True),
            content_type="application/x-www-form-urlencoded",
        ),
        Endpoint(
            "API POST",
            "POST",
            "/api/v1/requests",
            "create",
            body=json.dumps(api),
            content_type="application/json",
        ),
        Endpoint("tracking page", "GET", f"/suivi/{tracked.tracking_token}/", "dynamic"),
        Endpoint("inbox", "GET", "/espace/demandes/", "dynamic", logged_in=True),
        Endpoint(
            "inbox filtered",
            "GET",
            "/espace/demandes/?status=under_review",
            "dynamic",
            logged_in=True,
        ),
        Endpoint("inbox search", "GET", "/espace/demandes/?q=koha", "dynamic", logged_in=True),
        Endpoint(
            "request page",
            "GET",
            f"/espace/demandes/{detailed.reference}/",
            "dynamic",
            logged_in=True,
        ),
        Endpoint(
            "request page (review)",
            "GET",
            f"/espace/demandes/{reviewed.reference}/",
            "dynamic",
            logged_in=True,
        ),
        Endpoint(
            "suggestions (API)",
            "GET",
            f"/api/v1/requests/{reviewed.reference}/suggestions",
            "dynamic",
            token=True,
        ),
        Endpoint(
            "coordinator dashboard",
            "GET",
            f"/espace/equipe/{national.slug}/",
            "dynamic",
            logged_in=True,
        ),
        Endpoint("iCal feed", "GET", f"/agenda/{national.slug}.ics", "cached"),
        Endpoint("realisations", "GET", "/realisations/", "cached"),
        Endpoint("Atom feed", "GET", "/realisations/feed/", "cached"),
        Endpoint("member profile", "GET", f"/equipe/{coordinator.slug}/", "cached"),
    ]


# --- SQL queries and bytes, once per endpoint, with Django's test client ----------------------


def api_token() -> str:
    """A personal API token of the coordinator, issued once per run."""
    coordinator = User.objects.get(username=COORDINATOR)
    ApiToken.objects.filter(user=coordinator, name=BENCH_CLIENT_NAME).delete()
    _token, secret = ApiToken.issue(coordinator, BENCH_CLIENT_NAME)
    return secret


def measure_queries(points: list[Endpoint]) -> None:
    coordinator = User.objects.get(username=COORDINATOR)
    # POSTs get their own client: the session the form POST opens would otherwise be read
    # by every later anonymous GET, which wrk's requests do not carry.
    anonymous, poster, member = Client(), Client(), Client()
    member.force_login(coordinator)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {api_token()}"}
    for point in points:
        client = member if point.logged_in else poster if point.method == "POST" else anonymous
        extra = bearer if point.token else {}
        # Once before: caches warm, as under wrk (a POST files one request more).
        if point.method == "GET":
            client.get(point.path, **extra)
        else:
            client.post(point.path, data=point.body, content_type=point.content_type)
        with CaptureQueriesContext(connection) as queries:
            if point.method == "GET":
                response = client.get(point.path, **extra)
            else:
                response = client.post(point.path, data=point.body, content_type=point.content_type)
        point.result["queries"] = len(queries.captured_queries)
        point.result["bytes"] = len(response.content)
        if response.status_code >= 400:
            log(f"!! {point.name}: the test client got HTTP {response.status_code}")
    connection.close()


# --- gunicorn, login, wrk ----------------------------------------------------------------------


def collect_static() -> None:
    log("collecting static files…")
    subprocess.run(  # noqa: S603
        [str(BIN / "g2id"), "collectstatic", "--noinput", "-v", "0"], check=True, cwd=ROOT
    )


def start_gunicorn(port: int) -> subprocess.Popen[bytes]:
    log_file = (RESULTS / "gunicorn.log").open("wb")
    return subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "bench.wsgi",
            "-w",
            WORKERS,
            "-b",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )


def wait_healthy(base: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (see {RESULTS / 'gunicorn.log'}).")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz in time.")


def wait_idle(base: str, timeout: float = 180) -> None:
    """Wait until gunicorn has drained what wrk left queued (slow pages pile up requests).

    When wrk stops, the requests already accepted are still served one by one; the next
    endpoint would otherwise be measured behind them.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=30) as answer:  # noqa: S310
                answer.read()
            if time.monotonic() - started < 0.5:
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    log("!! gunicorn still busy after the drain timeout; measuring anyway")


def csrf_token_of(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not found:
        raise SystemExit("No CSRF token in the page.")
    return found.group(1)


def login(base: str) -> tuple[str, str]:
    """Log the coordinator in through the real form; return (sessionid, csrftoken) cookies."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/connexion/", timeout=10) as page:
        token = csrf_token_of(page.read().decode())
    data = urllib.parse.urlencode(
        {"username": COORDINATOR, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    posted = urllib.request.Request(  # noqa: S310
        base + "/connexion/", data=data, headers={"Referer": base + "/connexion/"}
    )
    with opener.open(posted, timeout=10):
        pass
    cookies = {cookie.name: cookie.value or "" for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit("The login failed: no session cookie.")
    return cookies["sessionid"], cookies["csrftoken"]


def form_csrf(base: str) -> tuple[str, str]:
    """An anonymous CSRF cookie and the form token that goes with it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/demande/", timeout=10) as page:
        token = csrf_token_of(page.read().decode())
    cookies = {cookie.name: cookie.value or "" for cookie in jar}
    return cookies["csrftoken"], token


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> dict[str, Any]:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    done = re.search(r"(\d+) requests in", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    if done is None or int(done.group(1)) == 0:
        # Not one answer during the run: every connection waited in vain.
        errors += CONNECTIONS
    return {
        "rps": round(float(rps.group(1)), 1) if rps else 0.0,
        "p50_ms": round(to_ms(p50.group(1)), 2) if p50 else None,
        "p99_ms": round(to_ms(p99.group(1)), 2) if p99 else None,
        "errors": errors,
    }


def run_wrk(wrk: str, base: str, point: Endpoint, headers: list[str]) -> dict[str, Any]:
    command = [wrk, "-t1", f"-c{CONNECTIONS}", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    env = dict(os.environ)
    if point.method == "POST":
        command += ["-s", str(BENCH / "post.lua")]
        env["BENCH_BODY"] = point.body
        env["BENCH_CONTENT_TYPE"] = point.content_type
    url = base + point.path
    wait_idle(base)
    subprocess.run(  # noqa: S603
        [*command, "-d", WARMUP, url], env=env, capture_output=True, check=False, timeout=120
    )
    wait_idle(base)
    done = subprocess.run(  # noqa: S603
        [*command, "-d", DURATION, url],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    if done.returncode != 0:
        log(f"!! wrk failed on {point.name}: {done.stderr.strip()}")
    (RESULTS / "wrk").mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", point.name.lower()).strip("-")
    (RESULTS / "wrk" / f"{slug}.txt").write_text(done.stdout + done.stderr)
    return parse_wrk(done.stdout)


def machine() -> dict[str, Any]:
    wrk_version = subprocess.run(  # noqa: S603
        [shutil.which("wrk") or "wrk", "-v"], capture_output=True, text=True, check=False
    )
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "django": django.get_version(),
        "wrk": (wrk_version.stdout + wrk_version.stderr).split("\n")[0].strip() or None,
        "gunicorn_workers": int(WORKERS),
        "wrk_args": f"-t1 -c8 -d{DURATION} (warm-up -d{WARMUP})",
        # The machine may be shared: a high load average before the run skews every figure.
        "loadavg_before": [round(x, 2) for x in LOAD_BEFORE],
    }


def print_table(points: list[Endpoint], ceiling: float) -> None:
    header = (
        f"{'endpoint':<24} {'kind':<8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'ratio':>6} {'target':>6} {'queries':>7} {'bytes':>7} {'errors':>6}"
    )
    print()
    print(header)
    print("-" * len(header))
    for point in points:
        r = point.result
        target = TARGETS[point.kind]
        mark = "ok" if r["ratio"] >= target else "MISS"
        print(
            f"{point.name:<24} {point.kind:<8} {r['rps']:>8.1f} {r['p50_ms'] or 0:>8.2f} "
            f"{r['p99_ms'] or 0:>8.2f} {r['ratio']:>6.1%} {mark:>6} "
            f"{r['queries']!s:>7} {r['bytes']!s:>7} {r['errors']:>6}"
        )
    print(f"\nceiling: {ceiling:.1f} req/s; targets: cached ≥ 50 %, dynamic ≥ 15 %, create ≥ 8 %")


LOAD_BEFORE = os.getloadavg()


def main() -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    wrk = ensure_wrk()
    collect_static()  # first: the manifest storage needs it to render any page
    database = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    n = Request.objects.filter(contact_email__endswith="@" + SEED_EMAIL_DOMAIN).count()
    points = endpoints()
    only = os.environ.get("BENCH_ONLY", "")
    if only:
        points = [p for p in points if p.kind == "ceiling" or re.search(only, p.name)]
    log(f"database: {database}, N={n}; measuring SQL queries with the test client…")
    measure_queries(points)
    port = free_port()
    base = f"http://{HOST}:{port}"
    server = start_gunicorn(port)
    try:
        wait_healthy(base, server)
        session, session_csrf = login(base)
        form_cookie, form_token = form_csrf(base)
        token = api_token()
        for point in points:
            headers = []
            if point.token:
                headers.append(f"Authorization: Bearer {token}")
            if point.logged_in:
                headers.append(f"Cookie: sessionid={session}; csrftoken={session_csrf}")
            elif point.method == "POST" and point.path.startswith("/demande/"):
                headers.append(f"Cookie: csrftoken={form_cookie}")
                point.body += "&" + urllib.parse.urlencode({"csrfmiddlewaretoken": form_token})
            log(f"{point.name}: {point.method} {point.path}")
            point.result.update(run_wrk(wrk, base, point, headers))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    ceiling = next(p.result["rps"] for p in points if p.kind == "ceiling")
    for point in points:
        point.result["ratio"] = round(point.result["rps"] / ceiling, 4) if ceiling else 0.0
    print_table(points, ceiling)
    report = {
        "machine": machine(),
        "database": database,
        "n": n,
        "ceiling_rps": ceiling,
        "endpoints": [
            {
                "name": p.name,
                "method": p.method,
                "path": p.path,
                "kind": p.kind,
                **{
                    key: p.result.get(key)
                    for key in ("rps", "p50_ms", "p99_ms", "ratio", "queries", "bytes", "errors")
                },
            }
            for p in points
        ],
    }
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / f"latest-{database}.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    )
    log(f"written {RESULTS / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
