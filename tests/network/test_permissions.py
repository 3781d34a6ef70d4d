"""The permission policy every app builds on: role and point groups, point scope, guardian grants."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from network import permissions
from network.models import AnnualList, Point, User
from network.permissions import (
    assign_point_object,
    point_group,
    point_has_perm,
    point_objects,
    point_scope,
    require_official,
    revoke_point_object,
    role_groups,
    user_groups_sync,
    user_point,
)
from network.services_users import user_update

pytestmark = pytest.mark.django_db


def _group_names(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_role_groups_one_per_role_and_idempotent():
    first = role_groups()
    second = role_groups()
    assert set(first) == set(User.Role.values)
    assert {g.name for g in first.values()} == {f"role:{role}" for role in User.Role.values}
    assert {g.pk for g in first.values()} == {g.pk for g in second.values()}
    assert Group.objects.filter(name__startswith="role:").count() == len(User.Role.values)


def test_admin_role_group_holds_the_portal_model_permissions():
    admin_group = role_groups()[User.Role.ADMIN]
    codenames = set(admin_group.permissions.values_list("codename", flat=True))
    assert {"change_point", "view_event", "view_outboxemail", "add_holiday"} <= codenames
    # The other roles get no model-wide permission: their access is decided per object.
    assert not role_groups()[User.Role.MINISTRY_OFFICER].permissions.exists()


def test_cast_users_are_in_their_role_and_point_groups(cast):
    assert _group_names(cast["ministry"]) == {"role:ministry_officer", "point:bo-cong-thuong"}
    assert _group_names(cast["national"]) == {"role:national_officer", "point:national"}
    assert _group_names(cast["provincial"]) == {"role:provincial_officer", "point:tinh-01"}
    assert _group_names(cast["board_member"]) == {"role:board_member"}
    assert _group_names(cast["business"]) == {"role:business"}
    assert _group_names(cast["admin"]) == {"role:admin"}


def test_sync_follows_role_and_point_changes_and_keeps_other_groups(ministry_officer, admin_user):
    other = Group.objects.create(name="newsletter editors")
    ministry_officer.groups.add(other)
    moved = user_update(actor=admin_user, user=ministry_officer, point=Point.objects.get(code="bo-y-te"))
    assert _group_names(moved) == {"role:ministry_officer", "point:bo-y-te", "newsletter editors"}
    demoted = user_update(actor=admin_user, user=moved, role=User.Role.BUSINESS)
    assert demoted.point is None
    assert _group_names(demoted) == {"role:business", "newsletter editors"}


def test_sync_repairs_stray_membership(ministry_officer):
    ministry_officer.groups.add(point_group(Point.objects.get(code="national")), role_groups()[User.Role.ADMIN])
    user_groups_sync(ministry_officer)
    assert _group_names(ministry_officer) == {"role:ministry_officer", "point:bo-cong-thuong"}


def test_user_point(cast):
    assert user_point(cast["ministry"]).code == "bo-cong-thuong"
    assert user_point(cast["national"]).code == "national"
    assert user_point(cast["board_member"]) is None
    assert user_point(cast["admin"]) is None
    assert user_point(AnonymousUser()) is None
    cast["provincial"].is_active = False
    assert user_point(cast["provincial"]) is None


def test_point_scope(cast):
    every = Point.objects.count()
    assert point_scope(cast["admin"]).count() == every
    assert point_scope(cast["national"]).count() == every
    assert list(point_scope(cast["ministry"]).values_list("code", flat=True)) == ["bo-cong-thuong"]
    assert list(point_scope(cast["provincial"]).values_list("code", flat=True)) == ["tinh-01"]
    for name in ("board_member", "board_secretary", "business"):
        assert not point_scope(cast[name]).exists()
    assert not point_scope(AnonymousUser()).exists()


@pytest.fixture
def moit_list(reference) -> AnnualList:
    return AnnualList.objects.create(point=Point.objects.get(code="bo-cong-thuong"), year=2031)


def test_point_grant_reaches_every_officer_of_the_point_and_nobody_else(cast, moit_list, national_clerk):
    moit = Point.objects.get(code="bo-cong-thuong")
    colleague = User.objects.create_user(
        email="second.moit@example.vn", full_name="Ngô Văn Hải", role=User.Role.MINISTRY_OFFICER, point=moit
    )
    assign_point_object(moit_list, moit, ["view_annuallist", "network.change_annuallist"])

    for user in (cast["ministry"], colleague):
        assert point_has_perm(user, "view_annuallist", moit_list)
        assert point_has_perm(user, "network.change_annuallist", moit_list)
        assert not point_has_perm(user, "delete_annuallist", moit_list)
    for name in ("other_ministry", "national", "provincial", "board_member", "business", "admin"):
        assert not point_has_perm(cast[name], "view_annuallist", moit_list), name
    assert not point_has_perm(AnonymousUser(), "view_annuallist", moit_list)


def test_point_grant_follows_the_officer_when_they_move(ministry_officer, admin_user, moit_list):
    assign_point_object(moit_list, moit_list.point, ["view_annuallist"])
    assert point_has_perm(ministry_officer, "view_annuallist", moit_list)
    moved = user_update(actor=admin_user, user=ministry_officer, point=Point.objects.get(code="bo-y-te"))
    assert not point_has_perm(moved, "view_annuallist", moit_list)


def test_inactive_officer_loses_the_grant(ministry_officer, moit_list):
    assign_point_object(moit_list, moit_list.point, ["view_annuallist"])
    ministry_officer.is_active = False
    assert not point_has_perm(ministry_officer, "view_annuallist", moit_list)


def test_routing_to_a_second_point_and_revoking(cast, moit_list):
    moh = Point.objects.get(code="bo-y-te")
    assign_point_object(moit_list, moh, ["view_annuallist"])
    assert point_has_perm(cast["other_ministry"], "view_annuallist", moit_list)
    revoke_point_object(moit_list, moh, ["view_annuallist"])
    assert not point_has_perm(cast["other_ministry"], "view_annuallist", moit_list)


def test_point_objects_scopes_a_list(cast, moit_list):
    other = AnnualList.objects.create(point=Point.objects.get(code="bo-y-te"), year=2031)
    assign_point_object(moit_list, moit_list.point, ["view_annuallist"])
    assign_point_object(other, other.point, ["view_annuallist"])
    assert list(point_objects(cast["ministry"], "network.view_annuallist", AnnualList.objects.all())) == [moit_list]
    assert list(point_objects(cast["other_ministry"], "view_annuallist", AnnualList.objects.all())) == [other]
    assert not point_objects(cast["business"], "view_annuallist", AnnualList.objects.all()).exists()
    assert not point_objects(AnonymousUser(), "view_annuallist", AnnualList.objects.all()).exists()


def _official_view(request):
    return HttpResponse("ok")


def test_require_official(cast):
    view = require_official(_official_view)
    factory = RequestFactory()
    for name in ("national", "ministry", "provincial", "board_member", "board_secretary", "admin"):
        request = factory.get("/x/")
        request.user = cast[name]
        assert view(request).status_code == 200, name
    request = factory.get("/x/")
    request.user = cast["business"]
    with pytest.raises(Http404):
        view(request)
    request = factory.get("/x/")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_is_official(cast):
    assert permissions.is_official(cast["board_secretary"])
    assert not permissions.is_official(cast["business"])
    assert not permissions.is_official(AnonymousUser())
