"""Validation of the search parameters (the page, the exports, the feeds and the API share them)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.db import connection
from django.http import QueryDict
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from network.models import WTOMember
from network.text import printable

from .models import Notification
from .search import MAX_QUERY_LENGTH, SORT_DEADLINE, SORT_NEWEST, SORT_RELEVANCE, SearchParams, parse_query

SORT_CHOICES = [
    ("", _("Best first (relevance when searching, otherwise newest)")),
    (SORT_NEWEST, _("Newest first")),
    (SORT_DEADLINE, _("Comment deadline, soonest first")),
    (SORT_RELEVANCE, _("Relevance")),
]


class _Choices(BaseChoiceIterator):
    """Choices already in normal form: Django's normalize_choices leaves an iterator as it is, so
    the 167 members are not walked again for every form."""

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        self.choices = choices

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)

    def __getitem__(self, index: Any) -> Any:
        return self.choices[index]


_MEMBER_CHOICES: dict[tuple[Any, ...], tuple[float, list[tuple[str, str]]]] = {}
MEMBER_CHOICES_SECONDS = 600


_FINGERPRINT: dict[str, tuple[float, tuple[Any, ...]]] = {}  # per database: (valid until, fingerprint)


def _members_fingerprint() -> tuple[Any, ...]:
    """Count and last id of the WTO members (one small query; bulk loads send no signals), read at
    most once every NOTIFICATION_MEMBER_CHECK_SECONDS by each process: the busiest page does not
    ask the database on every request whether a member was added. A member saved or deleted in
    this process is seen at once (forget_members_fingerprint); elsewhere within those seconds."""
    seconds = settings.NOTIFICATION_MEMBER_CHECK_SECONDS
    now = time.monotonic()
    kept = _FINGERPRINT.get(connection.alias)
    if seconds and kept is not None and kept[0] > now:
        return kept[1]
    table = connection.ops.quote_name(WTOMember._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {table}")  # noqa: S608 - model metadata only
        fingerprint = tuple(cursor.fetchone() or ())
    _FINGERPRINT[connection.alias] = (now + seconds, fingerprint)
    return fingerprint


def forget_members_fingerprint(**_kwargs: Any) -> None:
    """A post_save/post_delete receiver of WTOMember (apps.py): the next form reads it again."""
    _FINGERPRINT.clear()


def member_choices() -> list[tuple[str, str]]:
    """The members for the select, sorted by name in the active language; kept by each process for
    ten minutes under a key that changes whenever a member is added or removed (a renamed member
    shows in the select within those ten minutes; the results show the new name at once)."""
    key = ((get_language() or "vi")[:2], connection.alias, *_members_fingerprint())
    now = time.monotonic()
    kept = _MEMBER_CHOICES.get(key)
    if kept is None or kept[0] < now:
        members = WTOMember.objects.only("code", "name_en", "name_vi")
        choices = sorted(((m.code, str(m)) for m in members), key=lambda c: c[1])
        if len(_MEMBER_CHOICES) > 32:
            _MEMBER_CHOICES.clear()
        kept = _MEMBER_CHOICES[key] = (now + MEMBER_CHOICES_SECONDS, [("", str(_("All members"))), *choices])
    return kept[1]


class FastSelect(forms.Select):
    """A select rendered in Python: the default widget renders one template per option, which is
    most of the search page's time with 167 members."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        selected = "" if value is None else str(value[0] if isinstance(value, (list, tuple)) and value else value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, mark_safe(" selected") if str(v) == selected else "", label) for v, label in self.choices),
        )
        attributes = format_html_join("", ' {}="{}"', ((k, v) for k, v in final.items() if v not in (None, False)))
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


_HS = re.compile(r"^\d[\d. ]*$")
_ICS = re.compile(r"^\d{1,2}(\.\d{1,3}){0,2}\.?$")


class NotificationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_('Symbol, title, products or keywords; accents are optional ("do choi" finds "đồ chơi").'),
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("All")), *Notification.Direction.choices],
        widget=FastSelect,
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All")), *Notification.Source.choices], widget=FastSelect
    )
    member = forms.ChoiceField(label=_("Notifying member"), required=False, widget=FastSelect)
    hs = forms.CharField(
        label=_("HS code (prefix)"), required=False, max_length=12, help_text=_("For example 8517 or 8517.13")
    )
    ics = forms.CharField(
        label=_("ICS code (prefix)"), required=False, max_length=16, help_text=_("For example 13.220")
    )
    objective = forms.ChoiceField(
        label=_("Objective"),
        required=False,
        choices=[("", _("All")), *Notification.Objective.choices],
        widget=FastSelect,
    )
    open = forms.BooleanField(label=_("Open for comments"), required=False)
    dist_from = _date_field(_("Distributed from"))
    dist_to = _date_field(_("Distributed until"))
    deadline_from = _date_field(_("Comment deadline from"))
    deadline_to = _date_field(_("Comment deadline until"))
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES, widget=FastSelect)

    def __init__(self, data: QueryDict | dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.notices: list[str] = []  # said above the results: what was done with the query
        member = self.fields["member"]
        assert isinstance(member, forms.ChoiceField)
        member.choices = _Choices(member_choices())

    def clean_q(self) -> str:
        """A longer query (only a hand-made address: the box takes MAX_QUERY_LENGTH characters) is
        cut, and the page says so, rather than refused, which would list everything."""
        q = printable(self.cleaned_data.get("q") or "").strip()
        if len(q) > MAX_QUERY_LENGTH:
            q = q[:MAX_QUERY_LENGTH]
            self.notices.append(
                _("Only the first %(count)s characters of the search were used.") % {"count": MAX_QUERY_LENGTH}
            )
        if q and parse_query(q).empty:
            self.notices.append(
                str(_("The search has no letters or digits to look for: every notification is listed."))
            )
        return q

    def clean_hs(self) -> str:
        hs = (self.cleaned_data.get("hs") or "").strip()
        if hs and not _HS.match(hs):
            raise forms.ValidationError(_("An HS code is made of digits, for example 8517 or 8517.13."))
        return hs

    def clean_ics(self) -> str:
        ics = (self.cleaned_data.get("ics") or "").strip()
        if ics and not _ICS.match(ics):
            raise forms.ValidationError(_("An ICS code is made of digits and dots, for example 13.220 or 13.220.20."))
        return ics

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for start, end in (("dist_from", "dist_to"), ("deadline_from", "deadline_to")):
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, _("This date is before the start date; it was not applied."))
        return data

    def params(self) -> SearchParams:
        """The validated parameters; call after is_valid(). Invalid fields are ignored, not fatal."""
        data = getattr(self, "cleaned_data", {}) or {}
        return SearchParams(
            q=data.get("q") or "",
            direction=data.get("direction") or "",
            source=data.get("source") or "",
            member=data.get("member") or "",
            hs=data.get("hs") or "",
            ics=data.get("ics") or "",
            objective=data.get("objective") or "",
            open=bool(data.get("open")),
            dist_from=data.get("dist_from"),
            dist_to=data.get("dist_to"),
            deadline_from=data.get("deadline_from"),
            deadline_to=data.get("deadline_to"),
            sort=data.get("sort") or "",
        )


PARAM_NAMES = tuple(NotificationSearchForm.base_fields)


def search_form(data: QueryDict) -> NotificationSearchForm:
    """A bound, validated form (its errors are shown next to the fields; valid fields still apply)."""
    form = NotificationSearchForm(data)
    form.is_valid()
    return form


def query_string(data: QueryDict, *, drop: tuple[str, ...] = ("page",)) -> str:
    """The search parameters of a request, for links to exports, feeds and other pages."""
    kept = QueryDict(mutable=True)
    for name in PARAM_NAMES:
        if name in drop:
            continue
        for value in data.getlist(name):
            if value != "":
                kept.appendlist(name, value)
    return kept.urlencode()
