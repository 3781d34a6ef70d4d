"""Benchmark of the public enquiry form against django-helpdesk's public ticket submit (issue 3).

    python -m tbt_portal.bench inquiries [--seconds 10] [--workers 1] [--clients 2] [--write FILE]
    python -m tbt_portal.bench.inquiries ...

In one run, on the same machine, the same database kind (PostgreSQL), the same server (gunicorn,
``--workers`` sync workers, keep-alive 5 s, DEBUG off, persistent connections of 60 s) and the same
load generator (``--clients`` keep-alive client processes):

1. (re)creates two databases next to ``BENCH_DATABASE_URL`` / ``DATABASE_URL`` (default
   postgres://postgres@127.0.0.1:5432/): ``INQ_BENCH_DB`` (default ``tbt_bench_inq``) for the portal,
   migrated with the reference data loaded, and ``INQ_BENCH_HELPDESK_DB`` (``tbt_bench_helpdesk``);
2. installs django-helpdesk from PyPI with pip into a separate virtual environment
   (``.data/bench/helpdesk-venv``, kept between runs), writes a minimal project for it (one public
   queue, e-mail to the dummy backend) and migrates it;
3. measures requests/s and p95 latency of:
   - the public form GET: ``/inquiries/new/`` against helpdesk's ``/tickets/submit/``;
   - the full POST: our form (validation, spam checks, rate-limit counts, insert with HS code and
     market, event row, acknowledgement e-mail rendered into the outbox, deadlines, redirect) against
     helpdesk's (validation, ticket + follow-up insert, e-mails rendered to the dummy backend,
     redirect). Each POST of ours carries a fresh signed form token (one per displayed form, as a
     browser would), so every request creates a new enquiry; the rate limits are raised for the
     run and the minimum fill time set to 0 through their environment settings.
The report (Markdown) is printed and, with ``--write``, replaces the benchmark block of that file.
Targets (issue 3): our GET ≥ 2 × helpdesk's; our POST ≥ 50 requests/s per worker.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import textwrap
import time
import urllib.parse
import uuid
from datetime import date
from pathlib import Path
from typing import Any

BASE = Path(__file__).resolve().parents[2]
WORK = BASE / ".data" / "bench"
HD_VENV = WORK / "helpdesk-venv"
HD_PROJECT = WORK / "helpdesk-project"
INQ_DB = os.environ.get("INQ_BENCH_DB", "tbt_bench_inq")
HD_DB = os.environ.get("INQ_BENCH_HELPDESK_DB", "tbt_bench_helpdesk")
HD_REQUIREMENT = os.environ.get("INQ_BENCH_HELPDESK", "django-helpdesk")
MARK = "bench:inquiries"
WARM_TOKENS = 200

OUR_GET = "/inquiries/new/"
OUR_POST = "/inquiries/new/"
HD_GET = "/tickets/submit/"
HD_POST = "/tickets/submit/"

QUESTION = (
    "Cà phê rang xay đóng gói xuất khẩu sang EU phải ghi nhãn những nội dung gì, bằng ngôn ngữ nào, "
    "và có cần chứng nhận hợp quy trước khi thông quan không?"
)


# --- databases --------------------------------------------------------------------------------------
def _pg_base_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url


def _db_url(base: str, name: str) -> str:
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def _recreate(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_db_url(base, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# --- the portal (child processes in this virtual environment) ------------------------------------------
def _our_env(url: str) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=url, DEMO_MODE="1", DJANGO_SETTINGS_MODULE="tbt_portal.settings")
    for name in ("TESTING", "DEBUG", "REDIS_URL"):
        env.pop(name, None)
    env.update(
        DATA_DIR=str(WORK / "inq-data"),
        DB_CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
        INQUIRY_MIN_FILL_SECONDS="0",
        INQUIRY_RATE_PER_IP="100000000",
        INQUIRY_RATE_PER_EMAIL_DAY="100000000",
    )
    return env


def step_prepare(tokens: int) -> dict[str, Any]:
    """Reference data in the bench database; the ids the POST needs; signed form tokens."""
    import django

    django.setup()
    from django.core.management import call_command

    from inquiries.forms import form_token_new
    from network.models import Province, WTOMember

    call_command("load_reference_data", quiet=True)
    return {
        "province": Province.objects.order_by("pk").values_list("pk", flat=True).first(),
        "market": WTOMember.objects.filter(code="EU").values_list("pk", flat=True).first(),
        "tokens": [form_token_new(uuid.uuid4()) for _ in range(tokens)],
    }


def step_count() -> dict[str, Any]:
    import django

    django.setup()
    from inquiries.models import Inquiry
    from network.models import OutboxEmail

    return {
        "inquiries": Inquiry.objects.count(),
        "outbox": OutboxEmail.objects.filter(template="inquiry_ack").count(),
    }


def _our_child(step: str, url: str, *extra: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "tbt_portal.bench.inquiries", f"--step={step}", *extra],
        cwd=BASE,
        env=_our_env(url),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- django-helpdesk (its own virtual environment and project) ---------------------------------------
HD_SETTINGS = '''
"""django-helpdesk for the enquiry benchmark (generated by tbt_portal.bench.inquiries)."""
import os

BASE_DIR = os.path.dirname(os.path.abspath(__file__))
SECRET_KEY = "bench-only-insecure-key-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
]
SITE_ID = 1
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "hd_urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ["HD_DB_NAME"],
        "USER": os.environ.get("HD_DB_USER") or "postgres",
        "PASSWORD": os.environ.get("HD_DB_PASSWORD") or "",
        "HOST": os.environ.get("HD_DB_HOST") or "127.0.0.1",
        "PORT": os.environ.get("HD_DB_PORT") or "5432",
        "CONN_MAX_AGE": 60,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
LANGUAGE_CODE = "en"
STATIC_URL = "/static/"
MEDIA_ROOT = os.path.join(BASE_DIR, "media")
LOGIN_URL = "helpdesk:login"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.org"
HELPDESK_TEAMS_MODE_ENABLED = False
HELPDESK_PUBLIC_TICKET_QUEUE = "enquiries"
HELPDESK_PUBLIC_TICKET_PRIORITY = 3
HELPDESK_PUBLIC_TICKET_DUE_DATE = None
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
'''

HD_URLS = """
from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls"))]
"""

HD_SETUP = """
import django

