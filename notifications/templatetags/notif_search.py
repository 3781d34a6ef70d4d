"""The search page's result items, rendered in Python.

The list page is the portal's busiest public page; rendering its twenty items through template
nodes (a translation, a date format and a URL reversal per line) was most of its time. The markup
and the msgids are those the template had, so the page and its catalogue entries are unchanged.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ..models import Notification

register = template.Library()


def _result(n: Notification, today: date, labels: dict[str, str]) -> SafeString:
    meta = [format_html('<span class="badge">{}</span>', n.get_source_display())]
    if n.direction == Notification.Direction.OUT:
        meta.append(format_html('<span class="badge done">{}</span>', labels["vietnam"]))
    if n.comment_deadline and n.comment_deadline >= today:
        meta.append(format_html('<span class="badge open">{}</span>', labels["open"]))
    meta.append(format_html('<span class="symbol">{}</span>', n.symbol or n.external_id))
    if n.member_id:
        meta.append(format_html("· {}", n.member))
    title = Truncator(n.display_title() or labels["untitled"]).chars(220)
    followup = format_html(' <span class="muted">({})</span>', n.get_followup_kind_display()) if n.followup_kind else ""
    url = reverse("notifications:detail", kwargs={"public_id": n.public_id})
    products = (
        format_html('<p class="products">{} {}</p>', labels["products"], Truncator(n.products_text).chars(200))
        if n.products_text
        else ""
    )
    dates = []
    if n.distribution_date:
        dates.append(format_html("{} {}", labels["distributed"], date_format(n.distribution_date, "SHORT_DATE_FORMAT")))
    if n.comment_deadline:
        dates.append(format_html("{} {}", labels["deadline"], date_format(n.comment_deadline, "SHORT_DATE_FORMAT")))
    if n.hs_codes:
        dates.append(format_html("HS {}", Truncator(", ".join(str(c) for c in n.hs_codes)).chars(60)))
    return format_html(
        '<li class="result card">\n<p class="result-meta">{}</p>\n<h3><a href="{}">{}</a>{}</h3>\n{}'
        '<p class="dates muted">{}</p>\n</li>\n',
        mark_safe("\n".join(meta)),  # noqa: S308 - each part is escaped by format_html above
        url,
        title,
        followup,
        products,
        mark_safe(" · ".join(dates)),  # noqa: S308 - each part is escaped by format_html above
    )


@register.simple_tag
def notification_results(items: list[Notification], today: date) -> SafeString:
    labels: dict[str, Any] = {
        "vietnam": _("Vietnam"),
        "open": _("Open for comments"),
        "untitled": _("Notification without a title"),
        "products": _("Products:"),
        "distributed": _("Distributed"),
        "deadline": _("Final date for comments"),
    }
    return format_html_join("", "{}", ((_result(n, today, labels),) for n in items))
