"""The REST API root: each app adds its router here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("network/", include("network.api")),
    path("inquiries/", include("inquiries.api")),
    path("notifications/", include("notifications.api")),
    path("board/", include("board.api")),
    path("alerts/", include("alerts.api")),
]
