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
  unless the measure is notified as urgent (Art. 2.10.1 / 5.7.1); when the date of adoption is not
  known, from the final date for comments (the measure cannot be adopted before comments close);
- a box written in Vietnamese: the notification form goes to the WTO as it is, in English;
- an addendum, corrigendum or revision without the symbol of the notification it follows up, or
  following up anything but a notification of Viet Nam filed by the same point (an addendum or a
  revision follows the notification or one of its revisions; a corrigendum may also correct an
  addendum; nothing follows a corrigendum).
"""

from __future__ import annotations

import calendar
import unicodedata
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


# Marks found in Vietnamese letters and in none of the WTO's working languages (English, French,
# Spanish): breve (ă), horn (ơ, ư), hook above (ả), dot below (ạ), tilde over a vowel (ã, ẽ …; the
# Spanish ñ is not a vowel), two marks on one letter (ế, ồ); and đ, which has no decomposition.
_VIETNAMESE_MARKS = frozenset("\u0306\u031b\u0309\u0323")
_VOWELS = frozenset("aeiouyAEIOUY")


def looks_vietnamese(text: str) -> bool:
    """True when ``text`` has a letter only Vietnamese writes (ầ, ơ, ạ, đ …); French and Spanish
    accents (é, è, ê, à, ç, ñ …) are not counted."""
    if "đ" in text or "Đ" in text:
        return True
    decomposed = unicodedata.normalize("NFD", text)
    for i, char in enumerate(decomposed):
        if char in _VIETNAMESE_MARKS:
            return True
        if char == "\u0303" and i and decomposed[i - 1] in _VOWELS:
            return True
        if i and unicodedata.combining(char) and unicodedata.combining(decomposed[i - 1]):
            return True  # two marks on one letter (ế, ồ, ẫ …)
    return False


def _english_boxes(n: Notification) -> list[tuple[str, str]]:
    """(label, text) of the boxes printed on the notification form sent to the WTO."""
    return [
        (_("Title"), n.title),
        (_("Box 1: Local government involved, if any"), n.local_government),
        (_("Box 2: Agency responsible"), n.agency_responsible),
        (_("Box 2: Body handling comments, if different"), n.comment_body),
        (_("Box 4: Products covered"), n.products_text),
        (_("Box 5: Number of pages"), n.pages),
        (_("Box 5: Language(s)"), n.languages),
        (_("Box 6: Description of content"), n.description),
        (_("Box 7: Rationale"), n.rationale),
        (_("Box 8: Relevant documents"), n.relevant_documents),
        (_("Box 9: Proposed date of adoption, in words"), n.proposed_adoption_text),
        (_("Box 9: Proposed date of entry into force, in words"), n.entry_into_force_text),
        (_("Box 11: Texts available from"), n.texts_available),
    ]


def parent_reason(n: Notification, parent: Notification | None) -> str | None:
    """Why follow-up ``n`` may not follow ``parent`` (the notification of its symbol), or None."""
    symbol = (n.followup_of_symbol or "").strip()
    if parent is None:
        return _("Symbol followed up: %(symbol)s is not a notification known to the portal.") % {"symbol": symbol}
    if parent.direction != Notification.Direction.OUT or parent.state != Notification.State.NOTIFIED:
        return _(
            "Symbol followed up: %(symbol)s is not a notification of Viet Nam to the WTO; a follow-up here "
            "continues one of Viet Nam's own notifications."
        ) % {"symbol": symbol}
    if parent.point_id != n.point_id:
        return _(
            "Symbol followed up: %(symbol)s was notified for another TBT point; its follow-ups are filed by that point."
        ) % {"symbol": symbol}
    kinds = Notification.FollowUp
    if parent.followup_kind == kinds.CORRIGENDUM or (
        parent.followup_kind == kinds.ADDENDUM and n.followup_kind != kinds.CORRIGENDUM
    ):
        return _(
            "Symbol followed up: %(symbol)s is itself an addendum or corrigendum. An addendum or revision follows "
            "the notification or one of its revisions; only a corrigendum may correct an addendum."
        ) % {"symbol": symbol}
    return None


def is_urgent(n: Notification) -> bool:
    return bool(n.is_urgent or any(a in Notification.URGENT_ARTICLES for a in (n.articles or [])))


def gate_reasons(
    n: Notification,
    *,
    known_hs: Collection[str],
    known_ics: Collection[str],
    parent: Notification | None,
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

    start = n.proposed_adoption_date or n.comment_deadline
    if start and n.entry_into_force_date and not is_urgent(n):
        earliest = add_months(start, min_entry_months)
        if n.entry_into_force_date < earliest and n.proposed_adoption_date:
            reasons.append(
                _(
                    "Box 9: entry into force (%(entry)s) is less than %(months)s months after adoption "
                    "(%(adoption)s); allow at least until %(earliest)s, or notify the measure as urgent "
                    "under Article 2.10.1."
                )
                % {
                    "entry": _d(n.entry_into_force_date),
                    "months": min_entry_months,
                    "adoption": _d(start),
                    "earliest": _d(earliest),
                }
            )
        elif n.entry_into_force_date < earliest:
            reasons.append(
                _(
                    "Box 9: entry into force (%(entry)s) is less than %(months)s months after the final date for "
                    "comments (%(deadline)s), before which the measure cannot be adopted; allow at least until "
                    "%(earliest)s, or notify the measure as urgent under Article 2.10.1."
                )
                % {
                    "entry": _d(n.entry_into_force_date),
                    "months": min_entry_months,
                    "deadline": _d(start),
                    "earliest": _d(earliest),
                }
            )

    vietnamese = [label for label, text in _english_boxes(n) if text and looks_vietnamese(text)]
    if vietnamese:
        reasons.append(
            _(
                "These boxes are written in Vietnamese: %(boxes)s. The notification form goes to the WTO as it is, "
                "in English; write them in English (names and addresses without Vietnamese accents)."
            )
            % {"boxes": "; ".join(str(label) for label in vietnamese)}
        )

    if n.followup_kind:
        kind = n.get_followup_kind_display()
        if not (n.followup_of_symbol or "").strip():
            reasons.append(
                _("Symbol followed up: a %(kind)s must give the symbol of the notification it follows up.")
                % {"kind": str(kind).lower()}
            )
        else:
            refusal = parent_reason(n, parent)
            if refusal:
                reasons.append(refusal)
    return reasons


def followup_parent(n: Notification) -> Notification | None:
    """The notification whose symbol follow-up ``n`` gives (None if none, or not a follow-up)."""
    symbol = (n.followup_of_symbol or "").strip()
    if not (n.followup_kind and symbol):
        return None
    return Notification.objects.filter(symbol=symbol).exclude(pk=n.pk).first()


def dossier_gate(n: Notification) -> list[str]:
    """The gate for dossier ``n``, looking up the codes it uses and the notification it follows up."""
    from network.models import HSCode, ICSCode

    hs = set(HSCode.objects.filter(code__in=list(n.hs_codes or [])).values_list("code", flat=True))
    ics = set(ICSCode.objects.filter(code__in=list(n.ics_codes or [])).values_list("code", flat=True))
    return gate_reasons(
        n,
        known_hs=hs,
        known_ics=ics,
        parent=followup_parent(n),
        min_comment_days=settings.NOTIFICATION_MIN_COMMENT_DAYS,
        min_entry_months=settings.NOTIFICATION_MIN_ENTRY_MONTHS,
    )
