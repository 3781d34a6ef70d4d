# The one image of the Vietnam TBT Portal: the web server, the Celery worker and the scheduler
# all run from it (see docker-compose.yml and the README's "Docker Compose" section).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=tbt_portal.settings \
    DATA_DIR=/app/.data \
    MEDIA_ROOT=/app/media

# WeasyPrint's libraries (PDF minutes and reports), a font with Vietnamese glyphs, and gettext
# for compiling the translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
# Static files and compiled translations are baked into the image. Settings need a secret to load;
# this one exists only during the build and is never used to sign anything.
RUN SECRET_KEY=build-only-placeholder DATABASE_URL=sqlite:////tmp/build.sqlite3 \
        python manage.py collectstatic --noinput -v0 \
    && SECRET_KEY=build-only-placeholder DATABASE_URL=sqlite:////tmp/build.sqlite3 \
        python manage.py compilemessages -v0 \
    && rm -f /tmp/build.sqlite3 \
    && useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin tbt \
    && mkdir -p /app/media /app/.data \
    && chown -R tbt /app/media /app/.data

USER tbt
EXPOSE 8000
# Workers: WEB_CONCURRENCY (gunicorn reads it), default 2 per container.
CMD ["gunicorn", "tbt_portal.wsgi", "--bind", "0.0.0.0:8000", "--timeout", "60", "--access-logfile", "-", "--no-control-socket"]
