"""Template helpers of the Board app, also for other apps' pages:

{% load board_tags %}
{% board_conclusions obj as escalations %}      the Board's escalations and conclusions about obj
{% board_escalate_url obj as url %}             the link to escalate obj to the Board ('' if none)
{% include "board/_conclusions.html" with obj=obj %}   both, ready-made
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import AgendaItem, Escalation, Invitation, PdfState, vote_carries
from ..selectors import board_conclusions_for, escalation_url_for, escalations_for

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.simple_tag
def board_conclusions(obj: models.Model | None) -> list[Any]:
    if obj is None or not isinstance(obj, models.Model):
        return []
    return board_conclusions_for(obj)


@register.simple_tag(takes_context=True)
def board_escalate_url(context: dict[str, Any], obj: models.Model | None) -> str:
    """The escalation link, only for a user who may escalate."""
    from ..permissions import can_escalate

    request = context.get("request")
    if obj is None or request is None or not can_escalate(request.user):
        return ""
    if escalations_for(obj).filter(state__in=Escalation.PENDING).exists():
        return ""
    return escalation_url_for(obj)


@register.simple_tag
def majority_needed(present: int) -> int:
    """Votes needed to carry with ``present`` members present (more than half, Đ11.2)."""
    return present // 2 + 1 if present > 0 else 0


@register.simple_tag
def carries(votes_for: int, present: int) -> bool:
    return vote_carries(votes_for=votes_for, present=present)


EVENT_LABELS = {
    "board_nominated": _("Nomination recorded"),
    "board_appointed": _("Appointed by decision"),
    "board_replaced": _("Replaced"),
    "board_nomination_withdrawn": _("Nomination withdrawn"),
    "board_contact_updated": _("Contact details corrected"),
    "board_escalated": _("Escalated to the Board"),
    "board_escalation_withdrawn": _("Escalation withdrawn"),
    "board_escalation_scheduled": _("Put on a meeting agenda"),
    "board_escalation_open": _("Back to the issues awaiting the Board"),
    "board_escalation_concluded": _("Concluded by the Board"),
    "board_meeting_scheduled": _("Meeting scheduled"),
    "board_meeting_changed": _("Meeting changed"),
    "board_item_added": _("Agenda item added"),
    "board_item_removed": _("Agenda item removed"),
    "board_paper_added": _("Paper added"),
    "board_meeting_convened": _("Invitations and papers sent"),
    "board_invited": _("Member invited"),
    "board_invitation_replied": _("Reply to the invitation"),
    "board_point_consulted": _("Ministry TBT point consulted"),
    "board_attendance_recorded": _("Attendance recorded"),
    "board_item_decided": _("Outcome recorded"),
    "board_reservation_recorded": _("Reservation recorded"),
    "board_reservation_changed": _("Reservation changed"),
    "board_minutes_closed": _("Minutes closed"),
    "board_minutes_ready": _("Minutes PDF ready"),
    "board_minutes_ready_failed": _("Minutes PDF failed"),
    "board_minutes_requeued": _("Minutes PDF requested again"),
    "board_meeting_cancelled": _("Meeting cancelled"),
    "board_recommendation_drafted": _("Recommendation drafted"),
    "board_recommendation_changed": _("Recommendation changed"),
    "board_recommendation_issued": _("Recommendation issued"),
    "board_recommendation_pdf_ready": _("Letter PDF ready"),
    "board_recommendation_pdf_ready_failed": _("Letter PDF failed"),
    "board_recommendation_requeued": _("Letter PDF requested again"),
    "board_workplan_drafted": _("Work plan drafted"),
    "board_workplan_task_added": _("Task added"),
    "board_workplan_adopted": _("Work plan adopted"),
    "board_workplan_task_done": _("Task done"),
    "board_scheduled": _("Put on the Board's agenda"),
    "board_concluded": _("Concluded by the Board"),
    "board_deferred": _("Deferred by the Board"),
}


@register.filter
def event_label(verb: str) -> str:
    return str(EVENT_LABELS.get(verb, verb))


# States that some of the Board's events carry for another kind of thing than the event's object: an
# item's outcome or a member's reply recorded on the meeting, the state of a PDF.
_VERB_STATES: dict[str, Any] = {
    "board_item_decided": AgendaItem.Outcome,
    "board_invitation_replied": Invitation.Reply,
    "board_minutes_ready": PdfState,
    "board_minutes_ready_failed": PdfState,
    "board_minutes_requeued": PdfState,
    "board_recommendation_pdf_ready": PdfState,
    "board_recommendation_pdf_ready_failed": PdfState,
    "board_recommendation_requeued": PdfState,
}


@register.filter
def event_state_label(event: Any, value: str) -> str:
    """The label of state ``value`` in an event of the Board's timeline."""
    if not value:
        return ""
    choices = _VERB_STATES.get(event.verb)
    if choices is None:
        model = event.content_type.model_class() if event.content_type_id else None
        choices = getattr(model, "State", None)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return value
