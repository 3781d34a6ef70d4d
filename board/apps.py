from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    name = "board"
    verbose_name = _("Board")

    def ready(self) -> None:
        # The Board writes events on other apps' objects too (escalated, scheduled, concluded): the
        # shared timeline (templates/_timeline.html) reads their labels from VERB_LABELS.
        from network.templatetags.network_work import VERB_LABELS

        from .templatetags.board_tags import EVENT_LABELS

        for verb, label in EVENT_LABELS.items():
            VERB_LABELS.setdefault(verb, label)
