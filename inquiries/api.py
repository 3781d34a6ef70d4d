"""REST API of the enquiry service, for officials (scoped by permissions.py).

GET  /api/inquiries/inquiries/                 the enquiries the official's point may see (filters: state, q)
GET  /api/inquiries/inquiries/<code>/          one enquiry (404 when not visible)
POST /api/inquiries/inquiries/<code>/contribution/   {"text": ...} file the point's contribution (403 if not asked)
GET  /api/inquiries/figures/                   counts and times to answer (national officers only)
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from network.models import User

from . import permissions as perm
from . import selectors, services
from .models import Contribution, Inquiry


class IsOfficial(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return perm.can_see_queue(request.user)


class ContributionSerializer(serializers.ModelSerializer):
    point: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Contribution
        fields = ["point", "state", "due_date", "text", "submitted_at"]


class InquirySerializer(serializers.ModelSerializer):
    lead_point: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    local_point: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    province: Any = serializers.SlugRelatedField(slug_field="gso_code", read_only=True)
    hs_codes: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    markets: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    contributions = ContributionSerializer(many=True, read_only=True)

    class Meta:
        model = Inquiry
        fields = [
            "code",
            "state",
            "subject",
            "question",
            "asker_type",
            "province",
            "language",
            "organisation",
            "hs_codes",
            "markets",
            "notification_symbol",
            "local_point",
            "handled_locally",
            "lead_point",
            "contributions",
            "answer",
            "created_at",
            "triaged_at",
            "answer_due",
            "answered_at",
            "closed_at",
        ]


class InquiryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InquirySerializer
    permission_classes = [permissions.IsAuthenticated, IsOfficial]
    lookup_field = "code"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Inquiry]:
        filters = selectors.QueueFilters(
            state=self.request.query_params.get("state", "all"), q=self.request.query_params.get("q", ""), sort="new"
        )
        return selectors.inquiry_queue(user=self.request.user, filters=filters).prefetch_related(  # type: ignore[arg-type]
            "hs_codes", "markets", "contributions__point"
        )

    def get_object(self) -> Inquiry:
        inquiry = perm.inquiries_visible_to(self.request.user).filter(code=self.kwargs["code"]).first()
        if inquiry is None:
            raise NotFound
        return inquiry

    @action(detail=True, methods=["post"])
    def contribution(self, request: Request, code: str | None = None) -> Response:
        inquiry = self.get_object()
        if not perm.can_contribute(request.user, inquiry):
            raise PermissionDenied
        data: Any = request.data
        text = str(data.get("text") or "")
        try:
            item = services.contribution_file(
                inquiry=inquiry,
                actor=cast(User, request.user),
                point=cast(User, request.user).point,  # type: ignore[arg-type]
                text=text,
            )
        except services.InquiryError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response(ContributionSerializer(item).data, status=status.HTTP_201_CREATED)


class FiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    answered = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True)
    p90_days = serializers.FloatField(allow_null=True)
    overdue = serializers.IntegerField()
    by_state = serializers.DictField(child=serializers.IntegerField())
    by_type = serializers.DictField(child=serializers.IntegerField())
    by_point = serializers.DictField(child=serializers.IntegerField())
    by_province = serializers.DictField(child=serializers.IntegerField())


@extend_schema(responses=FiguresSerializer)
@api_view(["GET"])
@permission_classes([permissions.IsAuthenticated])
def figures(request: Request) -> Response:
    if not perm.can_see_figures(request.user):
        raise NotFound
    fig = selectors.inquiry_figures()
    return Response(
        {
            "total": fig.total,
            "answered": fig.answered,
            "median_days": fig.median_days,
            "p90_days": fig.p90_days,
            "overdue": fig.overdue,
            "by_state": {value: n for value, _label, n in fig.by_state},
            "by_type": {value: n for value, _label, n in fig.by_type},
            "by_point": dict(fig.by_point),
            "by_province": dict(fig.by_province),
        }
    )


router = DefaultRouter()
router.register("inquiries", InquiryViewSet, basename="inquiry")

urlpatterns = [path("figures/", figures, name="inquiries-api-figures"), *router.urls]
