"""Search, exports and feeds routes; the administrators' import screens."""

from django.urls import path

from . import views_search as v

urlpatterns = [
    path("", v.search, name="search"),
    path("export.csv", v.export_csv, name="export_csv"),
    path("export.xlsx", v.export_xlsx, name="export_xlsx"),
    path("feed.atom", v.feed_atom, name="feed_atom"),
    path("deadlines.ics", v.feed_ical, name="feed_ical"),
    path("import/", v.import_upload, name="import_upload"),
    path("import/<uuid:public_id>/", v.import_run, name="import_run"),
]
