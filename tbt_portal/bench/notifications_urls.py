"""The project's URLs plus ``/__bench/hello`` (benchmark baseline only; never in tbt_portal.urls)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from tbt_portal.urls import urlpatterns as project_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("__bench/hello", hello), *project_urlpatterns]
