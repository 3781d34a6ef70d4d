"""The Celery application: one for the web, the worker and the scheduler."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tbt_portal.settings")

app = Celery("tbt_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
