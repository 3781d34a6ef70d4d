"""Routes of the notifications app. Search/exports/feeds (views_search.py) and the workflow
screens (views_work.py) are owned by different people; each module exports `urlpatterns`."""

from . import urls_search, urls_work

app_name = "notifications"

urlpatterns = [*urls_search.urlpatterns, *urls_work.urlpatterns]
