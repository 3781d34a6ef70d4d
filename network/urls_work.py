"""Routes of the officials' work screens (dashboard, annual lists, reports), included by network/urls.py."""

from django.urls import path

from . import views_work

urlpatterns = [
    path("dashboard/", views_work.dashboard, name="dashboard"),
    path("annual-lists/<uuid:public_id>/", views_work.annual_list_detail, name="annual_list_detail"),
]
