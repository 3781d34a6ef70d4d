"""Routes of the administration screens (/manage/, namespace "manage")."""

from django.urls import path

from . import views_manage

app_name = "manage"

urlpatterns = [
    path("", views_manage.home, name="home"),
    path("users/", views_manage.user_list, name="user_list"),
    path("users/new/", views_manage.user_create, name="user_create"),
    path("users/<int:pk>/", views_manage.user_edit, name="user_edit"),
    path("users/<int:pk>/deactivate/", views_manage.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views_manage.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/welcome/", views_manage.user_welcome, name="user_welcome"),
    path("points/", views_manage.point_list, name="point_list"),
    path("points/<slug:code>/", views_manage.point_edit, name="point_edit"),
    path("holidays/", views_manage.holiday_list, name="holiday_list"),
    path("holidays/<int:pk>/delete/", views_manage.holiday_delete, name="holiday_delete"),
    path("events/", views_manage.event_list, name="event_list"),
    path("outbox/", views_manage.outbox_list, name="outbox_list"),
    path("outbox/<int:pk>/retry/", views_manage.outbox_retry, name="outbox_retry"),
]
