from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("points/<slug:code>/", views.point_detail, name="point_detail"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reference/", views.reference, name="reference"),
    path("annual-lists/<uuid:public_id>/", views.annual_list_detail, name="annual_list_detail"),
]
