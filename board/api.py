"""REST API of the Board app.

GET  /api/board/members/                     the Board today (public): seats, names, agencies, roles
GET  /api/board/meetings/                    meetings visible to the member (members only; others 403/404)
GET  /api/board/meetings/<public_id>/        one meeting with its agenda and outcomes
GET  /api/board/escalations/                 issues escalated to the Board (national officers, members)
POST /api/board/escalations/                 {"type": "app.model", "id": public id, "summary", "question"}
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from . import permissions as perm
from . import services
from .models import AgendaItem, Escalation, Meeting, Membership, Reservation
from .selectors import active_memberships, escalation_target, meetings_for


class MemberSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    agency: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_name_vi = serializers.SerializerMethodField()
    agency_name_en = serializers.SerializerMethodField()
    organisation = serializers.CharField(read_only=True)

    class Meta:
        model = Membership
        fields = [
            "role",
            "role_display",
            "agency",
            "agency_name_vi",
            "agency_name_en",
            "organisation",
            "full_name",
            "position_vi",
            "position_en",
            "term_start",
            "term_end",
            "decision_number",
            "decision_date",
        ]

    def get_agency_name_vi(self, obj: Membership) -> str:
        return obj.agency.name_vi if obj.agency else obj.organisation_vi

    def get_agency_name_en(self, obj: Membership) -> str:
        return obj.agency.name_en if obj.agency else obj.organisation_en


class MembersViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The Board's composition is public (Đ15.2 decisions are published)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = MemberSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Membership]:
        return active_memberships()


class IsBoardMember(permissions.BasePermission):
    """Anonymous → 403; logged in but not a member in office → 404 (not theirs)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if not perm.is_member(request.user):
            raise exceptions.NotFound
        return True


class ReservationSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="membership.full_name", read_only=True)
    seat = serializers.CharField(source="membership.seat_label", read_only=True)

    class Meta:
        model = Reservation
        fields = ["member", "seat", "opinion", "explanation"]


class ItemSerializer(serializers.ModelSerializer):
    reservations = ReservationSerializer(many=True, read_only=True)
    escalation: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="public_id", read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "public_id",
            "position",
            "kind",
            "title",
            "description",
            "escalation",
            "outcome",
            "conclusion",
            "present_count",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "reservations",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "public_id",
            "kind",
            "title",
            "starts_at",
            "place",
            "state",
            "minutes_number",
            "minutes_state",
            "items",
        ]


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsBoardMember]
    serializer_class = MeetingSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Meeting]:
        membership = perm.active_membership(self.request.user)
        if membership is None:
            return Meeting.objects.none()
        return meetings_for(membership).prefetch_related("items__reservations__membership__agency", "items__escalation")


class CanReadEscalations(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if not perm.can_read_escalations(request.user):
            raise exceptions.NotFound
        return request.method in permissions.SAFE_METHODS or perm.can_escalate(request.user)


class EscalationSerializer(serializers.ModelSerializer):
    raised_by = serializers.CharField(source="raised_by.full_name", read_only=True, default="")
    type = serializers.CharField(write_only=True)
    id = serializers.CharField(write_only=True)

    class Meta:
        model = Escalation
        fields = [
            "public_id",
            "object_repr",
            "object_url",
            "summary",
            "question",
            "state",
            "raised_by",
            "raised_at",
            "concluded_at",
            "type",
            "id",
        ]
        read_only_fields = ["public_id", "object_repr", "object_url", "state", "raised_by", "raised_at", "concluded_at"]


class EscalationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [CanReadEscalations]
    serializer_class = EscalationSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Escalation]:
        return Escalation.objects.select_related("raised_by").order_by("-raised_at", "-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = escalation_target(data["type"], data["id"])
        if target is None:
            raise exceptions.NotFound
        try:
            escalation = services.board_escalate(
                actor=request.user,  # type: ignore[arg-type]  # IsAuthenticated
                obj=target,
                summary=data["summary"],  # type: ignore[arg-type]
                question=data["question"],
            )
        except services.ValidationError as exc:
            raise exceptions.ValidationError({"detail": exc.messages}) from None
        return Response(self.get_serializer(escalation).data, status=status.HTTP_201_CREATED)


router = DefaultRouter()
router.register("members", MembersViewSet, basename="board-members")
router.register("meetings", MeetingViewSet, basename="board-meetings")
router.register("escalations", EscalationViewSet, basename="board-escalations")
urlpatterns = router.urls
