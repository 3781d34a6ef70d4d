"""REST API of the notifications app."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
urlpatterns = router.urls
