from django.urls import path

from . import views_manage

app_name = "manage"

urlpatterns = [
    path("", views_manage.home, name="home"),
]
