"""The search page's filter form and result items, rendered in Python.

The list page is the portal's busiest public page; rendering its twenty items through template
nodes (a translation, a date format and a URL reversal per line) was most of its time, and the
filter form's thirteen fields through Django's widget templates most of the rest. The markup and
the msgids are those the template had, so the page and its catalogue entries are unchanged.
"""

from __future__ import annotations

import unicodedata
from collections import OrderedDict
from datetime import date
from typing import Any
from uuid import UUID

from django import forms, template
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..models import Notification

register = template.Library()


def _chars(text: str, num: int) -> str:
    """``Truncator(text).chars(num)``, without its per-character loop for the text that fits."""
    text = unicodedata.normalize("NFC", text)
    return text if len(text) <= num else Truncator(text).chars(num)


_URL_PLACEHOLDER = UUID(int=0)


def _date(value: date, labels: dict[str, Any]) -> str:
    """The short date, escaped; formatted once per date and page (many items share dates)."""
    done: dict[date, str] = labels["dates"]
    if value not in done:
        done[value] = escape(dateformat.format(value, labels["date"]))
    return done[value]


def _result(n: Notification, today: date, labels: dict[str, Any]) -> str:
    meta = [f'<span class="badge">{escape(labels["sources"].get(n.source, n.source))}</span>']
    if n.direction == Notification.Direction.OUT:
        meta.append(f'<span class="badge done">{labels["vietnam"]}</span>')
    if n.comment_deadline and n.comment_deadline >= today:
        meta.append(f'<span class="badge open">{labels["open"]}</span>')
    meta.append(f'<span class="symbol">{escape(n.symbol or n.external_id)}</span>')
    if n.member_id:
        meta.append(f"· {escape(n.member)}")
    title = escape(_chars(n.display_title() or labels["untitled_raw"], 220))
    followup = (
        f' <span class="muted">({escape(labels["followups"].get(n.followup_kind, n.followup_kind))})</span>'
        if n.followup_kind
        else ""
    )
    url = labels["url"].replace(str(_URL_PLACEHOLDER), str(n.public_id))
    products = (
        f'<p class="products">{labels["products"]} {escape(_chars(n.products_text, 200))}</p>'
        if n.products_text
        else ""
    )
    dates = []
    if n.distribution_date:
        dates.append(f"{labels['distributed']} {_date(n.distribution_date, labels)}")
    if n.comment_deadline:
        dates.append(f"{labels['deadline']} {_date(n.comment_deadline, labels)}")
    if n.hs_codes:
        dates.append(f"HS {escape(_chars(', '.join(str(c) for c in n.hs_codes), 60))}")
    return (
        '<li class="result card">\n<p class="result-meta">'
        + "\n".join(meta)
        + f'</p>\n<h3><a href="{escape(url)}">{title}</a>{followup}</h3>\n{products}'
        + '<p class="dates muted">'
        + " · ".join(dates)
        + "</p>\n</li>\n"
    )


@register.simple_tag
def notification_results(items: list[Notification], today: date) -> SafeString:
    # Per page, not per item: the labels (escaped once), the display names of the choices, the
    # date format and the detail URL (reversed once, the public id put in per item).
    labels: dict[str, Any] = {
        "vietnam": escape(_("Vietnam")),
        "open": escape(_("Open for comments")),
        "untitled_raw": _("Notification without a title"),
        "products": escape(_("Products:")),
        "distributed": escape(_("Distributed")),
        "deadline": escape(_("Final date for comments")),
        "sources": {value: str(label) for value, label in Notification.Source.choices},
        "followups": {value: str(label) for value, label in Notification.FollowUp.choices},
        "date": get_format("SHORT_DATE_FORMAT"),
        "dates": {},
        "url": reverse("notifications:detail", kwargs={"public_id": _URL_PLACEHOLDER}),
    }
    return mark_safe("".join(_result(n, today, labels) for n in items))  # noqa: S308 - every value escaped above


# --- the filter form ---------------------------------------------------------------------------
_FILTERS_CACHE: OrderedDict[tuple[Any, ...], str] = OrderedDict()
_FILTERS_CACHE_SIZE = 256


def _filters_html(form: forms.Form) -> str:
    parts = []
    for field in form:
        if field.name == "q":
            continue
        classes = "field" + (" field-error" if field.errors else "") + (" checkbox" if field.name == "open" else "")
        inner = f"{field} {field.label_tag()}" if field.name == "open" else f"{field.label_tag()}{field}"
        help_text = f'<span class="helptext">{escape(field.help_text)}</span>' if field.help_text else ""
        parts.append(
            f'\n      <div class="{classes}">\n        {inner}\n        {help_text}\n        {field.errors}\n      </div>\n      '
        )
    return "".join(parts)


@register.simple_tag
def search_filters(form: forms.Form) -> SafeString:
    """The filter fields (every field but the query). A form without errors renders the same for
    the same language, values and members to choose from: that HTML is kept (per process, the most
    recent few hundred), so the common pages (the list, a search without filters) skip rendering
    thirteen widgets. A new or removed member changes the choices and so the key."""
    if form.errors:
        return mark_safe(_filters_html(form))  # noqa: S308 - built from Django's escaped widgets and labels
    data = form.data
    values = tuple(
        (name, tuple(data.getlist(name)) if hasattr(data, "getlist") else data.get(name)) for name in form.fields
    )
    member = form.fields.get("member")
    key = (get_language(), values, tuple(getattr(member, "choices", ())))
    html = _FILTERS_CACHE.get(key)
    if html is None:
        html = _filters_html(form)
        _FILTERS_CACHE[key] = html
        if len(_FILTERS_CACHE) > _FILTERS_CACHE_SIZE:
            _FILTERS_CACHE.popitem(last=False)
    else:
        _FILTERS_CACHE.move_to_end(key)
    return mark_safe(html)  # noqa: S308 - built from Django's escaped widgets and labels
