from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Enquiries")

    def ready(self) -> None:
        # The cached public form lists provinces and WTO members: a change shows on the next GET.
        from django.db.models.signals import post_delete, post_save

        from network.models import Province, WTOMember

        from .views_public import form_cache_invalidate

        for model in (Province, WTOMember):
            post_save.connect(form_cache_invalidate, sender=model, dispatch_uid=f"inquiries-form-{model.__name__}-save")
            post_delete.connect(
                form_cache_invalidate, sender=model, dispatch_uid=f"inquiries-form-{model.__name__}-delete"
            )

        # Readable verbs for the shared event timeline (templates/_timeline.html).
        from network.templatetags.network_work import VERB_LABELS

        VERB_LABELS.update(
            {
                "received": _("Received"),
                "triaged": _("Triaged"),
                "assigned": _("Assigned"),
                "reassigned": _("Assignment changed"),
                "passed_up": _("Passed up to the national point"),
                "rejected": _("Rejected"),
                "contribution_filed": _("Contribution filed"),
                "contribution_updated": _("Contribution corrected"),
                "info_requested": _("Information requested from the asker"),
                "info_received": _("Information received from the asker"),
                "answer_drafted": _("Consolidated answer drafted"),
                "draft_updated": _("Draft answer corrected"),
                "returned": _("Draft sent back to the lead point"),
                "approved": _("Answer approved"),
                "answer_sent": _("Answer sent to the asker"),
                "closed": _("Closed"),
                "withdrawn": _("Withdrawn by the asker"),
                "note_added": _("Internal note added"),
                "erasure_requested": _("Erasure of personal data requested"),
                "personal_data_erased": _("Personal data erased"),
                "faq_published": _("Published in the FAQ"),
                "faq_unpublished": _("Withdrawn from the FAQ"),
            }
        )
