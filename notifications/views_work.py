"""Screens of the notifications workflow: the record page with its whole thread, the ministries'
dossiers and the national point's review, comments and replies, triage, impact notes, Vietnamese
summaries, business input and Vietnam's comments. Each view: fetch through ``permissions``,
validate a form, call one service, redirect."""

from __future__ import annotations

import os
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from network.deadlines import deadlines_for
from network.models import User

from . import permissions as perm
from . import selectors, services, services_in
from .forms import (
    BusinessInputForm,
    CommentRecordForm,
    DocumentForm,
    DossierForm,
    ForwardForm,
    ImpactNoteForm,
    NationalCommentForm,
    NationalCommentSendForm,
    NotifyForm,
    PartnerReplyForm,
    RemarksForm,
    ReplyForm,
    ReviewForm,
    RouteForm,
    TriageForm,
    VietnameseForm,
)
from .models import BusinessInput, ImpactNote, Notification, NotificationComment

S = Notification.State
CS = NotificationComment.State


def _actor(request: HttpRequest) -> User:
    """The logged-in user of an official screen (the views are behind ``login_required``)."""
    return cast(User, request.user)


def _input_initial(request: HttpRequest) -> dict[str, str]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"name": user.full_name, "organisation": user.organisation, "email": user.email}  # type: ignore[union-attr]


def _detail_context(request: HttpRequest, n: Notification, **extra: Any) -> dict[str, Any]:
    user = request.user
    thread = selectors.notification_thread(n, user)
    return {
        "n": n,
        "thread": thread,
        "codes": selectors.codes_described(n),
        "objectives": selectors.objectives_display(n),
        "articles": selectors.articles_display(n),
        "input_open": n.input_open(),
        "input_form": extra.pop("input_form", None) or BusinessInputForm(initial=_input_initial(request)),
        "may": {
            "edit": perm.may_edit_dossier(user, n),
            "document": perm.may_add_document(user, n),
            "followup": perm.may_file_followup(user, n),
            "review": perm.may_return(user, n),
            "notify": perm.may_notify(user, n),
            "record_comment": perm.may_record_comment(user, n),
            "triage": perm.may_triage(user, n),
            "vietnamese": perm.may_edit_vietnamese(user, n),
            "consolidate": perm.may_consolidate(user, n),
            "impact": perm.ministry_point(user) is not None
            and any(note.point_id == user.point_id for note in thread.impact_notes),  # type: ignore[union-attr]
        },
        "today": timezone.localdate(),
        **extra,
    }


def detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    n = perm.notification_access(request.user, public_id)
    return render(request, "notifications/detail.html", _detail_context(request, n))


def document(request: HttpRequest, public_id: UUID, doc_id: UUID) -> HttpResponse:
    doc = perm.document_access(request.user, public_id, doc_id)
    if doc.file:
        name = doc.original_name or os.path.basename(doc.file.name or "document")
        return cast(HttpResponse, FileResponse(doc.file.open("rb"), as_attachment=True, filename=name))
    if doc.link:
        return HttpResponseRedirect(doc.link)
    raise Http404


# --- dossiers (outgoing) ----------------------------------------------------------------------
@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    perm.dossier_list_access(request.user)
    qs = perm.dossiers_visible(request.user).select_related("point").order_by("-updated_at", "-id")
    state = request.GET.get("state", "")
    if state in Notification.OUT_STATES:
        qs = qs.filter(state=state)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/dossier_list.html",
        {
            "page": page,
            "state": state,
            "states": [(s, S(s).label) for s in Notification.OUT_STATES],
            "may_file": perm.ministry_point(request.user) is not None,
        },
    )


@login_required
def dossier_new(request: HttpRequest) -> HttpResponse:
    point = perm.dossier_new_point(request.user)
    # The form's boxes are the notification's text, sent to the WTO in English whatever the screen's language.
    initial: dict[str, Any] = {"texts_available": "National TBT Enquiry Point of Viet Nam (TBT Office, STAMEQ)"}
    follows = request.GET.get("follows")
    if follows:
        try:
            parent = perm.notification_access(request.user, UUID(follows), "followup")
        except ValueError:
            raise Http404 from None
        initial.update(
            followup_kind=Notification.FollowUp.ADDENDUM, followup_of_symbol=parent.symbol, title=parent.title
        )
    form = DossierForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        n = services.dossier_create(actor=_actor(request), point=point, data=form.cleaned_data)
        messages.success(request, _("The draft dossier was saved."))
        return redirect(n)
    return render(request, "notifications/dossier_form.html", {"form": form, "n": None, "point": point})


