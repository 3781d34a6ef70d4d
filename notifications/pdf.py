"""The notification form as a PDF in the WTO layout (English, numbered boxes 1–11, as circulated by
the WTO Secretariat under Article 10.6 of the TBT Agreement). Rendered with WeasyPrint by a task
after the national point notifies; the document row is unique per notification, so a second run
of the task does nothing."""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from network.events import event_record
from network.models import HSCode, ICSCode

from .models import Notification, NotificationDocument
from .selectors import hs_display

log = logging.getLogger(__name__)


def wto_date(day: date | None) -> str:
    """ "27 May 2024", the WTO's date style (English month names whatever the locale)."""
    if day is None:
        return ""
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    return f"{day.day} {months[day.month - 1]} {day.year}"


_NATIONAL_ENQUIRY_POINT = re.compile(r"national\s+(tbt\s+)?enquiry\s+point", re.IGNORECASE)


def addendum_checklist(n: Notification) -> list[tuple[str, bool, str]]:
    """The WTO addendum format's list ("This addendum concerns a:"), as (item, ticked, detail). The
    dossier's reason ticks its items; "adopted, published or entered into force" ticks what the
    addendum's own dates say (adopted when no date is given), and the text of the final measure when
    the addendum says where it is available."""
    reason = n.addendum_reason
    R = Notification.AddendumReason
    adopted = reason == R.ADOPTED
    adoption = wto_date(n.proposed_adoption_date) or n.proposed_adoption_text
    entry = wto_date(n.entry_into_force_date) or n.entry_into_force_text
    final_text = (n.texts_available or "").strip() or n.document_link
    deadline = wto_date(n.comment_deadline)
    return [
        (
            "Modification of final date for comments",
            reason == R.COMMENT_PERIOD,
            deadline if reason == R.COMMENT_PERIOD else "",
        ),
        ("Notified measure adopted", adopted and (bool(adoption) or not entry), adoption if adopted else ""),
        ("Notified measure published", False, ""),
        ("Notified measure enters into force", adopted and bool(entry), entry if adopted else ""),
        ("Text of final measure available from", adopted and bool(final_text), final_text if adopted else ""),
        ("Notified measure withdrawn or revoked", reason == R.WITHDRAWN, ""),
        ("Notified measure modified in content and/or scope", reason == R.CONTENT, ""),
        (
            "Interpretive guidance issued and text available from",
            reason == R.GUIDANCE,
            final_text if reason == R.GUIDANCE else "",
        ),
        ("Other", reason == R.OTHER, ""),
    ]


def form_context(n: Notification) -> dict[str, Any]:
    hs = dict(HSCode.objects.filter(code__in=list(n.hs_codes or [])).values_list("code", "description"))
    ics = dict(ICSCode.objects.filter(code__in=list(n.ics_codes or [])).values_list("code", "title"))
    objectives = dict(Notification.Objective.choices)
    with translation.override("en"):
        objective_labels = [str(objectives.get(o, o)) for o in (n.objectives or [])]
        reason = n.get_addendum_reason_display() if n.addendum_reason else ""
    articles = list(n.articles or [])
    return {
        "n": n,
        "distribution": wto_date(n.distribution_date),
        "adoption": wto_date(n.proposed_adoption_date) or n.proposed_adoption_text,
        "entry_into_force": wto_date(n.entry_into_force_date) or n.entry_into_force_text,
        "comment_deadline": wto_date(n.comment_deadline),
        "hs": [(hs_display(c), hs.get(c, "")) for c in (n.hs_codes or [])],
        "ics": [(c, ics.get(c, "")) for c in (n.ics_codes or [])],
        "objectives": objective_labels,
        "article_boxes": [(a, a in articles) for a in ("2.9.2", "2.10.1", "5.6.2", "5.7.1", "3.2", "7.2")],
        "article_other": "other" in articles,
        "addendum_checklist": addendum_checklist(n) if n.followup_kind == Notification.FollowUp.ADDENDUM else [],
        # A new final date for comments belongs to an addendum that changes it (or the content).
        "followup_deadline": n.addendum_reason
        in (Notification.AddendumReason.COMMENT_PERIOD, Notification.AddendumReason.CONTENT),
        "national_enquiry_point": not (n.texts_available or "").strip()
        or bool(_NATIONAL_ENQUIRY_POINT.search(n.texts_available)),
        "reason": reason,
        "is_followup": n.followup_kind in (Notification.FollowUp.ADDENDUM, Notification.FollowUp.CORRIGENDUM),
        "followup_label": {"add": "Addendum", "corr": "Corrigendum", "rev": "Revision"}.get(n.followup_kind, ""),
    }


def form_pdf_bytes(n: Notification) -> bytes:
    from weasyprint import HTML

    with translation.override("en"):
        html = render_to_string("notifications/pdf/form.html", form_context(n))
    return HTML(string=html).write_pdf()


def notification_form_generate(*, notification_id: int) -> NotificationDocument | None:
    """Produce the form PDF of a notified notification once; None when there is nothing to do."""
    n = (
        Notification.objects.select_related("member", "point", "parent")
        .filter(pk=notification_id, state=Notification.State.NOTIFIED)
        .first()
    )
    if n is None or not n.symbol:
        return None
    if n.documents.filter(kind=NotificationDocument.Kind.FORM).exists():
        return None
    content = form_pdf_bytes(n)
    filename = n.symbol.replace("/", "_").replace(".", "") + ".pdf"
    doc = NotificationDocument(
        notification=n,
        kind=NotificationDocument.Kind.FORM,
        language="en",
        title=f"{n.symbol} — notification form",
        original_name=filename,
    )
    doc.file.save(filename, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            doc.save()
            event_record(
                obj=n,
                actor=None,
                verb="form_generated",
                from_state=n.state,
                to_state=n.state,
                note=filename,
                point=n.point,
            )
    except IntegrityError:
        # A concurrent run stored it first: drop our copy of the file.
        doc.file.delete(save=False)
        return None
    return doc
