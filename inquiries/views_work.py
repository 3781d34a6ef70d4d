"""Officials' screens: the queue of their point, one enquiry with its actions, bulk assignment, figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from network.deadlines import deadlines_for
from network.events import events_for
from network.models import Point
from tbt_portal.files import attachment_response

from . import permissions as perm
from . import selectors, services
from .forms import AssignForm, BulkAssignForm, DraftForm, FAQForm, FiguresForm, QueueFilterForm, ReasonForm, TextForm
from .models import Attachment, Contribution, Inquiry

S = Inquiry.State


def _official(request: HttpRequest) -> Any:
    if not perm.can_see_queue(request.user):
        raise Http404
    return request.user


# --- queue ------------------------------------------------------------------------------------
@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = _official(request)
    form = QueueFilterForm(request.GET or None, show_point=user.is_national_officer)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.QueueFilters(
        state=data.get("state") or "open",
        due=data.get("due") or "",
        age=data.get("age"),
        point=data.get("point") or "",
        asker_type=data.get("asker_type") or "",
        q=data.get("q") or "",
        sort=data.get("sort") or "due",
    )
    page = Paginator(selectors.inquiry_queue(user=user, filters=filters), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inquiries/queue.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "bulk_form": BulkAssignForm() if perm.can_bulk_assign(user) else None,
        },
    )


@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    user = _official(request)
    perm.require(perm.can_bulk_assign(user))
    form = BulkAssignForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
        return redirect("inquiries:queue")
    inquiries = list(perm.inquiries_visible_to(user).filter(code__in=form.selected_codes))
    result = services.inquiries_bulk_assign(
        inquiries=inquiries,
        actor=user,
        lead_point=form.cleaned_data["lead_point"],
        contributing_points=list(form.cleaned_data["contributing_points"]),
    )
    if result.done:
        messages.success(request, _("%(count)s enquiries assigned.") % {"count": len(result.done)})
    for inquiry, reason in result.refused:
        messages.error(request, f"{inquiry.code}: {reason}")
    return redirect("inquiries:queue")


# --- one enquiry ------------------------------------------------------------------------------
def _draft_initial(inquiry: Inquiry) -> str:
    if inquiry.answer:
        return inquiry.answer
    parts = [c for c in inquiry.contributions.select_related("point") if c.state == Contribution.State.SUBMITTED]
    lead_first = sorted(parts, key=lambda c: (c.point_id != inquiry.lead_point_id, c.created_at))
    return "\n\n".join(f"{c.text}" for c in lead_first)


def _assign_form(user: Any, inquiry: Inquiry, data: Any = None) -> AssignForm:
    """The national point routes anywhere; a provincial point handling locally routes to itself."""
    if user.is_national_officer:
        return AssignForm(
            data,
            initial={
                "lead_point": inquiry.lead_point_id,
                "contributing_points": [
                    c.point_id
                    for c in inquiry.contributions.exclude(state=Contribution.State.CANCELLED)
                    if c.point_id != inquiry.lead_point_id
                ],
            },
        )
    return AssignForm(data, lead_choices=Point.objects.filter(pk=user.point_id), initial={"lead_point": user.point_id})


TEXT_LABELS = {
    "contribution": gettext_lazy("Your point's contribution"),
    "info": gettext_lazy("What information do you need from the asker?"),
    "return": gettext_lazy("What should be changed?"),
    "note": gettext_lazy("Internal note (never shown to the asker)"),
}


def _text_form(kind: str, data: Any = None, **kwargs: Any) -> TextForm:
    """The one-text-field forms of the detail page, each with its own prefix (unique ids and labels)."""
    return TextForm(data, label=TEXT_LABELS[kind], prefix=kind, **kwargs)


def _context(request: HttpRequest, inquiry: Inquiry, **bound: Any) -> dict[str, Any]:
    user: Any = request.user
    contributions = list(inquiry.contributions.select_related("point", "submitted_by"))
    own = next((c for c in contributions if c.point_id == user.point_id), None)
    ctx: dict[str, Any] = {
        "inquiry": inquiry,
        "contributions": [c for c in contributions if c.state != Contribution.State.CANCELLED],
        "own_contribution": own,
        "notes": inquiry.notes.select_related("author", "point"),
        "asker_messages": inquiry.messages.prefetch_related("attachments"),
        "attachments": inquiry.attachments.all(),
        "hs_codes": inquiry.hs_codes.all(),
        "markets": inquiry.markets.all(),
        "events": events_for(inquiry),
        "deadlines": deadlines_for(inquiry).select_related("point"),
        "faq": getattr(inquiry, "faq", None),
        "can": {
            "triage": perm.can_triage(user, inquiry),
            "reject": perm.can_reject(user, inquiry),
            "pass_up": perm.can_pass_up(user, inquiry),
            "contribute": perm.can_contribute(user, inquiry),
            "draft": perm.can_draft(user, inquiry),
            "request_info": perm.can_request_info(user, inquiry),
            "approve": perm.can_approve(user, inquiry),
            "close": perm.can_close(user, inquiry),
            "publish": perm.can_publish_faq(user, inquiry),
            "note": perm.can_note(user, inquiry),
        },
    }
    ctx["assign_form"] = bound.get("assign_form") or _assign_form(user, inquiry)
    ctx["reject_form"] = bound.get("reject_form") or ReasonForm(prefix="reject")
    ctx["contribution_form"] = bound.get("contribution_form") or _text_form(
        "contribution", initial={"text": own.text if own else ""}
    )
    ctx["draft_form"] = bound.get("draft_form") or DraftForm(initial={"text": _draft_initial(inquiry)}, prefix="draft")
    ctx["info_form"] = bound.get("info_form") or _text_form("info")
    ctx["return_form"] = bound.get("return_form") or _text_form("return")
    ctx["note_form"] = bound.get("note_form") or _text_form("note")
    faq = ctx["faq"]
    ctx["faq_form"] = bound.get("faq_form") or FAQForm(
        prefix="faq",
        initial={
            "question_vi": faq.question_vi if faq else (inquiry.question if inquiry.language == "vi" else ""),
            "question_en": faq.question_en if faq else (inquiry.question if inquiry.language == "en" else ""),
            "answer_vi": faq.answer_vi if faq else (inquiry.answer if inquiry.language == "vi" else ""),
            "answer_en": faq.answer_en if faq else (inquiry.answer if inquiry.language == "en" else ""),
        },
    )
    return ctx


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    inquiry = perm.inquiry_for_official(request.user, code)
    return render(request, "inquiries/detail.html", _context(request, inquiry))


def _act(
    request: HttpRequest,
    code: str,
    *,
    allowed: Callable[[Any, Inquiry], bool],
    form_key: str,
    make_form: Callable[[Any, Inquiry], Any],
    do: Callable[[Any, Inquiry, Any], Any],
    done: str,
) -> HttpResponse:
    """One action on one enquiry: read permission (404), act permission (403), form, service, redirect."""
    inquiry = perm.inquiry_for_official(request.user, code)
    perm.require(allowed(request.user, inquiry))
    form = make_form(request, inquiry)
    if form is not None and not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return render(request, "inquiries/detail.html", _context(request, inquiry, **{form_key: form}), status=400)
    try:
        do(request.user, inquiry, form)
    except services.InquiryError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("inquiries:detail", code=inquiry.code)


@login_required
@require_POST
def assign(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        allowed=perm.can_triage,
        form_key="assign_form",
        make_form=lambda r, i: _assign_form(r.user, i, r.POST),
        do=lambda u, i, f: services.inquiry_assign(
            inquiry=i,
            actor=u,
            lead_point=f.cleaned_data["lead_point"],
            contributing_points=list(f.cleaned_data["contributing_points"]),
            note=f.cleaned_data["note"],
        ),
        done=_("The enquiry was assigned."),
    )


@login_required
@require_POST
def reject(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        allowed=perm.can_reject,
        form_key="reject_form",
        make_form=lambda r, i: ReasonForm(r.POST, prefix="reject"),
        do=lambda u, i, f: services.inquiry_reject(inquiry=i, actor=u, reason=f.cleaned_data["reason"]),
        done=_("The enquiry was rejected; the asker was told the reason."),
    )


@login_required
@require_POST
def pass_up(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        allowed=perm.can_pass_up,
        form_key="note_form",
        make_form=lambda r, i: None,
        do=lambda u, i, f: services.inquiry_pass_up(inquiry=i, actor=u, note=r_note(request)),
        done=_("The enquiry was passed up to the national point."),
    )


def r_note(request: HttpRequest) -> str:
    return (request.POST.get("note") or "").strip()[:2000]


@login_required
@require_POST
def contribute(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        allowed=perm.can_contribute,
        form_key="contribution_form",
        make_form=lambda r, i: _text_form("contribution", r.POST),
        do=lambda u, i, f: services.contribution_file(inquiry=i, actor=u, point=u.point, text=f.cleaned_data["text"]),
        done=_("Your contribution was filed."),
    )


@login_required
@require_POST
def draft(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        allowed=perm.can_draft,
        form_key="draft_form",
        make_form=lambda r, i: DraftForm(r.POST, r.FILES, prefix="draft"),
        do=lambda u, i, f: services.inquiry_draft_answer(
            inquiry=i, actor=u, text=f.cleaned_data["text"], files=f.checked_files
        ),
        done=_("The consolidated answer was sent for approval."),
    )


@login_required
@require_POST
def request_info(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        allowed=perm.can_request_info,
        form_key="info_form",
        make_form=lambda r, i: _text_form("info", r.POST),
        do=lambda u, i, f: services.inquiry_request_info(inquiry=i, actor=u, text=f.cleaned_data["text"]),
        done=_("The asker was asked for more information."),
    )


@login_required
@require_POST
def return_draft(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        allowed=perm.can_approve,
        form_key="return_form",
        make_form=lambda r, i: _text_form("return", r.POST),
        do=lambda u, i, f: services.inquiry_return(inquiry=i, actor=u, note=f.cleaned_data["text"]),
        done=_("The draft was sent back to the lead point."),
    )


@login_required
@require_POST
def approve(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        allowed=perm.can_approve,
        form_key="",
        make_form=lambda r, i: None,
        do=lambda u, i, f: services.inquiry_approve(inquiry=i, actor=u),
        done=_("The answer was approved and sent to the asker."),
    )


@login_required
@require_POST
def close(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        allowed=perm.can_close,
        form_key="",
        make_form=lambda r, i: None,
        do=lambda u, i, f: services.inquiry_close(inquiry=i, actor=u),
        done=_("The enquiry was closed."),
    )


@login_required
@require_POST
def note(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        allowed=perm.can_note,
        form_key="note_form",
        make_form=lambda r, i: _text_form("note", r.POST),
        do=lambda u, i, f: services.note_add(inquiry=i, actor=u, text=f.cleaned_data["text"]),
        done=_("The note was added."),
    )


@login_required
@require_POST
def faq_publish(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        allowed=perm.can_publish_faq,
        form_key="faq_form",
        make_form=lambda r, i: FAQForm(r.POST, prefix="faq"),
        do=lambda u, i, f: services.faq_publish(inquiry=i, actor=u, **f.cleaned_data),
        done=_("The question and answer were published in the FAQ."),
    )


@login_required
@require_POST
def faq_unpublish(request: HttpRequest, code: str) -> HttpResponse:
    def do(user: Any, inquiry: Inquiry, form: Any) -> None:
        faq = getattr(inquiry, "faq", None)
        if faq is None:
            raise services.InquiryError(_("This enquiry is not in the FAQ."))
        services.faq_unpublish(faq=faq, actor=user)

    return _act(
        request,
        code,
        allowed=lambda u, i: perm.can_bulk_assign(u),
        form_key="",
        make_form=lambda r, i: None,
        do=do,
        done=_("The FAQ entry was withdrawn from the public site."),
    )


@login_required
@require_GET
def attachment(request: HttpRequest, code: str, public_id: UUID) -> HttpResponseBase:
    inquiry = perm.inquiry_for_official(request.user, code)
    item = Attachment.objects.filter(inquiry=inquiry, public_id=public_id).first()
    if item is None:
        raise Http404
    return attachment_response(item.file, filename=item.original_name, content_type=item.content_type)


# --- figures ----------------------------------------------------------------------------------
@login_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    if not perm.can_see_figures(request.user):
        raise Http404
    form = FiguresForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    fig = selectors.inquiry_figures(date_from=data.get("date_from"), date_to=data.get("date_to"))
    return render(request, "inquiries/figures.html", {"form": form, "fig": fig})
