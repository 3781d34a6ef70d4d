from django.urls import path

from . import urls_work, views_public

app_name = "network"

urlpatterns = [
    path("", views_public.directory, name="directory"),
    path("points/<slug:code>/", views_public.point_detail, name="point_detail"),
    path("reference/", views_public.reference, name="reference"),
    *urls_work.urlpatterns,
]
