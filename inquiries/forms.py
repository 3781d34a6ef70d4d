"""Forms of the enquiry service: validation only (every write is in services.py)."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.forms.utils import flatatt
from django.utils.choices import CallableChoiceIterator
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from network.models import HSCode, Point, Province, WTOMember
from tbt_portal.files import ALLOWED_LABEL, MAX_FILE_BYTES, MAX_FILES, CheckedFile, check_uploads

from .consent import CONSENT_TEXTS, CONSENT_VERSION
from .models import Inquiry

HONEYPOT = "homepage_url"
TOKEN_SALT = "inquiries.form-token"  # noqa: S105 - a signing salt, not a secret
SYMBOL_RE = re.compile(r"^G/TBT/N/[A-Z]{2,4}/\d{1,5}(/(Add|Corr|Rev)\.\d{1,3})*$")
HS_SPLIT = re.compile(r"[\s,;]+")
MAX_HS_CODES = 20


# --- the signed form token: idempotency key + when the form was shown -------------------------
@dataclass(frozen=True)
class FormToken:
    key: uuid.UUID | None
    issued_at: float | None
    problem: str = ""  # "", "missing", "forged", "expired"

    @property
    def age_seconds(self) -> float:
        return time.time() - (self.issued_at or 0)


def form_token_new(key: uuid.UUID | None = None) -> str:
    return signing.TimestampSigner(salt=TOKEN_SALT).sign((key or uuid.uuid4()).hex)


def form_token_read(value: str | None) -> FormToken:
    if not value:
        return FormToken(None, None, "missing")
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    try:
        raw = signer.unsign(value, max_age=settings.INQUIRY_FORM_MAX_AGE_HOURS * 3600)
        issued = signing.b62_decode(value.rsplit(signer.sep, 2)[1])
        return FormToken(uuid.UUID(hex=raw), float(issued))
    except signing.SignatureExpired:
        return FormToken(None, None, "expired")
    except (signing.BadSignature, ValueError, IndexError):
        return FormToken(None, None, "forged")


# --- long lists of reference data ----------------------------------------------------------------
class FastSelectMixin:
    """Renders the options in Python instead of one template include per option.

    The public form lists 167 WTO members and 34 provinces: through Django's per-option widget
    templates they took most of the page's render time (see tbt_portal/bench/inquiries.py). The
    HTML is the same as Django's (name, id, attributes, ``selected``), without option groups.
    """

    allow_multiple_selected: bool
    attrs: dict[str, Any]
    choices: Any

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)  # type: ignore[attr-defined]
        if self.allow_multiple_selected:
            final["multiple"] = True
        selected = {str(v) for v in self.format_value(value)}  # type: ignore[attr-defined]
        options = []
        for key, label in self.choices:
            text = "" if key is None else str(key)
            # escape() per value, as format_html did, without its per-call overhead (200 options).
            mark = " selected" if text in selected else ""
            options.append(f'<option value="{escape(text)}"{mark}>{conditional_escape(label)}</option>')
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), mark_safe("".join(options)))  # noqa: S308


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass


# --- several files in one field (Django's documented pattern) ---------------------------------
class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _files_help() -> Any:
    return _("Up to %(max)s files, %(size)s MB each: %(types)s.") % {
        "max": MAX_FILES,
        "size": MAX_FILE_BYTES // (1024 * 1024),
        "types": ALLOWED_LABEL,
    }


class CheckedFilesMixin:
    """Runs tbt_portal.files rules on the ``attachments`` field; keeps the checked files."""

    checked_files: list[CheckedFile]

    def clean_attachments(self) -> list[Any]:
        uploads = self.cleaned_data.get("attachments") or []  # type: ignore[attr-defined]
        self.checked_files = check_uploads(uploads)
        return uploads


def _member_choices(lang: str) -> list[tuple[Any, str]]:
    rows = WTOMember.objects.order_by(f"name_{lang}").values_list("pk", "name_vi", "name_en")
    return [(pk, (en if lang == "en" else "") or vi) for pk, vi, en in rows]


def _province_choices(lang: str) -> list[tuple[Any, str]]:
    """The labels of ``Province.__str__`` (full name in the language, else the Vietnamese one)."""
    rows = Province.objects.order_by("gso_code").values_list("pk", "full_name_vi", "full_name_en", "name_vi", "name_en")
    return [
        (pk, ((full_en if lang == "en" else "") or full_vi) or ((en if lang == "en" else "") or vi))
        for pk, full_vi, full_en, vi, en in rows
    ]


# --- the public form --------------------------------------------------------------------------
class InquiryForm(CheckedFilesMixin, forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=255,
        required=False,
        help_text=_("Required unless you ask as an individual."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send the acknowledgement and the answer to this address."),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        validators=[
            RegexValidator(r"^[0-9+().\-\s]{6,40}$", _("Enter a phone number using digits, spaces, +, - or ()."))
        ],
    )
    asker_type = forms.ChoiceField(
        label=_("Who is asking"), choices=Inquiry.AskerType.choices, widget=forms.RadioSelect
    )
    province = forms.ModelChoiceField(
        label=_("Province or city"),
        queryset=Province.objects.all(),
        required=False,
        widget=FastSelect,
        help_text=_("For Vietnamese askers: your provincial TBT point may handle the enquiry locally."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=255)
    question = forms.CharField(label=_("Your question"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    hs_codes = forms.CharField(
        label=_("Products (HS codes)"),
        required=False,
        max_length=400,
        help_text=_("HS 2022 codes separated by commas, e.g. 0901, 850440. Type a word or a code to search."),
    )
    markets = forms.ModelMultipleChoiceField(
        label=_("Markets concerned (WTO members)"),
        required=False,
        queryset=WTOMember.objects.all(),
        widget=FastSelectMultiple(attrs={"size": 6}),
    )
    notification_symbol = forms.CharField(
        label=_("Related WTO notification (optional)"),
        required=False,
        max_length=60,
        help_text=_("For example G/TBT/N/VNM/298 or G/TBT/N/EU/1021/Add.1"),
    )
    attachments = MultipleFileField(label=_("Attachments (optional)"))
    language = forms.ChoiceField(label=_("Answer me in"), choices=settings.LANGUAGES, widget=forms.RadioSelect)
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data as described above."),
        error_messages={"required": _("Your consent is needed to answer you.")},
    )
    consent_version = forms.CharField(widget=forms.HiddenInput, initial=CONSENT_VERSION)
    homepage_url = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _files_help()
        self.checked_files = []
        # Members listed by their name in the page's language. The widgets get plain (id, label)
        # pairs from one values query, run only when the form is displayed: building 200 model
        # instances for the labels was the other large cost of rendering the form. (Django keeps a
        # CallableChoiceIterator lazy; a plain iterable would be read at once.)
        lang = "en" if (get_language() or "vi").startswith("en") else "vi"
        markets = cast(forms.ModelMultipleChoiceField, self.fields["markets"])
        markets.queryset = WTOMember.objects.order_by(f"name_{lang}")
        markets.widget.choices = CallableChoiceIterator(lambda: _member_choices(lang))  # type: ignore[attr-defined]
        province = cast(forms.ModelChoiceField, self.fields["province"])
        read: list[list[tuple[Any, Any]]] = []

        def provinces() -> list[tuple[Any, Any]]:
            # Read once per form: the page's template iterates the choices more than once.
            if not read:
                read.append([("", province.empty_label), *_province_choices(lang)])
            return read[0]

        province.widget.choices = CallableChoiceIterator(provinces)  # type: ignore[attr-defined]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_hs_codes(self) -> list[HSCode]:
        raw = [c.replace(".", "") for c in HS_SPLIT.split(self.cleaned_data.get("hs_codes") or "") if c]
        codes = list(dict.fromkeys(raw))
        if len(codes) > MAX_HS_CODES:
            raise ValidationError(_("Choose at most %(max)s HS codes.") % {"max": MAX_HS_CODES})
        bad = [c for c in codes if not c.isdigit() or len(c) not in (2, 4, 6)]
        found = {h.code: h for h in HSCode.objects.filter(code__in=[c for c in codes if c not in bad])}
        unknown = bad + [c for c in codes if c not in bad and c not in found]
        if unknown:
            raise ValidationError(_("Not an HS 2022 code: %(codes)s.") % {"codes": ", ".join(unknown)})
        return [found[c] for c in codes]

    def clean_notification_symbol(self) -> str:
        symbol = (self.cleaned_data.get("notification_symbol") or "").strip().upper().replace(" ", "")
        symbol = symbol.replace("/ADD.", "/Add.").replace("/CORR.", "/Corr.").replace("/REV.", "/Rev.")
        if symbol and not SYMBOL_RE.match(symbol):
            raise ValidationError(_("A WTO TBT notification symbol looks like G/TBT/N/VNM/298."))
        return symbol

    def clean_consent_version(self) -> str:
        version = self.cleaned_data["consent_version"]
        if version not in CONSENT_TEXTS:
            raise ValidationError(_("The consent text has changed; please read it again."))
        return version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        asker_type = data.get("asker_type")
        if asker_type and asker_type != Inquiry.AskerType.INDIVIDUAL and not data.get("organisation"):
            self.add_error("organisation", _("Give the name of your organisation."))
        if asker_type in Inquiry.LOCAL_TYPES and not data.get("province"):
            self.add_error("province", _("Choose the province or city where your organisation is based."))
        if asker_type == Inquiry.AskerType.WTO_MEMBER:
            data["province"] = None
        return data


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20, help_text=_("For example HD-2026-7K3QX9"))
    email = forms.EmailField(label=_("E-mail address used in the enquiry"))

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class InfoForm(CheckedFilesMixin, forms.Form):
    text = forms.CharField(
        label=_("The information asked for"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = MultipleFileField(label=_("Attachments (optional)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _files_help()
        self.checked_files = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("attachments") and not self.errors:
            raise ValidationError(_("Write the information or attach a file."))
        return data


# --- officials --------------------------------------------------------------------------------
def _points() -> Any:
    return Point.objects.filter(is_active=True).order_by("sort_order", "code")


class PointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class AssignForm(forms.Form):
    lead_point = PointChoiceField(
        label=_("Lead point"),
        queryset=_points(),
        widget=FastSelect,
        help_text=_("The point that consolidates one answer."),
    )
    contributing_points = forms.ModelMultipleChoiceField(
        label=_("Contributing points (optional)"),
        queryset=_points(),
        required=False,
        widget=FastSelectMultiple(attrs={"size": 8}),
        help_text=_("Each files its part; contributions are due two working days before the answer."),
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)

    def __init__(self, *args: Any, lead_choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if lead_choices is not None:
            self.fields["lead_point"].queryset = lead_choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lead = data.get("lead_point")
        if lead is not None and lead in (data.get("contributing_points") or []):
            self.add_error("contributing_points", _("The lead point cannot also be a contributing point."))
        return data


class BulkAssignForm(AssignForm):
    """Assign several enquiries at once: their codes come as the "selected" checkboxes of the queue."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.selected_codes: list[str] = []
        if self.data:
            self.selected_codes = [c for c in self.data.getlist("selected") if c][:200]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.selected_codes:
            raise ValidationError(_("Select at least one enquiry."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the asker will read it)"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["text"].label = label


class DraftForm(CheckedFilesMixin, forms.Form):
    text = forms.CharField(label=_("Consolidated answer"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12}))
    attachments = MultipleFileField(label=_("Files to send with the answer (optional)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _files_help()
        self.checked_files = []


class FAQForm(forms.Form):
    question_vi = forms.CharField(label=_("Question (Vietnamese)"), widget=forms.Textarea(attrs={"rows": 4}))
    answer_vi = forms.CharField(label=_("Answer (Vietnamese)"), widget=forms.Textarea(attrs={"rows": 6}))
    question_en = forms.CharField(
        label=_("Question (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    answer_en = forms.CharField(label=_("Answer (English)"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


class QueueFilterForm(forms.Form):
    STATE_CHOICES = [("open", _("Open (not finished)")), ("all", _("All")), *Inquiry.State.choices]
    DUE_CHOICES = [
        ("", _("Any")),
        ("overdue", _("Overdue")),
        ("week", _("Due within 7 days")),
        ("none", _("No due date yet")),
    ]
    SORT_CHOICES = [("due", _("Due date")), ("age", _("Oldest first")), ("new", _("Newest first"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)
    due = forms.ChoiceField(label=_("Due"), choices=DUE_CHOICES, required=False)
    age = forms.IntegerField(label=_("Received at least … days ago"), required=False, min_value=0, max_value=3650)
    asker_type = forms.ChoiceField(
        label=_("Who is asking"), choices=[("", _("Any")), *Inquiry.AskerType.choices], required=False
    )
    point = forms.ChoiceField(label=_("Point"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, show_point: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if show_point:
            cast(forms.ChoiceField, self.fields["point"]).choices = [
                ("", _("Any")),
                *[(p.code, str(p)) for p in _points()],
            ]
        else:
            del self.fields["point"]


class FiguresForm(forms.Form):
    date_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