@login_required
def dossier_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    n = perm.notification_access(request.user, public_id, "edit")
    form = DossierForm(request.POST or None, initial=DossierForm.initial_from(n))
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_update(notification=n, actor=_actor(request), data=form.cleaned_data)
        except services.NotificationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The dossier was saved."))
        return redirect(n)
    return render(request, "notifications/dossier_form.html", {"form": form, "n": n, "point": n.point})


@login_required
@require_http_methods(["GET", "POST"])
def dossier_submit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """GET: the quality gate's verdict; POST: send to the national point (refused with reasons)."""
    n = perm.notification_access(request.user, public_id, "submit")
    if request.method == "POST":
        try:
            services.dossier_submit(notification=n, actor=_actor(request))
        except services.GateRefused as refused:
            return render(
                request, "notifications/dossier_submit.html", {"n": n, "reasons": refused.reasons, "refused": True}
            )
        except services.NotificationError as error:
            messages.error(request, str(error))
            return redirect(n)
        messages.success(request, _("The dossier was sent to the national TBT point."))
        return redirect(n)
    from .gate import dossier_gate

    return render(request, "notifications/dossier_submit.html", {"n": n, "reasons": dossier_gate(n)})


@login_required
def dossier_review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    n = perm.notification_access(request.user, public_id, "return")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                if not perm.may_review(request.user, n):
                    raise PermissionDenied
                services.dossier_accept(
                    notification=n,
                    actor=_actor(request),
                    note=form.cleaned_data["remarks"],
                )
                messages.success(request, _("The dossier was accepted for notification."))
            else:
                services.dossier_return(
                    notification=n,
                    actor=_actor(request),
                    remarks=form.cleaned_data["remarks"],
                )
                messages.success(request, _("The dossier was returned to the ministry."))
        except services.NotificationError as error:
            messages.error(request, str(error))
        return redirect(n)
    return render(
        request,
        "notifications/dossier_review.html",
        {"n": n, "form": form, "may_accept": perm.may_review(request.user, n)},
    )


@login_required
def dossier_notify(request: HttpRequest, public_id: UUID) -> HttpResponse:
    n = perm.notification_access(request.user, public_id, "notify")
    form = NotifyForm(
        request.POST or None,
        initial={"distribution_date": timezone.localdate(), "comment_deadline": n.comment_deadline},
    )
    if request.method == "POST" and form.is_valid():
        try:
            n = services.dossier_notify(
                notification=n,
                actor=_actor(request),
                distribution_date=form.cleaned_data["distribution_date"],
                comment_deadline=form.cleaned_data["comment_deadline"],
            )
        except services.NotificationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Notified to the WTO as %(symbol)s.") % {"symbol": n.symbol})
        return redirect(n)
    return render(request, "notifications/dossier_notify.html", {"n": n, "form": form})


@login_required
def document_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    n = perm.notification_access(request.user, public_id, "document")
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.document_add(
            notification=n,
            actor=_actor(request),
            kind=data["kind"],
            title=data["title"],
            language=data["language"],
            file=data["file"],
            link=data["link"],
        )
        messages.success(request, _("The document was added."))
        return redirect(n)
    return render(request, "notifications/document_form.html", {"n": n, "form": form})


