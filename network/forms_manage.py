"""Forms of the administration screens (validation only; the services decide and write)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .forms import DATE_INPUT_FORMATS, DateInput
from .models import Holiday, OutboxEmail, Point, User
from .selectors_manage import event_object_types, event_verbs
from .services_users import role_point_error
from .templatetags.network_work import event_verb

DATE_INPUTS = DATE_INPUT_FORMATS  # dd/mm/yyyy, or ISO


def point_choices(*, include: Point | None = None, blank: str = "", active_only: bool = True) -> list[Any]:
    """Points grouped by level (national, ministries, provinces) for a <select>."""
    points = Point.objects.filter(is_active=True) if active_only else Point.objects.all()
    if include is not None:
        points = points | Point.objects.filter(pk=include.pk)
    grouped: dict[str, list[tuple[str, str]]] = {level: [] for level in Point.Level.values}
    for point in points.order_by("sort_order", "code"):
        grouped[point.level].append((str(point.pk), str(point)))
    choices: list[Any] = [("", blank)]
    choices += [(Point.Level(level).label, items) for level, items in grouped.items() if items]
    return choices


class PointChoiceField(forms.ChoiceField):
    """A grouped <select> of points that cleans to a Point (or None)."""

    def clean(self, value: Any) -> Point | None:  # type: ignore[override]
        value = super().clean(value)
        if not value:
            return None
        try:
            return Point.objects.get(pk=value)
        except (Point.DoesNotExist, ValueError):
            raise forms.ValidationError(_("Choose a valid TBT point."), code="invalid_choice") from None


class UserForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=User.Role.choices)
    point = PointChoiceField(
        label=_("TBT point"),
        required=False,
        help_text=_(
            "Required for officers, and of the role's level: the national point for national officers, "
            "a ministry point for ministry officers, a provincial point for provincial officers. "
            "Empty for the other roles."
        ),
    )
    is_head = forms.BooleanField(label=_("Head of the point"), required=False)
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        initial="vi",
        help_text=_("E-mails to this person are written in this language."),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def __init__(self, *args: Any, instance: User | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "email": instance.email,
                "full_name": instance.full_name,
                "role": instance.role,
                "point": str(instance.point_id or ""),
                "is_head": instance.is_head,
                "language": instance.language,
                "organisation": instance.organisation,
                "phone": instance.phone,
            }
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["point"]).choices = point_choices(
            include=instance.point if instance else None, blank="—"
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("A user with this e-mail address already exists."))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role:
            problem = role_point_error(role, data.get("point"))
            if problem:
                self.add_error("point", problem)
            if data.get("is_head") and role not in User.OFFICER_ROLES:
                self.add_error("is_head", _("Only an officer can be the head of a point."))
        return data


class UserFilterForm(forms.Form):
    ACTIVE_CHOICES = [("", _("All")), ("1", _("Active")), ("0", _("Inactive"))]

    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *User.Role.choices])
    point = PointChoiceField(label=_("TBT point"), required=False)
    active = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["point"]).choices = point_choices(
            blank=str(_("All points")), active_only=False
        )
        self.fields["q"].widget.input_type = "search"


class PointForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Point
        fields = ["unit_vi", "unit_en", "address", "phone", "email", "website", "duties_vi", "duties_en", "is_active"]


class HolidayForm(forms.ModelForm):
    date = forms.DateField(label=_("Date"), input_formats=DATE_INPUTS, widget=DateInput())

    class Meta:
        model = Holiday
        fields = ["date", "name_vi", "name_en"]
        labels = {"name_vi": _("Name (Vietnamese)"), "name_en": _("Name (English)")}


class EventFilterForm(forms.Form):
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    verb = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Done by (name or e-mail)"), required=False, max_length=100)
    point = PointChoiceField(label=_("TBT point"), required=False)
    date_from = forms.DateField(label=_("From date"), required=False, input_formats=DATE_INPUTS, widget=DateInput())
    date_to = forms.DateField(label=_("To date"), required=False, input_formats=DATE_INPUTS, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["object_type"]).choices = [("", _("All types"))] + [
            (str(ct.pk), str(ct.name)) for ct in event_object_types()
        ]
        cast(forms.ChoiceField, self.fields["verb"]).choices = [("", _("All actions"))] + [
            (verb, f"{event_verb(verb)} ({verb})") for verb in event_verbs()
        ]
        cast(forms.ChoiceField, self.fields["point"]).choices = point_choices(
            blank=str(_("All points")), active_only=False
        )

    def clean_object_type(self) -> ContentType | None:
        value = self.cleaned_data.get("object_type")
        return ContentType.objects.get(pk=value) if value else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data


class OutboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *OutboxEmail.State.choices]
    )
