"""REST API of the inquiries app."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
urlpatterns = router.urls
