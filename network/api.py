"""REST API of the network app (read-only): the public directory of points and provinces, and the
reference tables for officials, the Board and administrators (HS type-ahead: ``hs-codes/?q=8517``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from .models import HSCode, ICSCode, Point, Province, WTOMember
from .reference import (
    hs_display,
    hs_search,
    ics_search,
    points_search,
    provinces_search,
    reference_may_browse,
    wto_members_search,
)


class CanBrowseReference(permissions.BasePermission):
    """Anonymous → 403 (not authenticated); logged in but not allowed to read (businesses) → 404."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if not reference_may_browse(request.user):
            raise exceptions.NotFound
        return True


class ReferencePagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() and len(value) < 3 else None


# --- Serializers ------------------------------------------------------------------------------
class PointSerializer(serializers.ModelSerializer[Point]):
    name = serializers.SerializerMethodField()
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    province: serializers.SlugRelatedField[Province] = serializers.SlugRelatedField(
        slug_field="gso_code", read_only=True
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Point
        fields = [
            "code", "level", "level_display", "name", "name_vi", "name_en", "agency_vi", "agency_en", "unit_vi",
            "unit_en", "province", "address", "phone", "email", "website", "duties_vi", "duties_en", "url",
        ]  # fmt: skip

    def get_name(self, obj: Point) -> str:
        return obj.tr("name")


class PointListSerializer(PointSerializer):
    """The list leaves out the duties (the same long text for every point of a level)."""

    class Meta(PointSerializer.Meta):
        fields = [f for f in PointSerializer.Meta.fields if not f.startswith("duties")]


class ProvinceSerializer(serializers.ModelSerializer[Province]):
    point = serializers.SerializerMethodField()

    class Meta:
        model = Province
        fields = ["gso_code", "name_vi", "name_en", "full_name_vi", "full_name_en", "unit_type", "point"]

    def get_point(self, obj: Province) -> str | None:
        point = getattr(obj, "point", None)
        return point.code if point else None


class HSCodeSerializer(serializers.ModelSerializer[HSCode]):
    display = serializers.SerializerMethodField()

    class Meta:
        model = HSCode
        fields = ["code", "display", "description", "level", "parent", "section"]

    def get_display(self, obj: HSCode) -> str:
        return hs_display(obj.code)


class ICSCodeSerializer(serializers.ModelSerializer[ICSCode]):
    class Meta:
        model = ICSCode
        fields = ["code", "level", "parent", "title", "title_full", "notes"]


class WTOMemberSerializer(serializers.ModelSerializer[WTOMember]):
    name = serializers.SerializerMethodField()

    class Meta:
        model = WTOMember
        fields = ["code", "iso2", "iso_numeric", "name", "name_en", "name_vi", "accession_date", "is_eu_state"]

    def get_name(self, obj: WTOMember) -> str:
        return obj.tr("name")


# --- Viewsets ---------------------------------------------------------------------------------
class PointViewSet(viewsets.ReadOnlyModelViewSet[Point]):
    """The public directory of TBT points. ``?q=`` (diacritics optional), ``?level=national|ministry|provincial``."""

    permission_classes = [permissions.AllowAny]
    serializer_class = PointSerializer
    lookup_field = "code"
    queryset = Point.objects.filter(is_active=True)

    def get_queryset(self) -> QuerySet[Point]:
        params = self.request.query_params
        return points_search(params.get("q", ""), level=params.get("level", ""))

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Point]]:
        return PointListSerializer if self.action == "list" else PointSerializer


class ProvinceViewSet(viewsets.ReadOnlyModelViewSet[Province]):
    """Vietnam's 34 provinces and centrally-run cities. ``?q=`` (diacritics optional)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = ProvinceSerializer
    lookup_field = "gso_code"
    queryset = Province.objects.all()

    def get_queryset(self) -> QuerySet[Province]:
        return provinces_search(self.request.query_params.get("q", ""))


class _ReferenceViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    permission_classes = [CanBrowseReference]
    pagination_class = ReferencePagination
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"


class HSCodeViewSet(_ReferenceViewSet):
    """HS 2022. ``?q=`` code prefix ("8517", "8517.13") and/or words; ``?level=2|4|6``; ``?parent=``."""

    serializer_class = HSCodeSerializer
    queryset = HSCode.objects.all()

    def get_queryset(self) -> QuerySet[HSCode]:
        params = self.request.query_params
        return hs_search(params.get("q", ""), level=_int_param(self.request, "level"), parent=params.get("parent", ""))


class ICSCodeViewSet(_ReferenceViewSet):
    """ICS, 7th edition. ``?q=`` code prefix ("13.040") and/or words; ``?level=1|2|3``; ``?parent=``."""

    serializer_class = ICSCodeSerializer
    queryset = ICSCode.objects.all()

    def get_queryset(self) -> QuerySet[ICSCode]:
        params = self.request.query_params
        return ics_search(params.get("q", ""), level=_int_param(self.request, "level"), parent=params.get("parent", ""))


class WTOMemberViewSet(_ReferenceViewSet):
    """The WTO's members (and the EU). ``?q=`` name (English or Vietnamese, diacritics optional) or code."""

    serializer_class = WTOMemberSerializer
    queryset = WTOMember.objects.all()

    def get_queryset(self) -> QuerySet[WTOMember]:
        return wto_members_search(self.request.query_params.get("q", ""))


router = DefaultRouter()
router.register("points", PointViewSet, basename="point")
router.register("provinces", ProvinceViewSet, basename="province")
router.register("hs-codes", HSCodeViewSet, basename="hs-code")
router.register("ics-codes", ICSCodeViewSet, basename="ics-code")
router.register("wto-members", WTOMemberViewSet, basename="wto-member")
urlpatterns = router.urls
