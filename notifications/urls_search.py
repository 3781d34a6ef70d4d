"""Search, exports and feeds routes."""

urlpatterns: list = []