# --- comments received on Vietnam's notifications ----------------------------------------------
@login_required
def comment_new(request: HttpRequest, public_id: UUID) -> HttpResponse:
    n = perm.notification_access(request.user, public_id, "record_comment")
    form = CommentRecordForm(request.POST or None, request.FILES or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            comment = services.comment_record(
                notification=n,
                actor=_actor(request),
                member=data["member"],
                received_on=data["received_on"],
                text=data["text"],
                reply_to_email=data["reply_to_email"],
                kind=data["kind"],
                files=[data["file"]] if data["file"] else [],
            )
        except services.NotificationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The comment was recorded."))
            return redirect("notifications:comment", public_id=comment.public_id)
    return render(request, "notifications/comment_new.html", {"n": n, "form": form}, status=400 if form.errors else 200)


def _comment_page(request: HttpRequest, c: NotificationComment, **forms: Any) -> HttpResponse:
    user = request.user
    ctx: dict[str, Any] = {
        "c": c,
        "n": c.notification,
        "documents": list(c.documents.all()),
        "inputs": list(c.inputs.all()),
        "today": timezone.localdate(),
    }
    if perm.may_route(user, c):
        ctx["route_form"] = forms.get("route_form") or RouteForm(
            initial={"point": c.notification.point, "reply_due": services.comment_default_reply_due(c)}
        )
    if perm.may_draft_reply(user, c):
        ctx["reply_form"] = forms.get("reply_form") or ReplyForm(initial={"reply_text": c.reply_text})
    if perm.may_send_reply(user, c):
        ctx["send_form"] = forms.get("send_form") or ReplyForm(initial={"reply_text": c.reply_text})
        ctx["return_form"] = forms.get("return_form") or RemarksForm()
    if perm.may_send_national_comment(user, c):
        ctx["national_form"] = forms.get("national_form") or NationalCommentSendForm(
            initial={"text": c.text, "to_email": c.reply_to_email}
        )
    if perm.may_record_partner_reply(user, c):
        ctx["partner_form"] = forms.get("partner_form") or PartnerReplyForm(
            initial={"replied_on": timezone.localdate()}
        )
    status = 400 if forms else 200
    return render(request, "notifications/comment_detail.html", ctx, status=status)


@login_required
def comment_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _comment_page(request, perm.comment_access(request.user, public_id))


def _comment_action(
    request: HttpRequest, public_id: UUID, action: str, form_cls: type, key: str, run: Any, done: str
) -> HttpResponse:
    c = perm.comment_access(request.user, public_id, action)
    form = form_cls(request.POST)
    if not form.is_valid():
        return _comment_page(request, c, **{key: form})
    try:
        run(c, form.cleaned_data)
    except services.NotificationError as error:
        # Shown on the form as it was posted: nothing typed is lost.
        form.add_error(None, str(error))
        c.refresh_from_db()
        return _comment_page(request, c, **{key: form})
    messages.success(request, done)
    return redirect("notifications:comment", public_id=c.public_id)


@login_required
@require_POST
def comment_route(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _comment_action(
        request,
        public_id,
        "route",
        RouteForm,
        "route_form",
        lambda c, d: services.comment_route(
            comment=c, actor=_actor(request), point=d["point"], reply_due=d["reply_due"]
        ),
        _("The comment was sent to the ministry point."),
    )


@login_required
@require_POST
def comment_reply(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _comment_action(
        request,
        public_id,
        "reply",
        ReplyForm,
        "reply_form",
        lambda c, d: services.comment_reply_draft(comment=c, actor=_actor(request), reply_text=d["reply_text"]),
        _("The draft reply was sent to the national TBT point."),
    )


@login_required
@require_POST
def comment_send(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _comment_action(
        request,
        public_id,
        "send",
        ReplyForm,
        "send_form",
        lambda c, d: services.comment_reply_send(comment=c, actor=_actor(request), reply_text=d["reply_text"]),
        _("The reply was sent."),
    )


@login_required
@require_POST
def comment_return(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _comment_action(
        request,
        public_id,
        "return",
        RemarksForm,
        "return_form",
        lambda c, d: services.comment_reply_return(comment=c, actor=_actor(request), remarks=d["remarks"]),
        _("The draft reply was returned to the ministry point."),
    )


@login_required
@require_POST
def national_comment_send(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _comment_action(
        request,
        public_id,
        "send_national",
        NationalCommentSendForm,
        "national_form",
        lambda c, d: services_in.national_comment_send(
            comment=c, actor=_actor(request), text=d["text"], to_email=d["to_email"]
        ),
        _("Viet Nam's comment was sent."),
    )


@login_required
@require_POST
def partner_reply(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _comment_action(
        request,
        public_id,
        "partner_reply",
        PartnerReplyForm,
        "partner_form",
        lambda c, d: services_in.partner_reply_record(
            comment=c, actor=_actor(request), text=d["text"], replied_on=d["replied_on"]
        ),
        _("The partner's reply was recorded."),
    )


# --- partners' notifications --------------------------------------------------------------------
@login_required
def triage(request: HttpRequest, public_id: UUID) -> HttpResponse:
    n = perm.notification_access(request.user, public_id, "triage")
    forwarding = n.state in (S.RELEVANT, S.ANALYSED)
    if request.method == "GET":
        services_in.notification_received(n)  # opens the forwarding deadline if the importer did not
    if forwarding:
        form: Any = ForwardForm(request.POST or None, exclude=n.impact_notes.values_list("point_id", flat=True))
    else:
        form = TriageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if forwarding:
                services_in.notification_forward(notification=n, actor=_actor(request), points=data["points"])
            else:
                services_in.notification_triage(
                    notification=n,
                    actor=_actor(request),
                    relevant=data["decision"] == "relevant",
                    points=data["points"],
                    note=data["note"],
                )
        except services.NotificationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The triage decision was recorded."))
        return redirect(n)
    deadline = deadlines_for(n).filter(kind="triage").first()
    return render(
        request,
        "notifications/triage.html",
        {
            "n": n,
            "form": form,
            "forwarding": forwarding,
            "deadline": deadline,
            "notes": n.impact_notes.select_related("point"),
        },
    )


@login_required
def impact_note(request: HttpRequest, public_id: UUID) -> HttpResponse:
    note = perm.impact_note_access(request.user, public_id, "submit" if request.method == "POST" else "view")
    form = ImpactNoteForm(request.POST or None) if note.state == ImpactNote.State.REQUESTED else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services_in.impact_note_submit(note=note, actor=_actor(request), **form.cleaned_data)
        except services.NotificationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The impact note was sent to the national TBT point."))
        return redirect(note.notification)
    return render(request, "notifications/impact_note.html", {"n": note.notification, "note": note, "form": form})


@login_required
def vietnamese(request: HttpRequest, public_id: UUID) -> HttpResponse:
    n = perm.notification_access(request.user, public_id, "vietnamese")
    form = VietnameseForm(
        request.POST or None, initial={"title_vi": n.title_vi, "summary_vi": n.summary_vi, "verified": n.vi_verified}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_in.notification_vietnamese_save(
                notification=n,
                actor=_actor(request),
                **form.cleaned_data,
            )
        except services.NotificationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The Vietnamese title and summary were saved."))
        return redirect(n)
    return render(request, "notifications/vietnamese.html", {"n": n, "form": form})


@require_http_methods(["GET", "POST"])
def business_input(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The public input form of a partner's draft; after the internal cut-off a notice replaces it
    and a POST is refused (403)."""
    n = perm.notification_access(request.user, public_id)
    if n.direction != Notification.Direction.IN:
        raise Http404
    if not n.input_open():
        status = 403 if request.method == "POST" else 200
        return render(request, "notifications/input.html", {"n": n, "closed": True}, status=status)
    form = BusinessInputForm(request.POST or None, initial=_input_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services_in.business_input_submit(
                notification=n,
                user=request.user if request.user.is_authenticated else None,
                name=data["name"],
                organisation=data["organisation"],
                email=data["email"],
                text=data["text"],
                consent=data["consent"],
                language=(request.LANGUAGE_CODE or "vi")[:2],
            )
        except services_in.InputClosed:
            return render(request, "notifications/input.html", {"n": n, "closed": True}, status=403)
        return redirect("notifications:input_thanks", public_id=item.public_id)
    return render(
        request,
        "notifications/input.html",
        {"n": n, "form": form, "closed": False},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET"])
def my_inputs(request: HttpRequest) -> HttpResponse:
    """A logged-in business's own inputs on partners' drafts and what became of each."""
    page = Paginator(selectors.inputs_of_user(_actor(request)), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/my_inputs.html", {"page": page})


def input_thanks(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = get_object_or_404(BusinessInput.objects.select_related("notification"), public_id=public_id)
    return render(request, "notifications/input_thanks.html", {"item": item, "n": item.notification})


@login_required
def national_comment_new(request: HttpRequest, public_id: UUID) -> HttpResponse:
    n = perm.notification_access(request.user, public_id, "consolidate")
    form = NationalCommentForm(request.POST or None, notification=n)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            c = services_in.national_comment_prepare(
                notification=n,
                actor=_actor(request),
                text=data["text"],
                inputs=data["inputs"],
                reply_to_email=data["reply_to_email"],
            )
        except services.NotificationError as error:
            # Shown on the form as posted: nothing typed is lost.
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Viet Nam's draft comment was saved."))
            return redirect("notifications:comment", public_id=c.public_id)
    notes = n.impact_notes.filter(state=ImpactNote.State.SUBMITTED).select_related("point")
    earlier = n.comments.filter(direction=NotificationComment.Direction.SENT).order_by("created_at")
    return render(
        request,
        "notifications/national_comment_new.html",
        {
            "n": n,
            "form": form,
            "notes": notes,
            "earlier": earlier,
            "deadline_passed": bool(n.comment_deadline and n.comment_deadline < timezone.localdate()),
            "waiting_inputs": form.fields["inputs"].queryset.count(),  # type: ignore[attr-defined]
        },
        status=400 if request.method == "POST" else 200,
    )


# --- work queues --------------------------------------------------------------------------------
@login_required
def work(request: HttpRequest) -> HttpResponse:
    perm.work_access(request.user)
    return render(
        request, "notifications/work.html", {"q": selectors.work_queues(request.user), "today": timezone.localdate()}
    )
