"""REST API of the notifications app (mounted at /api/notifications/): a read-only list and detail
of public notifications with the search page's parameters (``?q=…&member=…&open=1…``).

Counts follow the page's rule: exact up to NOTIFICATION_SEARCH_COUNT_CAP, then ``count`` is the
cap and ``count_is_capped`` is true; the work per request is bounded (no unbounded count or rank).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from network.models import WTOMember

from .forms_search import NotificationSearchForm
from .models import Notification
from .search import public_notifications, search_page

MAX_PAGE_SIZE = 100


class NotifyingMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = WTOMember
        fields = ["code", "name_en", "name_vi"]


class NotificationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    member = NotifyingMemberSerializer(read_only=True)
    parent_symbol = serializers.CharField(source="parent.symbol", read_only=True, default=None)

    class Meta:
        model = Notification
        fields = [
            "id",
            "url",
            "api_url",
            "symbol",
            "source",
            "external_id",
            "direction",
            "member",
            "title",
            "title_vi",
            "summary_vi",
            "description",
            "products_text",
            "hs_codes",
            "ics_codes",
            "objectives",
            "keywords",
            "distribution_date",
            "comment_deadline",
            "entry_into_force_date",
            "document_link",
            "followup_kind",
            "followup_number",
            "parent_symbol",
        ]

    def get_url(self, obj: Notification) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(obj.get_absolute_url()) if request else obj.get_absolute_url()

    def get_api_url(self, obj: Notification) -> str:
        return reverse(
            "notifications-api-detail", kwargs={"public_id": obj.public_id}, request=self.context.get("request")
        )


def _int(value: Any, default: int, *, minimum: int, maximum: int) -> int:
    try:
        return max(minimum, min(maximum, int(value)))
    except (TypeError, ValueError):
        return default


SEARCH_PARAMETERS = [
    OpenApiParameter(name, str, description=str(field.label))
    for name, field in NotificationSearchForm.base_fields.items()
] + [OpenApiParameter("page", int), OpenApiParameter("page_size", int, description=f"at most {MAX_PAGE_SIZE}")]


@extend_schema(parameters=SEARCH_PARAMETERS, responses=NotificationSerializer(many=True))
@api_view(["GET"])
@permission_classes([AllowAny])
def notification_list(request: Request) -> Response:
    form = NotificationSearchForm(request.query_params)
    if not form.is_valid():
        return Response({"errors": form.errors}, status=400)
    page_size = _int(
        request.query_params.get("page_size"), settings.NOTIFICATION_SEARCH_PAGE_SIZE, minimum=1, maximum=MAX_PAGE_SIZE
    )
    page = search_page(form.params(), _int(request.query_params.get("page"), 1, minimum=1, maximum=10**6), page_size)

    def link(number: int) -> str:
        params = request.query_params.copy()
        params["page"] = str(number)
        return request.build_absolute_uri(request.path) + "?" + params.urlencode()

    return Response(
        {
            "count": page.count,
            "count_is_capped": page.more,
            "page": page.number,
            "num_pages": page.num_pages,
            "sort": page.sort,
            "notices": form.notices,  # what was done with the query (cut to 200 characters …)
            "next": link(page.number + 1) if page.has_next else None,
            "previous": link(page.number - 1) if page.has_previous else None,
            "results": NotificationSerializer(page.items, many=True, context={"request": request}).data,
        }
    )


@extend_schema(responses=NotificationSerializer)
@api_view(["GET"])
@permission_classes([AllowAny])
def notification_detail(request: Request, public_id: Any) -> Response:
    n = public_notifications().select_related("member", "parent").filter(public_id=public_id).first()
    if n is None:
        raise Http404
    return Response(NotificationSerializer(n, context={"request": request}).data)


urlpatterns = [
    path("", notification_list, name="notifications-api-list"),
    path("<uuid:public_id>/", notification_detail, name="notifications-api-detail"),
]
