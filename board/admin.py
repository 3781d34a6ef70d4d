"""Django admin for the Board: read-mostly. Membership is managed through the portal's own screens
(/board/manage/), whose services keep the seat invariants and the event trail; here the state
fields are read-only so that nobody bypasses them."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    AgendaItem,
    BoardAgency,
    Escalation,
    Invitation,
    Meeting,
    Membership,
    Paper,
    Recommendation,
    Reservation,
    WorkPlan,
    WorkPlanItem,
)


@admin.register(BoardAgency)
class BoardAgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en", "kind", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["code", "name_vi", "name_en"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["full_name", "role", "agency", "state", "term_start", "ended_on", "decision_number"]
    list_filter = ["state", "role", "agency"]
    search_fields = ["full_name", "email", "decision_number"]
    readonly_fields = [
        "public_id",
        "role",
        "agency",
        "state",
        "decision_number",
        "decision_date",
        "term_start",
        "term_end",
        "ended_on",
        "predecessor",
        "nominated_by",
        "created_at",
    ]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["position", "kind", "title", "outcome", "present_count", "votes_for", "votes_against", "votes_abstain"]
    readonly_fields = [
        "position",
        "kind",
        "title",
        "outcome",
        "present_count",
        "votes_for",
        "votes_against",
        "votes_abstain",
    ]
    extra = 0
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "starts_at", "state", "minutes_number", "minutes_state"]
    list_filter = ["kind", "state", "year"]
    search_fields = ["title"]
    inlines = [AgendaItemInline]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["object_repr", "state", "raised_by", "raised_at"]
    list_filter = ["state"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["subject", "recipient", "state", "number", "pdf_state"]
    list_filter = ["state"]


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyAdmin):
    list_display = ["membership", "item", "recorded_at"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["membership", "meeting", "reply", "attendance"]


@admin.register(Paper)
class PaperAdmin(ReadOnlyAdmin):
    list_display = ["title", "meeting", "uploaded_at"]


class WorkPlanItemInline(admin.TabularInline):
    model = WorkPlanItem
    fields = ["title", "lead", "due_date", "state", "done_on"]
    readonly_fields = ["title", "lead", "due_date", "state", "done_on"]
    extra = 0
    can_delete = False


@admin.register(WorkPlan)
class WorkPlanAdmin(ReadOnlyAdmin):
    list_display = ["year", "state", "adopted_on"]
    inlines = [WorkPlanItemInline]
