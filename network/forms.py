"""Forms of the officials' work screens: validation only (the services decide and write)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AnnualListItem

# Dates are typed as dd/mm/yyyy (ISO yyyy-mm-dd is accepted too, for scripts and old links).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy in both languages.

    Not ``<input type="date">``: its picker shows the format of the browser's language, not the
    page's, so an English browser shows mm/dd/yyyy on a Vietnamese page and 04/12 becomes
    ambiguous. The format is shown as a placeholder and read out by screen readers (aria-description).
    """

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "placeholder": _("dd/mm/yyyy"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "class": "date-input",
            "aria-description": _("Format: dd/mm/yyyy"),
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class ApprovalDateForm(forms.Form):
    approved_on = forms.DateField(
        label=_("Date the Minister approved the law-making programme"),
        help_text=_("The list is due 15 days after this date (the next working day if that is a day off)."),
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        self.year = year
        super().__init__(*args, **kwargs)

    def clean_approved_on(self) -> Any:
        value = self.cleaned_data["approved_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The approval date cannot be in the future."), code="future")
        if value.year not in (self.year - 1, self.year):
            raise forms.ValidationError(
                _("The programme for %(year)s is approved in %(previous)s or %(year)s."),
                code="wrong_year",
                params={"year": self.year, "previous": self.year - 1},
            )
        return value


class AnnualListItemForm(forms.ModelForm):
    class Meta:
        model = AnnualListItem
        fields = ["title", "doc_type", "planned_issue_date", "responsible_unit"]
        widgets = {"planned_issue_date": DateInput(), "title": forms.TextInput()}
        help_texts = {
            "title": _("The name of the document as it appears in the law-making programme."),
            "responsible_unit": _("The unit of the ministry that drafts the document."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["planned_issue_date"].input_formats = DATE_INPUT_FORMATS  # type: ignore[attr-defined]
        self.fields["doc_type"].choices = [("", _("Choose a type")), *AnnualListItem.DocType.choices]  # type: ignore[attr-defined]

    def clean_title(self) -> str:
        return str(self.cleaned_data["title"]).strip()

    def clean_responsible_unit(self) -> str:
        return str(self.cleaned_data["responsible_unit"]).strip()


class AnnualListSubmitForm(forms.Form):
    no_documents = forms.BooleanField(
        label=_("This year's law-making programme has no TBT-related documents"),
        help_text=_("Tick only when the list is empty on purpose."),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("I confirm the list is complete and may be sent to the national TBT point"),
        error_messages={"required": _("Tick the box to confirm before submitting.")},
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm the report has been sent"),
        error_messages={"required": _("Tick the box to confirm before submitting.")},
    )


class DeadlineFilterForm(forms.Form):
    STATES = [
        ("", _("All unfinished")),
        ("late", _("Overdue")),
        ("open", _("Open")),
        ("done", _("Done")),
    ]
    state = forms.ChoiceField(label=_("Show"), choices=STATES, required=False)