django.setup()
from helpdesk.models import Queue

Queue.objects.get_or_create(
    slug="enquiries",
    defaults={"title": "Enquiries", "allow_public_submission": True, "email_address": "enq@example.org"},
)
import helpdesk

print(getattr(helpdesk, "__version__", ""))
"""


def _hd_python() -> Path:
    return HD_VENV / "bin" / "python"


def _hd_install() -> str:
    """django-helpdesk in its own virtual environment (pip from PyPI), kept between runs."""
    if not _hd_python().exists():
        subprocess.run([sys.executable, "-m", "venv", str(HD_VENV)], check=True)
    probe = subprocess.run([str(_hd_python()), "-c", "import helpdesk, gunicorn, psycopg"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run(
            [str(_hd_python()), "-m", "pip", "install", "--quiet", HD_REQUIREMENT, "gunicorn", "psycopg[binary]"],
            check=True,
        )
    out = subprocess.run(
        [str(_hd_python()), "-m", "pip", "show", "django-helpdesk", "django"], capture_output=True, text=True
    ).stdout
    versions = dict(re.findall(r"^Name: (\S+)\nVersion: (\S+)", out, re.M))
    return f"django-helpdesk {versions.get('django-helpdesk', '?')} on Django {versions.get('Django', '?')}"


def _hd_env(url: str) -> dict[str, str]:
    parts = urllib.parse.urlsplit(url)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(WORK)),
        "PYTHONPATH": str(HD_PROJECT),
        "DJANGO_SETTINGS_MODULE": "hd_settings",
        "HD_DB_NAME": parts.path.lstrip("/"),
        "HD_DB_USER": urllib.parse.unquote(parts.username or "postgres"),
        "HD_DB_PASSWORD": urllib.parse.unquote(parts.password or ""),
        "HD_DB_HOST": parts.hostname or "127.0.0.1",
        "HD_DB_PORT": str(parts.port or 5432),
    }
    return env


def _hd_prepare(url: str) -> None:
    HD_PROJECT.mkdir(parents=True, exist_ok=True)
    (HD_PROJECT / "hd_settings.py").write_text(textwrap.dedent(HD_SETTINGS), encoding="utf-8")
    (HD_PROJECT / "hd_urls.py").write_text(textwrap.dedent(HD_URLS), encoding="utf-8")
    env = _hd_env(url)
    subprocess.run(
        [str(_hd_python()), "-m", "django", "migrate", "--noinput", "-v0"], cwd=HD_PROJECT, env=env, check=True
    )
    subprocess.run([str(_hd_python()), "-c", textwrap.dedent(HD_SETUP)], cwd=HD_PROJECT, env=env, check=True)


# --- server and load ----------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(python: str, app: str, cwd: Path, env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", app, "-b", f"127.0.0.1:{port}", "-w", str(workers)]
        + ["--log-level", "warning", "--keep-alive", "5"],
        cwd=cwd,
        env=env,
        start_new_session=True,
    )
    for _ in range(150):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, port
        except OSError:
            time.sleep(0.2)
    _stop(server)
    raise RuntimeError(f"{app} did not start")


def _stop(server: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def _csrf(port: int, path: str) -> tuple[str, str]:
    """One GET: the CSRF cookie and the form's csrfmiddlewaretoken (reused by every POST)."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Host": "127.0.0.1"})
    response = conn.getresponse()
    html = response.read().decode("utf-8", "replace")
    conn.close()
    cookie = ""
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            cookie = value.split(";", 1)[0].split("=", 1)[1]
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if response.status != 200 or not cookie or not match:
        raise RuntimeError(f"{path}: no CSRF token (HTTP {response.status})")
    return cookie, match.group(1)


