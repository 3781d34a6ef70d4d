"""Readable labels of the notifications workflow's event verbs, for the shared timeline."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

VERBS = {
    "dossier_created": _("Dossier created"),
    "dossier_edited": _("Dossier edited"),
    "dossier_submitted": _("Sent to the national TBT point"),
    "dossier_returned": _("Returned to the ministry with remarks"),
    "dossier_accepted": _("Accepted for notification"),
    "dossier_notified": _("Notified to the WTO"),
    "form_generated": _("Notification form produced"),
    "document_added": _("Document added"),
    "comment_received": _("Comment received"),
    "comment_routed": _("Comment sent to the ministry point"),
    "comment_reply_drafted": _("Reply drafted"),
    "comment_reply_returned": _("Draft reply returned with remarks"),
    "comment_replied": _("Reply sent"),
    "triaged": _("Triaged by the national TBT point"),
    "forwarded": _("Forwarded to more ministry points"),
    "impact_requested": _("Impact note requested"),
    "impact_submitted": _("Impact note submitted"),
    "analysed": _("Analysis complete"),
    "vietnamese_edited": _("Vietnamese title and summary edited"),
    "vietnamese_verified": _("Vietnamese title and summary verified"),
    "business_input_received": _("Business input received"),
    "national_comment_drafted": _("Viet Nam's comment drafted"),
    "national_comment_sent": _("Viet Nam's comment sent"),
    "partner_replied": _("Partner's reply recorded"),
    "notification_imported": _("Imported"),
    "notification_import_updated": _("Updated by an import"),
    "import_requested": _("Import requested"),
    "import_started": _("Import started"),
    "import_finished": _("Import finished"),
}


def register() -> None:
    from network.templatetags.network_work import VERB_LABELS

    for verb, label in VERBS.items():
        VERB_LABELS.setdefault(verb, label)
