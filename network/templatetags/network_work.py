"""Template helpers of the work screens and of the shared timeline include (templates/_timeline.html).

Other apps make their own verbs readable by adding to ``VERB_LABELS`` (e.g. in their AppConfig.ready):

    from network.templatetags.network_work import VERB_LABELS
    VERB_LABELS.update({"answered": gettext_lazy("Answer sent")})

States are labelled from the ``State`` choices of the event's model, so they need nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

register = template.Library()

VERB_LABELS: dict[str, Any] = {
    "created": _("Created"),
    "approval_recorded": _("Approval of the law-making programme recorded"),
    "approval_date_corrected": _("Approval date corrected"),
    "item_added": _("Document added"),
    "item_removed": _("Document removed"),
    "submitted": _("Submitted"),
    "submitted_no_documents": _("Submitted: no TBT-related documents this year"),
    "report_opened": _("Report opened"),
    "deadline_opened": _("Deadline set"),
    "deadline_moved": _("Deadline moved"),
    "deadline_done": _("Duty completed"),
    "deadline_overdue": _("Deadline passed"),
    "deadline_escalated": _("Escalated to the national TBT point"),
}


@register.filter
def event_verb(verb: str) -> str:
    label = VERB_LABELS.get(verb)
    return str(label) if label is not None else verb.replace("_", " ").capitalize()


@register.filter
def event_state(event: Any, value: str) -> str:
    """The label of state ``value`` of the event's object (raw value when its model has no State)."""
    if not value:
        return ""
    model = event.content_type.model_class() if event.content_type_id else None
    choices = getattr(model, "State", None)
    if choices is not None and hasattr(choices, "choices"):
        return str(dict(choices.choices).get(value, value))
    return value


@register.filter
def localpath(path: str) -> str:
    """A stored (Vietnamese, unprefixed) path in the active language."""
    if not path:
        return ""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language[:2] == settings.LANGUAGE_CODE:
        return path
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(path, language[:2])


@register.simple_tag
def days_left(due: date, today: date) -> str:
    """ "in 3 days", "today", "2 days late"."""
    delta = (due - today).days
    if delta == 0:
        return str(_("due today"))
    if delta > 0:
        return ngettext("in %(n)s day", "in %(n)s days", delta) % {"n": delta}
    return ngettext("%(n)s day late", "%(n)s days late", -delta) % {"n": -delta}