def _multipart(fields: list[tuple[str, str]]) -> tuple[bytes, str]:
    boundary = "----bench" + uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _our_fields(i: int, token: str, prepared: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        ("form_token", token),
        ("consent_version", "2026-01"),
        ("name", "Nguyễn Thị Bench"),
        ("asker_type", "business"),
        ("organisation", "Công ty TNHH Cà phê Bench"),
        ("email", f"bench{i}@example.com"),
        ("phone", "+84 24 3791 0000"),
        ("province", str(prepared["province"])),
        ("subject", f"Ghi nhãn cà phê xuất khẩu sang EU #{i}"),
        ("question", QUESTION),
        ("hs_codes", "0901"),
        ("markets", str(prepared["market"])),
        ("notification_symbol", ""),
        ("language", "vi"),
        ("consent", "on"),
        ("homepage_url", ""),
    ]


def _hd_fields(i: int) -> list[tuple[str, str]]:
    return [
        ("title", f"Ghi nhãn cà phê xuất khẩu sang EU #{i}"),
        ("body", QUESTION),
        ("submitter_email", f"bench{i}@example.com"),
    ]


def _hammer(args: tuple[Any, ...]) -> tuple[int, float, list[float]]:
    """One keep-alive client: requests until the deadline; returns the count and each latency (ms)."""
    import http.client

    port, kind, path, seconds, expected, csrf, tokens, prepared, offset = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies: list[float] = []
    begun = time.monotonic()
    deadline = begun + seconds
    i = 0
    while time.monotonic() < deadline:
        headers = {"Host": "127.0.0.1", "Connection": "keep-alive"}
        body = None
        method = "GET"
        if kind != "get":
            if kind == "our_post" and i >= len(tokens):
                break  # out of form tokens: stop this client early (counted in the report)
            n = offset + i
            fields = _our_fields(n, tokens[i], prepared) if kind == "our_post" else _hd_fields(n)
            body, content_type = _multipart([("csrfmiddlewaretoken", csrf[1]), *fields])
            headers.update(
                {"Content-Type": content_type, "Cookie": f"csrftoken={csrf[0]}", "Referer": "http://127.0.0.1/"}
            )
            method = "POST"
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != expected:
            raise RuntimeError(f"{method} {path}: HTTP {response.status}, expected {expected}")
        i += 1
    conn.close()
    return i, time.monotonic() - begun, latencies


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def _measure(
    port: int,
    kind: str,
    path: str,
    seconds: float,
    clients: int,
    expected: int,
    csrf: tuple[str, str] = ("", ""),
    tokens: list[str] | None = None,
    prepared: dict[str, Any] | None = None,
) -> dict[str, Any]:
    from multiprocessing import Pool

    tokens = tokens or []
    warm, tokens = tokens[:WARM_TOKENS], tokens[WARM_TOKENS:]
    per_client = len(tokens) // max(clients, 1)
    # Warm-up (not counted): the first requests of each worker load templates and open connections.
    _hammer((port, kind, path, 1.0, expected, csrf, warm, prepared or {}, 10_000_000))
    jobs = [
        (port, kind, path, seconds, expected, csrf, tokens[c * per_client : (c + 1) * per_client], prepared or {})
        + (c * 1_000_000,)
        for c in range(clients)
    ]
    with Pool(clients) as pool:
        results = pool.map(_hammer, jobs)
    latencies = [ms for _n, _t, values in results for ms in values]
    count = sum(n for n, _t, _values in results)
    return {
        "requests": count,
        "rps": round(sum(n / max(t, 0.001) for n, t, _values in results), 1),
        "p50": round(statistics.median(latencies), 1),
        "p95": round(_percentile(latencies, 0.95), 1),
    }


