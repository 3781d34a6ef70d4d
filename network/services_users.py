"""Administrators' actions on people: create, update, deactivate and reactivate users.

Every action: checks the actor is an administrator, locks the row, validates (the role/point rule
lives in ``role_point_error``), changes, saves with ``update_fields``, keeps the role and point groups
in sync (``permissions.user_groups_sync``) and writes event rows, all in one transaction. A new user
gets a welcome e-mail through the outbox with a link to set their password.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .events import event_record
from .models import Point, User
from .outbox import email_enqueue
from .permissions import user_groups_sync

log = logging.getLogger(__name__)

# The fields an administrator edits; everything else (password, last login, 2FA) is the user's own.
EDITABLE_FIELDS = ("email", "full_name", "role", "point", "is_head", "language", "organisation", "phone")


def _require_admin(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_portal_admin):
        raise PermissionDenied


def role_point_error(role: str, point: Point | None) -> str | None:
    """Why ``point`` does not fit ``role`` (None when it does).

    Officers belong to exactly one point of their role's level (a national officer to the national
    point, a ministry officer to a ministry point, a provincial officer to a provincial point);
    the other roles belong to no point.
    """
    if role not in User.Role.values:
        return _("Choose a valid role.")
    level = User.ROLE_LEVEL.get(role)  # type: ignore[call-overload]
    if level is None:
        if point is not None:
            return _("Only officers of a TBT point are attached to a point: leave the point empty for this role.")
        return None
    if point is None:
        return _("An officer must be attached to a TBT point.")
    if point.level != level:
        return _("A %(role)s must be attached to a %(level)s; %(point)s is a %(point_level)s.") % {
            "role": User.Role(role).label.lower(),
            "level": Point.Level(level).label.lower(),
            "point": point,
            "point_level": point.get_level_display().lower(),
        }
    return None


def _validate(
    *,
    user_id: int | None,
    email: str,
    role: str,
    point: Point | None,
    is_head: bool,
    language: str,
    point_changed: bool,
) -> None:
    errors: dict[str, list[str]] = {}
    if not email:
        errors.setdefault("email", []).append(_("Enter an e-mail address."))
    elif User.objects.filter(email__iexact=email).exclude(pk=user_id or 0).exists():
        errors.setdefault("email", []).append(_("A user with this e-mail address already exists."))
    problem = role_point_error(role, point)
    if problem:
        errors.setdefault("point", []).append(problem)
    elif point is not None and point_changed and not point.is_active:
        errors.setdefault("point", []).append(_("This TBT point is not active."))
    if is_head and role not in User.OFFICER_ROLES:
        errors.setdefault("is_head", []).append(_("Only an officer can be the head of a point."))
    if language not in dict(settings.LANGUAGES):
        errors.setdefault("language", []).append(_("Choose a valid language."))
    if errors:
        raise ValidationError(errors)


def _normalise_email(email: str) -> str:
    return User.objects.normalize_email((email or "").strip()).lower()


def password_set_url(user: User) -> str:
    """An absolute one-time link where ``user`` chooses a password (Django's reset-token link).

    The confirm route belongs to the accounts screens; should it be missing, fall back to the
    reset request page, then to the login page, rather than fail the whole action.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with translation.override(user.language or "vi"):
        for name, kwargs in (
            ("accounts:password_reset_confirm", {"uidb64": uid, "token": token}),
            ("accounts:password_reset", {}),
            ("accounts:login", {}),
        ):
            try:
                path = reverse(name, kwargs=kwargs)
                break
            except NoReverseMatch:
                log.warning("welcome e-mail: no route %s", name)
        else:  # pragma: no cover - the login route always exists
            path = "/"
    return f"{settings.SITE_URL}{path}"


def _welcome_enqueue(user: User) -> None:
    email_enqueue(
        to=user.email,
        template="account_welcome",
        context={
            "user": user,
            "link": password_set_url(user),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
        language=user.language,
    )


@transaction.atomic
def user_create(
    *,
    actor: User,
    email: str,
    full_name: str,
    role: str,
    point: Point | None = None,
    is_head: bool = False,
    language: str = "vi",
    organisation: str = "",
    phone: str = "",
) -> User:
    """Create a user without a password and send them a link to set one."""
    _require_admin(actor)
    email = _normalise_email(email)
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError({"full_name": [_("Enter the full name.")]})
    _validate(user_id=None, email=email, role=role, point=point, is_head=is_head, language=language, point_changed=True)
    user = User(
        email=email,
        full_name=full_name,
        role=role,
        point=point,
        is_head=is_head,
        language=language,
        organisation=organisation,
        phone=phone,
        is_staff=role == User.Role.ADMIN,
        email_verified_at=None,
    )
    user.set_unusable_password()
    user.save()
    user_groups_sync(user)
    event_record(obj=user, actor=actor, verb="created", to_state=role, note=f"point: {point.code}" if point else "")
    _welcome_enqueue(user)
    return user


def _display(field: str, value: Any) -> str:
    if field == "point":
        return value.code if value is not None else "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if value not in (None, "") else "—"


@transaction.atomic
def user_update(*, actor: User, user: User, **changes: Any) -> User:
    """Change some of ``EDITABLE_FIELDS``; one event per role or point change, one for the rest."""
    _require_admin(actor)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"user_update() does not change {sorted(unknown)}")
    locked = User.objects.select_for_update(of=("self",)).select_related("point").get(pk=user.pk)
    new = {field: changes.get(field, getattr(locked, field)) for field in EDITABLE_FIELDS}
    new["email"] = _normalise_email(new["email"])
    new["full_name"] = (new["full_name"] or "").strip()
    if not new["full_name"]:
        raise ValidationError({"full_name": [_("Enter the full name.")]})
    if new["role"] not in User.OFFICER_ROLES:
        # Leaving the officer roles takes the point and the head flag with it unless the caller
        # said otherwise (and then the rule below refuses).
        if "point" not in changes:
            new["point"] = None
        if "is_head" not in changes:
            new["is_head"] = False
    _validate(
        user_id=locked.pk,
        email=new["email"],
        role=new["role"],
        point=new["point"],
        is_head=new["is_head"],
        language=new["language"],
        point_changed=new["point"] != locked.point,
    )
    if locked.pk == actor.pk and new["role"] != User.Role.ADMIN and not locked.is_superuser:
        raise ValidationError({"role": [_("You cannot remove your own administrator role.")]})
    changed = [field for field in EDITABLE_FIELDS if getattr(locked, field) != new[field]]
    if not changed:
        return locked
    before = {field: getattr(locked, field) for field in changed}
    for field in changed:
        setattr(locked, field, new[field])
    update_fields = set(changed)
    if "role" in changed:
        locked.is_staff = locked.role == User.Role.ADMIN or locked.is_superuser
        update_fields.add("is_staff")
    locked.save(update_fields=update_fields)
    user_groups_sync(locked)

    if "role" in changed:
        event_record(obj=locked, actor=actor, verb="role_changed", from_state=before["role"], to_state=locked.role)
    if "point" in changed:
        event_record(
            obj=locked,
            actor=actor,
            verb="point_changed",
            from_state=_display("point", before["point"]),
            to_state=_display("point", locked.point),
            point=locked.point or before["point"],
        )
    rest = [field for field in changed if field not in ("role", "point")]
    if rest:
        note = "; ".join(
            f"{field}: {_display(field, before[field])} → {_display(field, getattr(locked, field))}" for field in rest
        )
        event_record(obj=locked, actor=actor, verb="updated", note=note)
    return locked


@transaction.atomic
def user_deactivate(*, actor: User, user: User, note: str = "") -> User:
    """Stop a user from logging in (their sessions end at their next request); nothing is deleted."""
    _require_admin(actor)
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if locked.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if not locked.is_active:
        raise ValidationError(_("This account is already inactive."))
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    event_record(obj=locked, actor=actor, verb="deactivated", from_state="active", to_state="inactive", note=note)
    return locked


@transaction.atomic
def user_reactivate(*, actor: User, user: User, note: str = "") -> User:
    _require_admin(actor)
    locked = User.objects.select_for_update(of=("self",)).select_related("point").get(pk=user.pk)
    if locked.is_active:
        raise ValidationError(_("This account is already active."))
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    user_groups_sync(locked)
    event_record(obj=locked, actor=actor, verb="reactivated", from_state="inactive", to_state="active", note=note)
    return locked


@transaction.atomic
def user_welcome_resend(*, actor: User, user: User) -> User:
    """Send a fresh password-set link (the first one expires after PASSWORD_RESET_TIMEOUT)."""
    _require_admin(actor)
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if not locked.is_active:
        raise ValidationError(_("This account is inactive: reactivate it first."))
    _welcome_enqueue(locked)
    event_record(obj=locked, actor=actor, verb="welcome_sent")
    return locked
