"""Routes of the officials' work screens (dashboard, deadlines, annual lists, reports), included by
network/urls.py under the "network" namespace."""

from django.urls import path

from . import views_work

urlpatterns = [
    path("dashboard/", views_work.dashboard, name="dashboard"),
    path("deadlines/", views_work.deadline_list, name="deadline_list"),
    path("annual-lists/", views_work.annual_list_overview, name="annual_list_overview"),
    path("annual-lists/<int:year>/approval/", views_work.annual_list_approval, name="annual_list_approval"),
    path("annual-lists/<uuid:public_id>/", views_work.annual_list_detail, name="annual_list_detail"),
    path("annual-lists/<uuid:public_id>/items/", views_work.annual_list_item_add, name="annual_list_item_add"),
    path(
        "annual-lists/<uuid:public_id>/items/<int:item_id>/remove/",
        views_work.annual_list_item_remove,
        name="annual_list_item_remove",
    ),
    path("annual-lists/<uuid:public_id>/submit/", views_work.annual_list_submit, name="annual_list_submit"),
    path("reports/", views_work.report_list, name="report_list"),
    path("reports/<uuid:public_id>/", views_work.report_detail, name="report_detail"),
    path("reports/<uuid:public_id>/submit/", views_work.report_submit, name="report_submit"),
]
