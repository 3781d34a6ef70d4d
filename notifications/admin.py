"""Django admin for notifications: read-mostly (state changes go through the portal's screens and
services, so that every change leaves an event row)."""

from __future__ import annotations

from django.contrib import admin

from .models import BusinessInput, ImpactNote, ImportRun, Notification, NotificationComment, NotificationDocument


class DocumentInline(admin.TabularInline):
    model = NotificationDocument
    extra = 0
    fields = ("kind", "title", "language", "file", "link", "uploaded_at")
    readonly_fields = ("uploaded_at",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "symbol",
        "external_id",
        "direction",
        "source",
        "member",
        "state",
        "distribution_date",
        "comment_deadline",
    )
    list_filter = ("direction", "source", "state")
    search_fields = ("symbol", "external_id", "title", "title_vi")
    raw_id_fields = ("parent", "member", "point", "created_by", "vi_verified_by", "triaged_by")
    readonly_fields = (
        "public_id",
        "state",
        "search_text",
        "created_at",
        "updated_at",
        "submitted_at",
        "notified_at",
        "vi_verified_by",
        "vi_verified_at",
        "triaged_by",
        "triaged_at",
    )
    inlines = [DocumentInline]
    show_full_result_count = False


@admin.register(NotificationComment)
class NotificationCommentAdmin(admin.ModelAdmin):
    list_display = ("notification", "direction", "kind", "member", "state", "received_on")
    list_filter = ("direction", "kind", "state")
    raw_id_fields = ("notification", "member", "point", "created_by")
    readonly_fields = ("public_id", "state")


@admin.register(BusinessInput)
class BusinessInputAdmin(admin.ModelAdmin):
    list_display = ("notification", "organisation", "name", "email", "created_at")
    raw_id_fields = ("notification", "user", "used_in")
    readonly_fields = ("public_id", "consent_version", "consent_at")


@admin.register(ImpactNote)
class ImpactNoteAdmin(admin.ModelAdmin):
    list_display = ("notification", "point", "state", "impact", "submitted_at")
    list_filter = ("state", "impact", "point")
    raw_id_fields = ("notification", "written_by", "requested_by")
    readonly_fields = ("public_id", "state")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("created_at", "format", "state", "total", "created", "updated", "unchanged")
    readonly_fields = [f.name for f in ImportRun._meta.fields]