# --- report -------------------------------------------------------------------------------------------
def _markdown(r: dict[str, Any]) -> str:
    our_get, hd_get, our_post, hd_post = r["our_get"], r["hd_get"], r["our_post"], r["hd_post"]
    get_ratio = our_get["rps"] / hd_get["rps"] if hd_get["rps"] else 0.0
    post_ratio = our_post["rps"] / hd_post["rps"] if hd_post["rps"] else 0.0
    per_worker = our_post["rps"] / r["workers"]
    lines = [
        f"<!-- {MARK} -->",
        "### Enquiry form benchmark",
        "",
        f"Run {date.today().isoformat()} with `python -m tbt_portal.bench inquiries` ({r['total_seconds']:.0f} s in all): "
        f"{os.cpu_count()} CPUs, PostgreSQL for both, gunicorn with {r['workers']} sync worker(s), keep-alive, "
        f"DEBUG off, {r['clients']} keep-alive client processes on the same machine, {r['seconds']:.0f} s per case, "
        f"after a warm-up. Compared with {r['helpdesk']} (installed from PyPI in a separate virtual environment, "
        "public queue, e-mail to the dummy backend).",
        "",
        "| case | requests/s | p50 ms | p95 ms | requests |",
        "|---|---|---|---|---|",
        f"| portal GET `{OUR_GET}` | {our_get['rps']} | {our_get['p50']} | {our_get['p95']} | {our_get['requests']} |",
        f"| django-helpdesk GET `{HD_GET}` | {hd_get['rps']} | {hd_get['p50']} | {hd_get['p95']} | {hd_get['requests']} |",
        f"| portal POST (validate, insert, event, outbox row, deadlines, redirect) | {our_post['rps']} | "
        f"{our_post['p50']} | {our_post['p95']} | {our_post['requests']} |",
        f"| django-helpdesk POST (validate, ticket + follow-up, e-mails, redirect) | {hd_post['rps']} | "
        f"{hd_post['p50']} | {hd_post['p95']} | {hd_post['requests']} |",
        "",
        f"- GET ratio portal / helpdesk: **{get_ratio:.2f}×** (target ≥ 2×: "
        f"**{'met' if get_ratio >= 2 else 'NOT met'}**).",
        f"- POST: **{per_worker:.1f} requests/s per worker** (target ≥ 50: "
        f"**{'met' if per_worker >= 50 else 'NOT met'}**); ratio portal / helpdesk {post_ratio:.2f}×.",
        f"- Check: {r['created']['inquiries']} enquiries and {r['created']['outbox']} acknowledgement e-mails in "
        "the outbox after the run (one per POST, warm-up included).",
        f"<!-- /{MARK} -->",
    ]
    return "\n".join(lines) + "\n"


def _write(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(rf"<!-- {MARK} -->.*?<!-- /{MARK} -->\n?", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else (text.rstrip() + "\n\n" + block).lstrip()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def run_inquiries_bench(*, seconds: float = 10.0, workers: int = 1, clients: int = 2, write: str | None = None) -> str:
    started = time.monotonic()
    WORK.mkdir(parents=True, exist_ok=True)
    base = _pg_base_url()
    our_url, hd_url = _db_url(base, INQ_DB), _db_url(base, HD_DB)
    helpdesk = _hd_install()
    _recreate(base, INQ_DB)
    _recreate(base, HD_DB)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=BASE, env=_our_env(our_url), check=True
    )
    # Enough signed form tokens for the fastest plausible rate (each POST of a browser has its own).
    prepared = _our_child("prepare", our_url, f"--tokens={int(seconds * 400) + WARM_TOKENS}")
    tokens = prepared.pop("tokens")
    _hd_prepare(hd_url)

    result: dict[str, Any] = {"seconds": seconds, "workers": workers, "clients": clients, "helpdesk": helpdesk}
    server, port = _serve(sys.executable, "tbt_portal.wsgi:application", BASE, _our_env(our_url), workers)
    try:
        result["our_get"] = _measure(port, "get", OUR_GET, seconds, clients, 200)
        csrf = _csrf(port, OUR_GET)
        result["our_post"] = _measure(port, "our_post", OUR_POST, seconds, clients, 302, csrf, tokens, prepared)
    finally:
        _stop(server)
    server, port = _serve(
        str(_hd_python()), "django.core.wsgi:get_wsgi_application()", HD_PROJECT, _hd_env(hd_url), workers
    )
    try:
        result["hd_get"] = _measure(port, "get", HD_GET, seconds, clients, 200)
        csrf = _csrf(port, HD_GET)
        result["hd_post"] = _measure(port, "hd_post", HD_POST, seconds, clients, 302, csrf)
    finally:
        _stop(server)
    result["created"] = _our_child("count", our_url)
    result["total_seconds"] = time.monotonic() - started
    report = _markdown(result)
    print(report)
    if write:
        _write(Path(write), report)
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--write", help="Markdown file whose enquiry benchmark block is replaced")
    parser.add_argument("--tokens", type=int, default=1000)
    parser.add_argument("--step", choices=["prepare", "count"])
    # `make bench` passes the same arguments to every benchmark: ignore the ones of the others.
    args, _unknown = parser.parse_known_args(argv)
    if args.step == "prepare":
        print(json.dumps(step_prepare(args.tokens)))
    elif args.step == "count":
        print(json.dumps(step_count()))
    else:
        run_inquiries_bench(seconds=args.seconds, workers=args.workers, clients=args.clients, write=args.write)


if __name__ == "__main__":
    main()
