"""Every access decision of the network app: one policy per model (see STYLE.md).

Rules: not allowed to read → 404 (the same answer for "missing" and "not yours");
allowed to read but not to act → 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from .models import Point, User

M = TypeVar("M", bound=models.Model)
AnyUser = User | AnonymousUser

# --- Roles, points and object permissions (the policy every app builds on) -------------------
# Each role is a Django group ("role:<role>") and each TBT point is a group ("point:<code>"). A user
# is in exactly its role group and, for officers, its point group (services_users keeps that true;
# signals cover users saved elsewhere). Objects that belong to or are routed to a point are granted
# to the point's group with guardian, so every officer of the point gets them and nobody else.
ROLE_GROUP_PREFIX = "role:"
POINT_GROUP_PREFIX = "point:"


def role_group_name(role: str) -> str:
    return f"{ROLE_GROUP_PREFIX}{role}"


def point_group_name(point: Point) -> str:
    return f"{POINT_GROUP_PREFIX}{point.code}"


def role_groups() -> dict[str, Group]:
    """One group per role, keyed by role value (created when missing)."""
    existing = {g.name: g for g in Group.objects.filter(name__startswith=ROLE_GROUP_PREFIX)}
    groups: dict[str, Group] = {}
    for role in User.Role.values:
        name = role_group_name(role)
        groups[role] = existing.get(name) or Group.objects.get_or_create(name=name)[0]
    return groups


def role_group(role: str) -> Group:
    if role not in User.Role.values:
        raise ValueError(f"Unknown role {role!r}")
    return Group.objects.get_or_create(name=role_group_name(role))[0]


def point_group(point: Point) -> Group:
    return Group.objects.get_or_create(name=point_group_name(point))[0]


def user_groups_sync(user: User) -> None:
    """Put ``user`` in exactly its role group and (officers only) its point group.

    Groups outside the two prefixes are left alone: they are not this policy's business.
    """
    wanted = {role_group(user.role)}
    if user.is_officer and user.point_id is not None:
        wanted.add(point_group(user.point))  # type: ignore[arg-type]
    current = set(user.groups.filter(Q(name__startswith=ROLE_GROUP_PREFIX) | Q(name__startswith=POINT_GROUP_PREFIX)))
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def user_point(user: AnyUser) -> Point | None:
    """The point an active officer works for; None for everyone else."""
    if not _active(user) or not getattr(user, "is_officer", False):
        return None
    return user.point  # type: ignore[union-attr]


def is_official(user: AnyUser) -> bool:
    """Officers of a point, the Board and administrators: the people who work in the portal."""
    return _active(user) and bool(
        getattr(user, "is_officer", False)
        or getattr(user, "is_board", False)
        or getattr(user, "is_portal_admin", False)
    )


def point_scope(user: AnyUser) -> QuerySet[Point]:
    """The points whose own objects ``user`` may see.

    Administrators and national point officers see every point (the national point coordinates the
    network, Đ6.1); a ministry or provincial officer sees their own point; everyone else none.
    Objects *routed* to another point are granted per object with ``assign_point_object``.
    """
    if not _active(user):
        return Point.objects.none()
    if getattr(user, "is_portal_admin", False) or getattr(user, "is_national_officer", False):
        return Point.objects.all()
    point = user_point(user)
    if point is None:
        return Point.objects.none()
    return Point.objects.filter(pk=point.pk)


def _codename(perm: str) -> str:
    return perm.split(".", 1)[1] if "." in perm else perm


def assign_point_object(obj: models.Model, point: Point, perms: Iterable[str]) -> None:
    """Grant ``perms`` (e.g. "view_annuallist", "network.change_annuallist") on ``obj`` to every
    officer of ``point``, present and future (the grant is to the point's group)."""
    group = point_group(point)
    for perm in perms:
        assign_perm(_codename(perm), group, obj)


def revoke_point_object(obj: models.Model, point: Point, perms: Iterable[str]) -> None:
    group = point_group(point)
    for perm in perms:
        remove_perm(_codename(perm), group, obj)


def point_has_perm(user: AnyUser, perm: str, obj: models.Model) -> bool:
    """Has ``user`` been granted ``perm`` on ``obj`` (through their point's group or directly)?

    Inactive and anonymous users never have; superusers always have (guardian's rule).
    """
    if not _active(user):
        return False
    return ObjectPermissionChecker(cast(User, user)).has_perm(perm, obj)


def point_objects(user: AnyUser, perm: str, queryset: QuerySet[M]) -> QuerySet[M]:
    """The objects of ``queryset`` on which ``user`` holds the object permission ``perm``.

    Object permissions are not applied to lists by themselves (see STYLE.md): scope lists here.
    """
    if not _active(user):
        return queryset.none()
    return get_objects_for_user(user, perm, klass=queryset, accept_global_perms=False)


def require_official(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Officials only (officers, Board, administrators): anonymous → login, anyone else → 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_official(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def require_admin(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Administrators only; everyone else who is logged in gets 404 (the screen is not theirs)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_active and getattr(user, "is_portal_admin", False)):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def deny() -> None:
    raise PermissionDenied


# --- annual lists, reports and deadlines ------------------------------------------------------
# Annual lists (Đ6.2.a) belong to a ministry point, annual reports (Đ15.7, Đ16.4, Đ17.6) to the
# point that writes them. Read: the owning point's officers, national officers (who compile and
# monitor, Đ6.1) and administrators; nobody else (404). Act: only officers of the owning point
# (a national officer or an administrator reading someone else's object gets 403).
from .models import AnnualList, AnnualListItem, AnnualReport, Deadline  # noqa: E402


def _sees_network(user: AnyUser) -> bool:
    return _active(user) and bool(
        getattr(user, "is_national_officer", False) or getattr(user, "is_portal_admin", False)
    )


def annual_lists_visible(user: AnyUser) -> QuerySet[AnnualList]:
    """The annual lists ``user`` may read."""
    if _sees_network(user):
        return AnnualList.objects.all()
    point = user_point(user)
    if point is None or point.level != Point.Level.MINISTRY:
        return AnnualList.objects.none()
    return AnnualList.objects.filter(point=point)


def annual_list_may_edit(user: AnyUser, annual_list: AnnualList) -> bool:
    """Only officers of the list's own ministry point record the approval date, edit and submit."""
    point = user_point(user)
    return (
        point is not None
        and point.level == Point.Level.MINISTRY
        and getattr(user, "role", None) == User.Role.MINISTRY_OFFICER
        and annual_list.point_id == point.pk
    )


def annual_list_access(user: AnyUser, public_id: Any, action: str = "view") -> AnnualList:
    """Fetch and check: 404 when ``user`` may not read the list, 403 when they may read but not edit."""
    if action not in ("view", "edit"):
        raise ValueError(f"Unknown action {action!r}")
    annual_list = annual_lists_visible(user).select_related("point", "submitted_by").filter(public_id=public_id).first()
    if annual_list is None:
        raise Http404
    if action == "edit" and not annual_list_may_edit(user, annual_list):
        raise PermissionDenied
    return annual_list


def annual_list_item_access(user: AnyUser, public_id: Any, item_id: int) -> AnnualListItem:
    """An item of a list ``user`` may edit (404/403 as for the list; 404 for an item of another list)."""
    annual_list = annual_list_access(user, public_id, action="edit")
    item = AnnualListItem.objects.filter(annual_list=annual_list, pk=item_id).select_related("annual_list").first()
    if item is None:
        raise Http404
    return item


def annual_list_own_point(user: AnyUser) -> Point:
    """The ministry point whose list ``user`` may start by year (recording the approval date).

    Ministry officers: their point. National officers and administrators read every list but do
    not act for a ministry: 403. Everyone else: 404."""
    point = user_point(user)
    is_ministry_officer = getattr(user, "role", None) == User.Role.MINISTRY_OFFICER
    if point is not None and is_ministry_officer and point.level == Point.Level.MINISTRY:
        return point
    if _sees_network(user):
        raise PermissionDenied
    raise Http404


def annual_reports_visible(user: AnyUser) -> QuerySet[AnnualReport]:
    """The annual reports ``user`` may read: all for national officers and administrators, the own
    point's for ministry and provincial officers, none for anyone else."""
    if _sees_network(user):
        return AnnualReport.objects.all()
    point = user_point(user)
    if point is None:
        return AnnualReport.objects.none()
    return AnnualReport.objects.filter(point=point)


def annual_report_may_submit(user: AnyUser, report: AnnualReport) -> bool:
    """Officers of the report's own point (the national point's officers for the report to the
    Prime Minister)."""
    point = user_point(user)
    return point is not None and report.point_id == point.pk


def annual_report_access(user: AnyUser, public_id: Any, action: str = "view") -> AnnualReport:
    if action not in ("view", "submit"):
        raise ValueError(f"Unknown action {action!r}")
    report = annual_reports_visible(user).select_related("point").filter(public_id=public_id).first()
    if report is None:
        raise Http404
    if action == "submit" and not annual_report_may_submit(user, report):
        raise PermissionDenied
    return report


def deadlines_visible(user: AnyUser) -> QuerySet[Deadline]:
    """Deadlines ``user`` may see: every one for national officers and administrators, the own
    point's for other officers, and those assigned to them personally for anyone else."""
    if _sees_network(user):
        return Deadline.objects.all()
    if not _active(user):
        return Deadline.objects.none()
    point = user_point(user)
    if point is not None:
        return Deadline.objects.filter(Q(point=point) | Q(person_id=user.pk))
    return Deadline.objects.filter(person_id=user.pk)


def work_screens_allowed(user: AnyUser) -> bool:
    """The officials' work screens (dashboard, deadlines): officers, the Board, administrators."""
    return is_official(user)
