"""The quality gate a ministry's draft measure dossier must pass before it goes to the national point.

``gate_reasons`` is a pure function of the dossier and the HS/ICS codes known to exist: it returns
the list of reasons (translated, each naming the box or field) and never touches the database.
``dossier_gate`` looks up the codes the dossier uses and calls it. An empty list means "may be sent".

What it refuses (WTO TBT notification format and TBT Committee recommendations, G/TBT/1):
- any required box left empty: the official writes "not known" rather than leaving it blank;
- HS codes not in the HS 2022 nomenclature, ICS codes not in the ICS (7th edition);
- a comment period (planned distribution date → final date for comments) shorter than
  NOTIFICATION_MIN_COMMENT_DAYS days;
- less than NOTIFICATION_MIN_ENTRY_MONTHS months between adoption (publication) and entry into force,
  unless the measure is notified as urgent (Art. 2.10.1 / 5.7.1);
- an addendum, corrigendum or revision without the symbol of the notification it follows up.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection
from datetime import date

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Notification


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the last day of a shorter month when needed)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _d(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set)):
        return not any(str(v).strip() for v in value)
    return False


def _required_boxes(n: Notification) -> list[tuple[str, object]]:
    """(label naming the box, value) of every box that must not be empty for this kind of dossier."""
    if n.followup_kind in (Notification.FollowUp.ADDENDUM, Notification.FollowUp.CORRIGENDUM):
        # An addendum or corrigendum carries only what changed (WTO addendum format).
        boxes: list[tuple[str, object]] = [
            (_("Title"), n.title),
            (_("Description of the addendum or corrigendum"), n.description),
        ]
        if n.followup_kind == Notification.FollowUp.ADDENDUM:
            boxes.append((_("Reason of the addendum"), n.addendum_reason))
        return boxes
    return [
        (_("Box 2: Agency responsible"), n.agency_responsible),
        (_("Box 3: Notified under Article"), n.articles),
        (_("Box 4: Products covered"), n.products_text),
        (_("Box 5: Title of the notified document"), n.title),
        (_("Box 5: Number of pages"), n.pages),
        (_("Box 5: Language(s)"), n.languages),
        (_("Box 6: Description of content"), n.description),
        (_("Box 7: Objectives"), n.objectives),
        (_("Box 7: Rationale"), n.rationale),
        (_("Box 8: Relevant documents"), n.relevant_documents),
        (_("Box 9: Proposed date of adoption"), n.proposed_adoption_date or n.proposed_adoption_text),
        (_("Box 9: Proposed date of entry into force"), n.entry_into_force_date or n.entry_into_force_text),
        (_("Box 10: Planned date of distribution"), n.planned_distribution_date),
        (_("Box 10: Final date for comments"), n.comment_deadline),
        (_("Box 11: Texts available from"), n.texts_available),
    ]


def is_urgent(n: Notification) -> bool:
    return bool(n.is_urgent or any(a in Notification.URGENT_ARTICLES for a in (n.articles or [])))


def gate_reasons(
    n: Notification,
    *,
    known_hs: Collection[str],
    known_ics: Collection[str],
    parent_found: bool,
    min_comment_days: int,
    min_entry_months: int,
) -> list[str]:
    """Every reason why dossier ``n`` may not be sent to the national point (empty: it may)."""
    reasons: list[str] = []
    for label, value in _required_boxes(n):
        if _empty(value):
            reasons.append(
                _("%(box)s is empty: fill it in, or write “not known” if the information is not available.")
                % {"box": label}
            )

    bad_hs = [code for code in (n.hs_codes or []) if code not in known_hs]
    if bad_hs:
        reasons.append(
            _("Box 4: these HS codes are not in the Harmonized System 2022: %(codes)s.") % {"codes": ", ".join(bad_hs)}
        )
    bad_ics = [code for code in (n.ics_codes or []) if code not in known_ics]
    if bad_ics:
        reasons.append(
            _("Box 4: these ICS codes are not in the International Classification for Standards: %(codes)s.")
            % {"codes": ", ".join(bad_ics)}
        )

    if n.planned_distribution_date and n.comment_deadline:
        period = (n.comment_deadline - n.planned_distribution_date).days
        if period < min_comment_days:
            reasons.append(
                _(
                    "Box 10: the comment period from the planned distribution (%(start)s) to the final date for "
                    "comments (%(end)s) is %(days)s days; it must be at least %(minimum)s days."
                )
                % {
                    "start": _d(n.planned_distribution_date),
                    "end": _d(n.comment_deadline),
                    "days": period,
                    "minimum": min_comment_days,
                }
            )

    if n.proposed_adoption_date and n.entry_into_force_date and not is_urgent(n):
        earliest = add_months(n.proposed_adoption_date, min_entry_months)
        if n.entry_into_force_date < earliest:
            reasons.append(
                _(
                    "Box 9: entry into force (%(entry)s) is less than %(months)s months after adoption "
                    "(%(adoption)s); allow at least until %(earliest)s, or notify the measure as urgent "
                    "under Article 2.10.1."
                )
                % {
                    "entry": _d(n.entry_into_force_date),
                    "months": min_entry_months,
                    "adoption": _d(n.proposed_adoption_date),
                    "earliest": _d(earliest),
                }
            )

    if n.followup_kind:
        kind = n.get_followup_kind_display()
        if not (n.followup_of_symbol or "").strip():
            reasons.append(
                _("Symbol followed up: a %(kind)s must give the symbol of the notification it follows up.")
                % {"kind": str(kind).lower()}
            )
        elif not parent_found:
            reasons.append(
                _("Symbol followed up: %(symbol)s is not a notification known to the portal.")
                % {"symbol": n.followup_of_symbol}
            )
    return reasons


def dossier_gate(n: Notification) -> list[str]:
    """The gate for dossier ``n``, looking up the codes it uses and the notification it follows up."""
    from network.models import HSCode, ICSCode

    hs = set(HSCode.objects.filter(code__in=list(n.hs_codes or [])).values_list("code", flat=True))
    ics = set(ICSCode.objects.filter(code__in=list(n.ics_codes or [])).values_list("code", flat=True))
    parent_found = False
    if n.followup_kind and n.followup_of_symbol:
        parent_found = Notification.objects.filter(symbol=n.followup_of_symbol.strip()).exclude(pk=n.pk).exists()
    return gate_reasons(
        n,
        known_hs=hs,
        known_ics=ics,
        parent_found=parent_found,
        min_comment_days=settings.NOTIFICATION_MIN_COMMENT_DAYS,
        min_entry_months=settings.NOTIFICATION_MIN_ENTRY_MONTHS,
    )
