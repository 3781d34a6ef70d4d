from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from . import views

handler400 = "tbt_portal.views.error_400"
handler403 = "tbt_portal.views.error_403"
handler404 = "tbt_portal.views.error_404"
handler500 = "tbt_portal.views.error_500"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("tbt_portal.api_urls")),
    # Django's back office for staff administrators; the portal's own screens are at /manage/.
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/", include("network.urls_accounts")),
    path("network/", include("network.urls")),
    path("manage/", include("network.urls_manage")),
    path("inquiries/", include("inquiries.urls")),
    path("notifications/", include("notifications.urls")),
    path("board/", include("board.urls")),
    path("alerts/", include("alerts.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    prefix_default_language=False,
)

# Uploaded files are never served as static files, not even in debug mode: every download goes
# through a view that checks who may read it.
