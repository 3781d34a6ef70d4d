from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from network.models import WTOMember

        from .forms_search import forget_members_fingerprint
        from .models import Notification
        from .search import search_cache_invalidate
        from .verbs import register

        register()  # labels of the workflow's event verbs for the shared timeline
        # Any saved or deleted notification, or member (results show their names), discards the
        # cached searches.
        for model in (Notification, WTOMember):
            uid = f"notif-search-cache-{model.__name__}"
            post_save.connect(search_cache_invalidate, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(search_cache_invalidate, sender=model, dispatch_uid=f"{uid}-delete")
        # The search form's list of members is rebuilt when a member is added or removed.
        post_save.connect(forget_members_fingerprint, sender=WTOMember, dispatch_uid="notif-members-save")
        post_delete.connect(forget_members_fingerprint, sender=WTOMember, dispatch_uid="notif-members-delete")
