"""Django admin for the enquiry service: read-mostly (state changes go through the portal's services)."""

from django.contrib import admin

from .models import Contribution, FAQEntry, Inquiry, SubmissionBlock


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    fields = ("point", "state", "due_date", "submitted_by", "submitted_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ("code", "subject", "state", "asker_type", "lead_point", "created_at", "answer_due")
    list_filter = ("state", "asker_type", "lead_point")
    search_fields = ("code", "subject", "email", "organisation")
    date_hierarchy = "created_at"
    inlines = [ContributionInline]
    readonly_fields = [f.name for f in Inquiry._meta.fields]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SubmissionBlock)
class SubmissionBlockAdmin(admin.ModelAdmin):
    list_display = ("at", "reason", "path", "ip_hash")
    list_filter = ("reason",)
    readonly_fields = ("at", "reason", "path", "ip_hash", "email_hash", "user_agent")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(FAQEntry)
class FAQEntryAdmin(admin.ModelAdmin):
    list_display = ("question_vi", "is_published", "published_at")
    list_filter = ("is_published",)
    search_fields = ("question_vi", "question_en")
    readonly_fields = ("inquiry", "published_by", "published_at")
