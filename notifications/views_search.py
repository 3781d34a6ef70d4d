"""Finding notifications: the public search page, its exports and feeds; the administrators'
import screens. Short views: parse the parameters with the form, call search/exports/feeds."""

from __future__ import annotations

import logging
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from network.permissions import require_admin
from tbt_portal.cache_versions import page_digest, page_for_anyone, versioned

from . import exports, feeds
from .forms_import import ImportUploadForm
from .forms_search import PARAM_NAMES, query_string, search_form
from .importers.report import WARNING, error_message, refused_count
from .importers.runs import import_run_create
from .models import ImportRun
from .search import LIST_FIELDS, search_cache_version, search_page
from .tasks_import import import_run_task

logger = logging.getLogger(__name__)


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    if _page_cacheable(request):
        try:
            return HttpResponse(_search_page_cached(request))
        except Exception:  # the cache unreachable: render the page as without it
            logger.warning("Cached search page unavailable", exc_info=True)
    return HttpResponse(_search_html(request))


def _search_html(request: HttpRequest) -> str:
    form = search_form(request.GET)
    page = search_page(form.params(), _page_number(request), fields=LIST_FIELDS)
    qs = query_string(request.GET)
    return render_to_string(
        "notifications/search.html",
        {
            "form": form,
            "page": page,
            "qs": qs,
            "qs_sort": query_string(request.GET, drop=("page", "sort")),
            "cap": settings.NOTIFICATION_SEARCH_COUNT_CAP,
            "export_cap": settings.NOTIFICATION_EXPORT_MAX_ROWS,
            "today": timezone.localdate(),
        },
        request=request,
    )


# --- the page, cached for anonymous visitors ---------------------------------------------------
# An anonymous visitor's page depends only on the address (language, parameters), the day ("open
# for comments"), the release (cache_versions.page_digest) and the notifications, whose version
# (search.search_cache_version) every change bumps; it has no CSRF token (the search form is a GET).
# So it is rendered once and served from the cache until one of those changes, for at most
# NOTIFICATION_SEARCH_CACHE_SECONDS.
_CACHEABLE_PARAMS = frozenset((*PARAM_NAMES, "page"))


def _page_cacheable(request: HttpRequest) -> bool:
    if settings.NOTIFICATION_SEARCH_CACHE_SECONDS <= 0:
        return False
    # Only the search's own parameters, once each: any other address is rendered and not kept, so
    # made-up query strings cannot fill the cache with copies of the same page.
    if len(request.META.get("QUERY_STRING", "")) > 1024 or any(
        name not in _CACHEABLE_PARAMS or len(request.GET.getlist(name)) > 1 for name in request.GET
    ):
        return False
    return page_for_anyone(request)


def _search_page_cached(request: HttpRequest) -> str:
    version = search_cache_version()
    key = f"{version.key}:page:{page_digest(request, timezone.localdate())}"
    html = versioned(version, key, lambda: _search_html(request), settings.NOTIFICATION_SEARCH_CACHE_SECONDS)
    assert html is not None
    return html


@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    return exports.csv_response(search_form(request.GET).params())


@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    return exports.xlsx_response(search_form(request.GET).params())


@require_GET
def feed_atom(request: HttpRequest) -> HttpResponse:
    return feeds.atom_response(request, search_form(request.GET).params())


@require_GET
def feed_ical(request: HttpRequest) -> HttpResponse:
    return feeds.ical_response(request, search_form(request.GET).params())


@require_admin
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = import_run_create(fmt=form.cleaned_data["format"], uploads=form.cleaned_data["upload"], user=request.user)  # type: ignore[arg-type]
        transaction.on_commit(lambda: import_run_task.delay(run.pk))
        messages.success(request, _("The import has started."))
        return redirect("notifications:import_run", public_id=run.public_id)
    runs = list(ImportRun.objects.select_related("started_by")[:20])
    for run in runs:
        run.refused = refused_count(run.errors)  # type: ignore[attr-defined]
    return render(
        request, "notifications/import_upload.html", {"form": form, "runs": runs}, status=400 if form.errors else 200
    )


@require_admin
@require_GET
def import_run(request: HttpRequest, public_id: UUID) -> HttpResponse:
    run = get_object_or_404(ImportRun.objects.select_related("started_by"), public_id=public_id)
    listed = [{**e, "message": error_message(e)} for e in run.errors or []]
    warnings = [e for e in listed if e.get("level") == WARNING]  # e.g. columns ignored: no row refused
    errors = [e for e in listed if e.get("level") != WARNING]
    percent = int(run.processed * 100 / run.total) if run.total else (100 if run.state == run.State.DONE else 0)
    return render(
        request,
        "notifications/import_run.html",
        {
            "run": run,
            "errors": errors,
            "warnings": warnings,
            "percent": min(percent, 100),
            "refused": refused_count(run.errors),
            "running": run.state in (ImportRun.State.PENDING, ImportRun.State.RUNNING),
        },
    )
