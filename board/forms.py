"""Forms of the Board app: validation only; the services decide and write."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models import User

from .models import (
    AgendaItem,
    BoardAgency,
    Escalation,
    Invitation,
    ItemVote,
    Meeting,
    Membership,
    Recommendation,
    WorkPlan,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _users() -> Any:
    return User.objects.filter(is_active=True).order_by("full_name", "email")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} <{obj.email}>"


# --- Membership ---------------------------------------------------------------------------------------
class NominationForm(forms.Form):
    role = forms.ChoiceField(label=_("Seat"), choices=Membership.Role.choices)
    agency = forms.ModelChoiceField(
        label=_("Agency represented"),
        queryset=BoardAgency.objects.all(),
        required=False,
        help_text=_("Required for a member; optional for the Head."),
    )
    organisation_vi = forms.CharField(
        label=_("Organisation (Vietnamese)"),
        max_length=255,
        required=False,
        help_text=_("For the Deputy Head and the Secretary: their unit at STAMEQ."),
    )
    organisation_en = forms.CharField(label=_("Organisation (English)"), max_length=255, required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position_vi = forms.CharField(label=_("Position (Vietnamese)"), max_length=255)
    position_en = forms.CharField(label=_("Position (English)"), max_length=255, required=False)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    user = UserChoiceField(
        label=_("User account"),
        queryset=_users(),
        required=False,
        help_text=_("The portal account the member signs in with to read papers and vote."),
    )
    nomination_reference = forms.CharField(
        label=_("Nomination letter (number and date)"), max_length=120, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Membership.Role.MEMBER and not data.get("agency"):
            self.add_error("agency", _("A member represents an agency: choose the agency."))
        return data


class AppointmentForm(forms.Form):
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=60,
        help_text=_("The Ministry of Science and Technology's decision (Đ15.2)."),
    )
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput())
    term_start = forms.DateField(label=_("Term starts on"), widget=DateInput())
    term_end = forms.DateField(
        label=_("Term ends on"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty if the decision sets no end date."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        if data.get("decision_date") and data["decision_date"] > today:
            self.add_error("decision_date", _("The decision date cannot be in the future."))
        if data.get("term_start") and data["term_start"] > today:
            self.add_error("term_start", _("Record the appointment on or after the first day of the term."))
        if data.get("term_start") and data.get("term_end") and data["term_end"] <= data["term_start"]:
            self.add_error("term_end", _("The end of the term must be after its start."))
        return data


class ContactForm(forms.Form):
    position_vi = forms.CharField(label=_("Position (Vietnamese)"), max_length=255)
    position_en = forms.CharField(label=_("Position (English)"), max_length=255, required=False)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    user = UserChoiceField(label=_("User account"), queryset=_users(), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


# --- Escalation -----------------------------------------------------------------------------------------
class EscalationForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the issue"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("What happened, which agencies are concerned, what was tried."),
    )
    question = forms.CharField(
        label=_("Question for the Board to decide"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


# --- Meetings ---------------------------------------------------------------------------------------------
class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=255)
    remote_link = forms.URLField(label=_("Link to join remotely"), required=False, assume_scheme="https")

    def clean_starts_at(self) -> Any:
        value = self.cleaned_data["starts_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("The meeting must be in the future."))
        return value


class AgendaItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of item"), choices=AgendaItem.Kind.choices)
    escalation = forms.ModelChoiceField(label=_("Escalated issue"), queryset=Escalation.objects.none(), required=False)
    work_plan = forms.ModelChoiceField(label=_("Work plan"), queryset=WorkPlan.objects.all(), required=False)
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        help_text=_("For an escalated issue, leave empty to use the issue's name."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, is_head: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [c for c in AgendaItem.Kind.choices if is_head or c[0] != AgendaItem.Kind.HEAD]
        self.fields["kind"].choices = choices  # type: ignore[attr-defined]
        self.fields["escalation"].queryset = Escalation.objects.filter(state=Escalation.State.OPEN)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == AgendaItem.Kind.ESCALATION and not data.get("escalation"):
            self.add_error("escalation", _("Choose the escalated issue."))
        if kind in (AgendaItem.Kind.WORKPLAN_REVIEW, AgendaItem.Kind.WORKPLAN_ADOPTION) and not data.get("work_plan"):
            self.add_error("work_plan", _("Choose the work plan."))
        if kind != AgendaItem.Kind.ESCALATION and not data.get("title"):
            self.add_error("title", _("The item needs a title."))
        return data


class PaperForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    item = forms.ModelChoiceField(label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False)
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel, OpenDocument, PowerPoint, text or ZIP."))

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.all()  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if file.size > settings.BOARD_PAPER_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": settings.BOARD_PAPER_MAX_MB})
        return file


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label=_("Your reply"),
        widget=forms.RadioSelect,
        choices=[c for c in Invitation.Reply.choices if c[0] != Invitation.Reply.PENDING],
    )
    written_opinion = forms.CharField(
        label=_("Written opinion"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Required if you cannot attend. Your opinion is that of your agency (Đ10.2)."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reply") == Invitation.Reply.WRITTEN and not (data.get("written_opinion") or "").strip():
            self.add_error("written_opinion", _("Write your opinion: it is the position of your agency (Đ10.2)."))
        return data


class ConsultationForm(forms.Form):
    consulted_on = forms.DateField(label=_("Consulted on"), widget=DateInput())
    position = forms.CharField(
        label=_("Position agreed with the ministry's TBT point"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean_consulted_on(self) -> date:
        value: date = self.cleaned_data["consulted_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


ATTENDANCE_CHOICES = [c for c in Invitation.Attendance.choices if c[0] != Invitation.Attendance.UNKNOWN]


class AttendanceForm(forms.Form):
    """One choice per member invited: present in person, remotely, or absent."""

    def __init__(self, *args: Any, invitations: list[Invitation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        for inv in invitations:
            default = inv.attendance or (
                Invitation.Attendance.REMOTE
                if inv.reply == Invitation.Reply.REMOTE
                else Invitation.Attendance.ABSENT
                if inv.reply == Invitation.Reply.WRITTEN
                else Invitation.Attendance.IN_PERSON
            )
            self.fields[f"att_{inv.pk}"] = forms.ChoiceField(
                label=f"{inv.membership.full_name} — {inv.membership.seat_label}",
                choices=ATTENDANCE_CHOICES,
                initial=default,
            )

    def attendance(self) -> dict[int, str]:
        return {inv.pk: self.cleaned_data[f"att_{inv.pk}"] for inv in self.invitations}


class DecisionForm(forms.Form):
    """The outcome of one item: attendance and vote of each member for this item, the method, the
    declared result and the conclusion. The service checks the majority (Đ11.2)."""

    METHOD_CHOICES = [
        ("consensus", _("Consensus")),
        ("vote", _("Vote (majority of those present)")),
        ("deferred", _("Deferred to a later meeting")),
    ]
    RESULT_CHOICES = [
        ("", _("— choose for a vote —")),
        (AgendaItem.Outcome.CARRIED, _("Carried")),
        (AgendaItem.Outcome.NOT_CARRIED, _("Not carried")),
    ]

    method = forms.ChoiceField(label=_("How the Board decided"), choices=METHOD_CHOICES, widget=forms.RadioSelect)
    declared = forms.ChoiceField(label=_("Result of the vote"), choices=RESULT_CHOICES, required=False)
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, item: AgendaItem, invitations: list[Invitation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        previous = {v.invitation_id: v for v in item.votes.all()}
        for inv in invitations:
            prev = previous.get(inv.pk)
            self.fields[f"att_{inv.pk}"] = forms.ChoiceField(
                label=_("Attendance of %(name)s") % {"name": inv.membership.full_name},
                choices=ATTENDANCE_CHOICES,
                initial=prev.attendance if prev else (inv.attendance or Invitation.Attendance.IN_PERSON),
            )
            self.fields[f"vote_{inv.pk}"] = forms.ChoiceField(
                label=_("Vote of %(name)s") % {"name": inv.membership.full_name},
                choices=ItemVote.Vote.choices,
                required=False,
                initial=prev.vote if prev else "",
            )
        if item.outcome != AgendaItem.Outcome.PENDING:
            methods: dict[str, str] = {
                AgendaItem.Outcome.CONSENSUS: "consensus",
                AgendaItem.Outcome.DEFERRED: "deferred",
            }
            self.fields["method"].initial = methods.get(item.outcome, "vote")
            self.fields["declared"].initial = (
                item.outcome if item.outcome in (AgendaItem.Outcome.CARRIED, AgendaItem.Outcome.NOT_CARRIED) else ""
            )
            self.fields["conclusion"].initial = item.conclusion

    def rows(self) -> list[tuple[Invitation, Any, Any]]:
        return [(inv, self[f"att_{inv.pk}"], self[f"vote_{inv.pk}"]) for inv in self.invitations]

    def participation(self) -> dict[int, tuple[str, str]]:
        return {
            inv.pk: (self.cleaned_data[f"att_{inv.pk}"], self.cleaned_data.get(f"vote_{inv.pk}") or "")
            for inv in self.invitations
        }


class ReservationForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("Member"), queryset=Membership.objects.none())
    opinion = forms.CharField(label=_("Reservation"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    explanation = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Sent with any recommendation the Board makes on this item (Đ11.2)."),
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = members  # type: ignore[attr-defined]
        if members.count() == 1:
            self.fields["membership"].initial = members.first()
            self.fields["membership"].widget = forms.HiddenInput()


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["recipient", "recipient_email", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}


class CloseForm(forms.Form):
    minutes_notes = forms.CharField(
        label=_("Other matters recorded in the minutes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


# --- Work plans -----------------------------------------------------------------------------------------
class WorkPlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class WorkPlanItemForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=500)
    lead = forms.CharField(label=_("Lead agency or unit"), max_length=255, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput(), required=False)


class TaskDoneForm(forms.Form):
    note = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
