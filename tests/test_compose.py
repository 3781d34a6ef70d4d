"""The production topology in docker-compose.yml: one image, the six services, health checks, volumes."""

from pathlib import Path

import yaml

BASE = Path(__file__).resolve().parent.parent


def _compose() -> dict:
    return yaml.safe_load((BASE / "docker-compose.yml").read_text(encoding="utf-8"))


def test_every_required_service_is_there_with_a_health_check():
    services = _compose()["services"]
    for name in ("web", "worker", "beat", "postgres", "redis", "mailpit"):
        assert name in services, name
    for name in ("web", "worker", "postgres", "redis", "mailpit"):
        assert "healthcheck" in services[name], f"{name} has no health check"


def test_web_worker_and_beat_run_from_one_image_on_postgres_and_redis():
    services = _compose()["services"]
    images = {services[name]["image"] for name in ("web", "worker", "beat", "migrate")}
    assert images == {"tbt-portal:local"}
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert env["DEMO_MODE"] == "0" and env["DEBUG"] == "0"
        # Nothing starts before the migrations are applied.
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert (
        services["worker"]["command"][:3] == ["celery", "-A", "tbt_portal"]
        and "worker" in services["worker"]["command"]
    )
    assert "beat" in services["beat"]["command"]
    dockerfile = (BASE / "Dockerfile").read_text(encoding="utf-8")
    assert 'CMD ["gunicorn", "tbt_portal.wsgi"' in dockerfile


def test_data_lives_in_named_volumes():
    compose = _compose()
    assert {"pgdata", "redisdata", "media"} <= set(compose["volumes"])
    services = compose["services"]
    assert any(v.startswith("pgdata:") for v in services["postgres"]["volumes"])
    assert any(v.startswith("redisdata:") for v in services["redis"]["volumes"])
    assert any(v.startswith("media:") for v in services["web"]["volumes"])


def test_redis_evicts_only_expiring_keys():
    """The cache's pages may be evicted under memory pressure; the broker's queues never."""
    command = _compose()["services"]["redis"]["command"]
    assert command[command.index("--maxmemory-policy") + 1] == "volatile-lru"
