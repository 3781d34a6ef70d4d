"""Feeds of any search: Atom (newest notifications) and iCalendar (their final dates for comments,
one all-day VEVENT each with a stable UID, to subscribe to in a calendar)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from network.text import printable

from .forms_search import query_string
from .models import Notification
from .search import SearchParams, filtered, ordered


def _title(n: Notification) -> str:
    label = n.symbol or n.external_id
    text = n.display_title()
    member = str(n.member) if n.member_id else ""
    if text:
        return printable(f"{label}: {text}")
    return printable(f"{label} ({member})" if member else label)


def atom_response(request: HttpRequest, params: SearchParams) -> HttpResponse:
    qs = query_string(request.GET)
    search_url = request.build_absolute_uri(reverse("notifications:search")) + (f"?{qs}" if qs else "")
    feed = Atom1Feed(
        title=_("TBT notifications") + (f": {printable(params.q)}" if params.q else ""),
        link=search_url,
        description=_("Notifications matching a search on the Vietnam TBT Portal"),
        language=(request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else settings.LANGUAGE_CODE),
        feed_url=request.build_absolute_uri(),
        feed_guid=search_url,
    )
    newest = SearchParams(**{**params.__dict__, "sort": "newest"})
    for n in ordered(newest).select_related("member")[: settings.NOTIFICATION_FEED_ITEMS]:
        link = request.build_absolute_uri(n.get_absolute_url())
        pubdate = datetime.combine(n.distribution_date, time(0, 0), tzinfo=UTC) if n.distribution_date else n.created_at
        parts = []
        if n.member_id:
            parts.append(_("Notifying member: %(member)s") % {"member": n.member})
        if n.comment_deadline:
            parts.append(_("Final date for comments: %(date)s") % {"date": n.comment_deadline.isoformat()})
        if n.summary_vi or n.description:
            parts.append(n.summary_vi or n.description)
        feed.add_item(
            title=_title(n),
            link=link,
            description=printable("\n".join(parts)),
            unique_id=f"urn:uuid:{n.public_id}",
            unique_id_is_permalink=False,
            pubdate=pubdate,
            updateddate=n.updated_at,
            categories=[str(n.get_source_display())],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


# --- iCalendar (RFC 5545) -------------------------------------------------------------------------
def _escape(text: str) -> str:
    return (
        printable(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF + space (never splitting a UTF-8 character)."""
    out: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def ical_text(request: HttpRequest, params: SearchParams) -> str:
    host = request.get_host().split(":")[0] or "tbt-portal"
    stamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Vietnam TBT Portal//Notifications//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + _escape(_("TBT comment deadlines") + (f": {params.q}" if params.q else "")),
        "X-WR-TIMEZONE:" + settings.TIME_ZONE,
    ]
    # Deadlines from a year ago onwards, latest first, so that the cap never drops an upcoming one
    # in favour of a past one.
    since = timezone.localdate() - timedelta(days=365)
    qs = (
        filtered(params)
        .filter(comment_deadline__gte=since)
        .select_related("member")
        .order_by("-comment_deadline", "-id")[: settings.NOTIFICATION_ICAL_MAX_EVENTS]
    )
    for n in qs:
        deadline = n.comment_deadline
        assert deadline is not None
        url = request.build_absolute_uri(n.get_absolute_url())
        description = _("Final date for comments on %(label)s.") % {"label": n.symbol or n.external_id}
        if n.member_id:
            description += " " + _("Notifying member: %(member)s") % {"member": n.member}
        lines += [
            "BEGIN:VEVENT",
            f"UID:notification-{n.public_id}-deadline@{host}",
            f"DTSTAMP:{stamp}",
            f"LAST-MODIFIED:{n.updated_at.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
            f"DTSTART;VALUE=DATE:{deadline.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(deadline + timedelta(days=1)).strftime('%Y%m%d')}",
            "SUMMARY:" + _escape(_("Comment deadline: %(title)s") % {"title": _title(n)}),
            "DESCRIPTION:" + _escape(description + "\n" + url),
            "URL:" + url,
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def ical_response(request: HttpRequest, params: SearchParams) -> HttpResponse:
    response = HttpResponse(ical_text(request, params), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tbt-deadlines.ics"'
    return response
