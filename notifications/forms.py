"""Forms of the notifications workflow: validation only (the rules live in services and gate)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models import Point, WTOMember

from .models import BusinessInput, ImpactNote, Notification, NotificationComment, NotificationDocument


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class Form(forms.Form):
    """No colon after labels: the label is the field's accessible name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _date_field(label: Any, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def _split(raw: str) -> list[str]:
    return [token for token in re.split(r"[\s,;]+", raw or "") if token]


def parse_hs_codes(raw: str) -> list[str]:
    """ "8517.13, 851762" → ["851713", "851762"] (dots and spaces dropped; validity is the gate's job)."""
    codes: list[str] = []
    for token in _split(raw):
        code = token.replace(".", "")
        if code not in codes:
            codes.append(code)
    return codes


def parse_ics_codes(raw: str) -> list[str]:
    codes: list[str] = []
    for token in _split(raw):
        if token not in codes:
            codes.append(token)
    return codes


def ministry_points() -> Any:
    return Point.objects.filter(level=Point.Level.MINISTRY, is_active=True).order_by("sort_order", "code")


class DossierForm(Form):
    """All the boxes of the WTO TBT notification format. Saving a draft accepts empty boxes; the
    quality gate checks them when the dossier is sent to the national point."""

    followup_kind = forms.ChoiceField(
        label=_("Type of notification"), choices=Notification.FollowUp.choices, required=False
    )
    followup_of_symbol = forms.CharField(
        label=_("Symbol of the notification followed up"),
        required=False,
        max_length=60,
        help_text=_("For an addendum, corrigendum or revision, e.g. G/TBT/N/VNM/298."),
    )
    addendum_reason = forms.ChoiceField(
        label=_("Reason of the addendum"), choices=Notification.AddendumReason.choices, required=False
    )
    local_government = forms.CharField(
        label=_("Box 1: Local government involved, if any"), required=False, max_length=255
    )
    agency_responsible = forms.CharField(label=_("Box 2: Agency responsible"), required=False, widget=forms.Textarea)
    comment_body = forms.CharField(
        label=_("Box 2: Body handling comments, if different"), required=False, widget=forms.Textarea
    )
    articles = forms.MultipleChoiceField(
        label=_("Box 3: Notified under Article"),
        required=False,
        choices=Notification.Article.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    products_text = forms.CharField(label=_("Box 4: Products covered"), required=False, widget=forms.Textarea)
    hs_codes = forms.CharField(
        label=_("Box 4: HS codes"), required=False, help_text=_("Separate with commas, e.g. 8517.13, 8517.62.")
    )
    ics_codes = forms.CharField(
        label=_("Box 4: ICS codes"), required=False, help_text=_("Separate with commas, e.g. 33.050.")
    )
    title = forms.CharField(label=_("Box 5: Title of the notified document"), required=False, widget=forms.Textarea)
    pages = forms.CharField(label=_("Box 5: Number of pages"), required=False, max_length=40)
    languages = forms.CharField(label=_("Box 5: Language(s)"), required=False, max_length=120)
    description = forms.CharField(label=_("Box 6: Description of content"), required=False, widget=forms.Textarea)
    objectives = forms.MultipleChoiceField(
        label=_("Box 7: Objectives"),
        required=False,
        choices=Notification.Objective.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    rationale = forms.CharField(label=_("Box 7: Rationale"), required=False, widget=forms.Textarea)
    is_urgent = forms.BooleanField(label=_("Urgent problem (Article 2.10.1)"), required=False)
    relevant_documents = forms.CharField(label=_("Box 8: Relevant documents"), required=False, widget=forms.Textarea)
    related_symbols = forms.CharField(
        label=_("Box 8: Related notification symbols"), required=False, help_text=_("Separate with commas.")
    )
    proposed_adoption_date = _date_field(_("Box 9: Proposed date of adoption"))
    proposed_adoption_text = forms.CharField(
        label=_("Box 9: Proposed date of adoption, in words"),
        required=False,
        max_length=255,
        help_text=_("When there is no date, e.g. “not known”."),
    )
    entry_into_force_date = _date_field(_("Box 9: Proposed date of entry into force"))
    entry_into_force_text = forms.CharField(
        label=_("Box 9: Proposed date of entry into force, in words"),
        required=False,
        max_length=255,
        help_text=_("When there is no date, e.g. “6 months after publication”."),
    )
    planned_distribution_date = _date_field(
        _("Box 10: Planned date of distribution"), help_text=_("The comment period is counted from this date.")
    )
    comment_deadline = _date_field(
        _("Box 10: Final date for comments"), help_text=_("At least 60 days after distribution.")
    )
    texts_available = forms.CharField(label=_("Box 11: Texts available from"), required=False, widget=forms.Textarea)
    document_link = forms.URLField(
        label=_("Link to the notified document"), required=False, max_length=500, assume_scheme="https"
    )

    @classmethod
    def initial_from(cls, n: Notification) -> dict[str, Any]:
        initial = {name: getattr(n, name) for name in cls.base_fields if hasattr(n, name)}
        initial["hs_codes"] = ", ".join(n.hs_codes or [])
        initial["ics_codes"] = ", ".join(n.ics_codes or [])
        initial["related_symbols"] = ", ".join(n.related_symbols or [])
        return initial

    def clean_hs_codes(self) -> list[str]:
        return parse_hs_codes(self.cleaned_data.get("hs_codes", ""))

    def clean_ics_codes(self) -> list[str]:
        return parse_ics_codes(self.cleaned_data.get("ics_codes", ""))

    def clean_related_symbols(self) -> list[str]:
        return [s.strip() for s in re.split(r"[,;\n]+", self.cleaned_data.get("related_symbols", "")) if s.strip()]

    def clean_followup_of_symbol(self) -> str:
        return (self.cleaned_data.get("followup_of_symbol") or "").strip()


class DocumentForm(Form):
    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=[
            (k, label)
            for k, label in NotificationDocument.Kind.choices
            if k not in (NotificationDocument.Kind.FORM, NotificationDocument.Kind.COMMENT_FILE)
        ],
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    language = forms.CharField(label=_("Language"), max_length=20, required=False)
    file = forms.FileField(label=_("File"), required=False)
    link = forms.URLField(label=_("Or a link"), required=False, max_length=500, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not data.get("link"):
            raise forms.ValidationError(_("Attach a file or give a link."))
        return data


class ReviewForm(Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Accept for notification")), ("return", _("Return to the ministry with remarks"))],
    )
    remarks = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea, help_text=_("Required when returning the dossier.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not (data.get("remarks") or "").strip():
            self.add_error("remarks", _("Write the remarks the ministry must address."))
        return data


class NotifyForm(Form):
    distribution_date = _date_field(_("Distribution date"), required=True)
    comment_deadline = _date_field(
        _("Final date for comments"),
        help_text=_("Kept if given; never less than the minimum comment period after distribution."),
    )


class CommentRecordForm(Form):
    member = forms.ModelChoiceField(label=_("WTO member"), queryset=WTOMember.objects.order_by("name_en"))
    received_on = _date_field(_("Date received"), required=True)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=NotificationComment.Kind.choices, initial=NotificationComment.Kind.COMMENT
    )
    text = forms.CharField(label=_("Text of the comment"), widget=forms.Textarea)
    reply_to_email = forms.EmailField(
        label=_("E-mail of the member's enquiry point"),
        required=False,
        help_text=_("The reply is sent there when it is approved."),
    )
    file = forms.FileField(label=_("File"), required=False)

    def clean_received_on(self) -> date:
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class RouteForm(Form):
    point = forms.ModelChoiceField(label=_("Ministry point drafting the reply"), queryset=Point.objects.none())
    reply_due = _date_field(_("Reply due by"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = ministry_points()  # type: ignore[attr-defined]

    def clean_reply_due(self) -> date:
        value = self.cleaned_data["reply_due"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The reply cannot be due in the past."))
        return value


class ReplyForm(Form):
    reply_text = forms.CharField(label=_("Reply"), widget=forms.Textarea)


class RemarksForm(Form):
    remarks = forms.CharField(label=_("Remarks"), widget=forms.Textarea)


class TriageForm(Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("relevant", _("Relevant to Vietnam: forward for analysis")), ("not_relevant", _("Not relevant"))],
    )
    points = forms.ModelMultipleChoiceField(
        label=_("Ministry points to analyse it"),
        queryset=Point.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["points"].queryset = ministry_points()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "relevant" and not data.get("points"):
            self.add_error("points", _("Choose at least one ministry point to analyse it."))
        return data


class ForwardForm(Form):
    points = forms.ModelMultipleChoiceField(
        label=_("Also forward to"), queryset=Point.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, exclude: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["points"].queryset = ministry_points().exclude(pk__in=list(exclude))  # type: ignore[attr-defined]


class ImpactNoteForm(Form):
    # No pre-selected answer: an official must choose the impact and the action, never submit a
    # default "no impact" by not looking.
    impact = forms.ChoiceField(
        label=_("Impact on Vietnam"), choices=[("", _("— choose —")), *ImpactNote.Impact.choices]
    )
    affected_exports = forms.CharField(
        label=_("Vietnamese products and exports affected"), required=False, widget=forms.Textarea
    )
    assessment = forms.CharField(label=_("Assessment"), widget=forms.Textarea)
    recommendation = forms.ChoiceField(
        label=_("Recommended action"), choices=[("", _("— choose —")), *ImpactNote.Recommendation.choices]
    )


class VietnameseForm(Form):
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), widget=forms.Textarea, required=False)
    summary_vi = forms.CharField(label=_("Summary (Vietnamese)"), widget=forms.Textarea, required=False)
    verified = forms.BooleanField(
        label=_("I have checked this translation against the original: mark it verified"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("verified") and not (
            (data.get("title_vi") or "").strip() and (data.get("summary_vi") or "").strip()
        ):
            raise forms.ValidationError(
                _("Write both the Vietnamese title and the summary before marking them verified.")
            )
        return data


class BusinessInputForm(Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    organisation = forms.CharField(label=_("Business or association"), max_length=255)
    email = forms.EmailField(label=_("E-mail"))
    text = forms.CharField(
        label=_("Your input"),
        widget=forms.Textarea,
        max_length=20000,
        help_text=_("How the measure affects your products or exports, and what Vietnam should ask."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the national TBT point uses my input, with my organisation's name, in Vietnam's comment "
            "and contacts me about it."
        )
    )
    # A field people do not see: robots fill it in.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""


class NationalCommentForm(Form):
    text = forms.CharField(label=_("Viet Nam's comment"), widget=forms.Textarea)
    inputs = forms.ModelMultipleChoiceField(
        label=_("Business inputs it consolidates"),
        queryset=BusinessInput.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reply_to_email = forms.EmailField(label=_("E-mail of the partner's enquiry point"), required=False)

    def __init__(self, *args: Any, notification: Notification, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inputs"].queryset = notification.business_inputs.filter(  # type: ignore[attr-defined]
            used_in__isnull=True
        )
        self.fields["inputs"].label_from_instance = lambda i: f"{i.organisation} ({i.name}): {i.text[:120]}"  # type: ignore[attr-defined]


class NationalCommentSendForm(Form):
    text = forms.CharField(label=_("Viet Nam's comment"), widget=forms.Textarea)
    to_email = forms.EmailField(label=_("E-mail of the partner's enquiry point"), required=False)


class PartnerReplyForm(Form):
    text = forms.CharField(label=_("Partner's reply"), widget=forms.Textarea)
    replied_on = _date_field(_("Date of the reply"), required=True)
