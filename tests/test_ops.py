"""Operations: the health check, the error pages in both languages, and `check --deploy`.

This module is also the URLconf of the error-page tests (``@pytest.mark.urls(__name__)``): the
project's routes plus three that fail on purpose, under the same language prefixes.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from tbt_portal import urls as project_urls

BASE_DIR = Path(__file__).resolve().parent.parent


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("tampered")


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    *project_urls.urlpatterns,
    *i18n_patterns(
        path("ops-test/403/", _forbidden),
        path("ops-test/400/", _bad),
        path("ops-test/500/", _boom),
        prefix_default_language=False,
    ),
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


# --- /healthz ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_healthz_ok_with_database_and_broker():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True, "detail": "ok"},
        "broker": {"ok": True, "detail": "ok"},
    }
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def _database_down(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(type(connections["default"]), "cursor", refuse)


def _broker_down(monkeypatch):
    from tbt_portal.celery import app

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(app, "connection_for_write", refuse)


@pytest.mark.django_db
def test_healthz_503_when_database_down(monkeypatch):
    _database_down(monkeypatch)
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == {"ok": False, "detail": "OperationalError"}
    assert body["broker"]["ok"] is True


@pytest.mark.django_db
def test_healthz_503_when_broker_down(monkeypatch):
    _broker_down(monkeypatch)
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": False, "detail": "ConnectionRefusedError"}


@pytest.mark.django_db
def test_healthz_503_when_both_down(monkeypatch):
    _database_down(monkeypatch)
    _broker_down(monkeypatch)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert not response.json()["database"]["ok"]
    assert not response.json()["broker"]["ok"]


def test_healthz_only_answers_get(db):
    assert Client().post("/healthz").status_code == 405


# --- Error pages ------------------------------------------------------------------------------
ERRORS = {
    400: ("Bad request", "Yêu cầu không hợp lệ", "ops-test/400/"),
    403: ("Access denied", "Không có quyền truy cập", "ops-test/403/"),
    404: ("Page not found", "Không tìm thấy trang", "khong-co-trang-nay/"),
    500: ("Server error", "Lỗi máy chủ", "ops-test/500/"),
}


@pytest.fixture
def production_like(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


@pytest.mark.urls(__name__)
@pytest.mark.django_db
@pytest.mark.parametrize("status", sorted(ERRORS))
def test_error_pages_in_vietnamese_and_english(production_like, status):
    english, vietnamese, path_ = ERRORS[status]
    client = Client(raise_request_exception=False)
    for prefix, lang, title, other in (("", "vi", vietnamese, english), ("/en", "en", english, vietnamese)):
        response = client.get(f"{prefix}/{path_}")
        html = response.content.decode()
        assert response.status_code == status, (prefix, status)
        assert f'<html lang="{lang}">' in html
        assert f"{title} <small" in html
        assert other not in html
        # The layout is the portal's, with a way home and the language switch.
        assert 'class="lang-switch"' in html
        assert "Traceback" not in html and "boom" not in html


@pytest.mark.django_db
def test_missing_page_under_en_is_an_english_404(production_like):
    response = Client().get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# --- check --deploy ---------------------------------------------------------------------------
def _deploy_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "tbt_portal.settings",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DEBUG": "0",
        "DEMO_MODE": "0",
        "ALLOWED_HOSTS": "tbt.example.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "DATA_DIR": str(tmp_path / "data"),
    }
    env.update(extra)
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = _check_deploy(_deploy_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output and "?: (" not in output


def test_check_deploy_would_catch_an_insecure_setting(tmp_path):
    # The same run with HTTPS redirection off must fail: the test above really looks.
    result = _check_deploy(_deploy_env(tmp_path, SECURE_SSL_REDIRECT="0"))
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = _deploy_env(tmp_path)
    del env["SECRET_KEY"]
    result = _check_deploy(env)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr
