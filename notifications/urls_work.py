"""Workflow routes (detail page, dossiers, triage, comments, business input)."""

urlpatterns: list = []
