"""Django admin for the network's models: a back-office view for administrators with ``is_staff``.

The portal's own screens at /manage/ are where people and points are changed: they go through the
services, which keep the role/point groups in sync and write the event trail. Here the records
that have a workflow are read-only, and the few edits allowed call the same services.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services_manage
from .models import (
    AnnualList,
    AnnualListItem,
    AnnualReport,
    Deadline,
    Event,
    Holiday,
    HSCode,
    ICSCode,
    OutboxEmail,
    Point,
    Province,
    Reminder,
    User,
    WTOMember,
)


def _actor(request: HttpRequest) -> User:
    """The logged-in staff member (admin views are never reached anonymously)."""
    return cast(User, request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible, never changed here: the workflow's services own these rows."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- Reference data ---------------------------------------------------------------------------
@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["gso_code", "name_vi", "name_en", "unit_type"]
    list_filter = ["unit_type"]
    search_fields = ["gso_code", "name_vi", "name_en"]


@admin.register(HSCode)
class HSCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "description"]
    list_filter = ["level"]
    search_fields = ["code", "description"]


@admin.register(ICSCode)
class ICSCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "title"]
    list_filter = ["level"]
    search_fields = ["code", "title"]


@admin.register(WTOMember)
class WTOMemberAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_vi", "accession_date", "is_eu_state"]
    list_filter = ["is_eu_state"]
    search_fields = ["code", "iso2", "name_en", "name_vi"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Adding and deleting go through the services (event row); a wrong holiday is deleted and re-added."""

    list_display = ["date", "name_vi", "name_en"]
    date_hierarchy = "date"
    search_fields = ["name_vi", "name_en"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Holiday, form: Any, change: bool) -> None:
        created = services_manage.holiday_add(
            actor=_actor(request),
            day=obj.date,
            name_vi=obj.name_vi,
            name_en=obj.name_en,
        )
        obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Holiday) -> None:
        services_manage.holiday_delete(actor=_actor(request), holiday=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Holiday]) -> None:
        for holiday in queryset:
            services_manage.holiday_delete(actor=_actor(request), holiday=holiday)


# --- Points and people ------------------------------------------------------------------------
@admin.register(Point)
class PointAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "name_vi", "email", "phone", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name_vi", "name_en", "agency_vi", "unit_vi"]
    # Codes, levels and names are reference data (load_reference_data); the rest is editable.
    readonly_fields = ["code", "level", "name_vi", "name_en", "agency_vi", "agency_en", "province", "sort_order"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Point, form: Any, change: bool) -> None:
        changes = {
            field: form.cleaned_data[field]
            for field in form.changed_data
            if field in services_manage.POINT_EDITABLE_FIELDS
        }
        services_manage.point_update(actor=_actor(request), point=obj, changes=changes)


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Read-only apart from the superuser flag: people are managed at /manage/users/."""

    list_display = ["email", "full_name", "role", "point", "is_head", "is_active", "last_login"]
    list_filter = ["role", "point__level", "is_active", "is_staff"]
    search_fields = ["email", "full_name", "organisation"]
    ordering = ["full_name", "email"]
    fields = [
        "manage_link",
        "email",
        "full_name",
        "role",
        "point",
        "is_head",
        "organisation",
        "phone",
        "language",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "email_verified_at",
        "last_login",
        "date_joined",
    ]
    readonly_fields = [
        "manage_link",
        "email",
        "full_name",
        "role",
        "point",
        "is_head",
        "organisation",
        "phone",
        "language",
        "is_active",
        "is_staff",
        "groups",
        "email_verified_at",
        "last_login",
        "date_joined",
    ]

    @admin.display(description=_("Administration screen"))
    def manage_link(self, obj: User) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("manage:user_edit", kwargs={"pk": obj.pk}), _("Change role, point or status")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- Event trail, deadlines, outbox -----------------------------------------------------------
@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["at", "verb", "content_type", "object_repr", "from_state", "to_state", "actor", "point"]
    list_filter = ["content_type", "verb", "point__level"]
    search_fields = ["object_repr", "note", "actor__email"]
    date_hierarchy = "at"
    list_select_related = ["actor", "point", "content_type"]


class ReminderInline(ReadOnlyInline):
    model = Reminder
    fields = ["kind", "recipient", "claimed_at", "outbox"]
    readonly_fields = ["kind", "recipient", "claimed_at", "outbox"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["title_vi", "kind", "point", "due_date", "state"]
    list_filter = ["state", "kind", "point__level"]
    search_fields = ["title_vi", "title_en"]
    date_hierarchy = "due_date"
    inlines = [ReminderInline]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["deadline", "kind", "recipient", "claimed_at"]
    list_filter = ["kind"]
    search_fields = ["recipient"]


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "to", "subject", "template", "state", "attempts", "sent_at"]
    list_filter = ["state", "template", "language"]
    search_fields = ["to", "subject"]
    # The bodies carry one-time links (password setting, verification): never shown.
    exclude = ["body_text", "body_html"]
    actions = ["retry"]

    @admin.action(description=_("Send the selected failed e-mails again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxEmail]) -> None:
        done = 0
        for email in queryset.filter(state=OutboxEmail.State.FAILED):
            try:
                services_manage.outbox_email_retry(actor=_actor(request), email=email)
            except ValidationError:
                continue
            done += 1
        self.message_user(request, _("%(count)d e-mail(s) queued again.") % {"count": done}, messages.SUCCESS)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Needed for the action; the fields themselves stay read-only.
        return obj is None and request.user.has_perm("network.change_outboxemail")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in OutboxEmail._meta.fields if f.name not in self.exclude]


# --- Annual lists and reports -----------------------------------------------------------------
class AnnualListItemInline(ReadOnlyInline):
    model = AnnualListItem
    fields = ["title", "doc_type", "planned_issue_date", "responsible_unit"]
    readonly_fields = ["title", "doc_type", "planned_issue_date", "responsible_unit"]


@admin.register(AnnualList)
class AnnualListAdmin(ReadOnlyAdmin):
    list_display = ["point", "year", "state", "programme_approved_on", "due_date", "submitted_at"]
    list_filter = ["state", "year"]
    search_fields = ["point__name_vi", "point__code"]
    inlines = [AnnualListItemInline]


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ["point", "year", "kind", "due_date", "state", "submitted_at"]
    list_filter = ["kind", "state", "year"]
    search_fields = ["point__name_vi", "point__code"]
