from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from network.models import WTOMember

        from .models import Notification
        from .search import search_cache_invalidate
        from .verbs import register

        register()  # labels of the workflow's event verbs for the shared timeline
        # Any saved or deleted notification discards the cached search results.
        post_save.connect(search_cache_invalidate, sender=Notification, dispatch_uid="notif-search-cache-save")
        post_delete.connect(search_cache_invalidate, sender=Notification, dispatch_uid="notif-search-cache-delete")
        # Results show the members' names.
        post_save.connect(search_cache_invalidate, sender=WTOMember, dispatch_uid="notif-search-cache-member-save")
        post_delete.connect(search_cache_invalidate, sender=WTOMember, dispatch_uid="notif-search-cache-member-delete")
