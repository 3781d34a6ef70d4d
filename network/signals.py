"""Signal receivers of the network app (kept few and obvious).

- After every ``migrate``: the role groups exist, and the administrators' group holds the model
  permissions of the portal's apps (so an administrator with ``is_staff`` can use Django's admin).
- After a user is saved outside ``services_users`` (``createsuperuser``, self-registration, demo
  accounts, test fixtures): their role and point groups follow their role and point. The services
  sync explicitly too; the sync is idempotent.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from .models import User

# Apps whose model permissions the administrators' role group holds.
ADMIN_APPS = ("network", "board", "inquiries", "notifications", "alerts", "django_celery_beat")


@receiver(post_migrate, dispatch_uid="network.groups_ensure")
def groups_ensure(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    # post_migrate is sent once per app, after that app's permissions were created: grant each
    # app's permissions when its own signal comes.
    if sender.label not in ADMIN_APPS:
        return
    from django.contrib.auth.models import Permission

    from .permissions import role_groups

    groups = role_groups()
    admin_perms = Permission.objects.using(using).filter(content_type__app_label=sender.label)
    groups[User.Role.ADMIN].permissions.add(*admin_perms)


@receiver(post_save, sender=User, dispatch_uid="network.user_groups_follow")
def user_groups_follow(
    sender: type[User],
    instance: User,
    created: bool,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    if raw:
        return
    if not created and update_fields is not None and not ({"role", "point"} & set(update_fields)):
        return  # e.g. last_login: nothing that decides the groups changed
    from .permissions import user_groups_sync

    user_groups_sync(instance)
