"""Public screens: ask a question, confirmation, tracking, FAQ, HS type-ahead, the asker's files."""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from network.models import Province, WTOMember
from tbt_portal.cache_versions import CacheVersion, page_digest, page_for_anyone, versioned
from tbt_portal.files import attachment_response

from . import selectors, services
from .consent import CONSENT_VERSION, consent_text
from .forms import HONEYPOT, InfoForm, InquiryForm, TrackForm, form_token_new, form_token_read
from .models import Attachment, FAQEntry, Inquiry, Message, SubmissionBlock
from .permissions import asker_remember, attachment_visible_to_asker, inquiry_for_asker

logger = logging.getLogger(__name__)
RECEIVED_SALT = "inquiries.received"
Reason = SubmissionBlock.Reason


def client_ip(request: HttpRequest) -> str:
    if settings.SECURE_PROXY_SSL_HEADER and request.META.get("HTTP_X_FORWARDED_FOR"):
        return request.META["HTTP_X_FORWARDED_FOR"].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _initial(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {"language": (get_language() or "vi")[:2], "consent_version": CONSENT_VERSION}
    user: Any = request.user
    if user.is_authenticated and getattr(user, "is_business", False):
        initial.update(
            name=user.full_name,
            organisation=user.organisation,
            email=user.email,
            phone=user.phone,
            asker_type=Inquiry.AskerType.BUSINESS,
            language=user.language,
        )
    return initial


def _form_context(
    request: HttpRequest,
    form: InquiryForm | None = None,
    token: str = "",
    *,
    problem: str = "",
    placeholders: bool = False,
) -> dict[str, Any]:
    form = form if form is not None else InquiryForm(initial=_initial(request))
    context: dict[str, Any] = {
        "form": form,
        "form_token": _TOKEN_MARK if placeholders else token,
        "honeypot": HONEYPOT,
        "problem": problem,
        "consent_text": consent_text(CONSENT_VERSION),
        "files_dropped": form.is_bound and bool(request.FILES),
    }
    if placeholders:
        context["csrf_token"] = _CSRF_MARK  # read by {% csrf_token %} instead of the request's
    return context


def _form_page(
    request: HttpRequest, form: InquiryForm, token: str, *, status: int = 200, problem: str = ""
) -> HttpResponse:
    return render(request, "inquiries/new.html", _form_context(request, form, token, problem=problem), status=status)


# --- the blank public form, cached ---------------------------------------------------------------
# Rendering base.html and the form (about 200 options) is most of a GET's cost. For the common case
# (an anonymous GET without query string or pending messages) the page is rendered once with two
# placeholders, kept in Django's cache, and each request fills in its own CSRF and form tokens. The
# entry is keyed by what the page shows: path (so language), demo banner state, this process's boot
# (a new release brings new templates, translations and static URLs) and the rows of the reference
# tables listed (their count and id range: bulk loads send no signals). Its stored version must match
# the shared version number, bumped by saving or deleting a province or a WTO member (apps.py).
FORM_CACHE_SECONDS = 15 * 60
FORM_CACHE_VERSION_KEY = "inquiries:new-form:version"
FORM_CACHE_MODELS = (Province, WTOMember)
_CSRF_MARK = "tbt-csrf-placeholder-9d41c7e2"  # noqa: S105 - a placeholder, not a secret
_TOKEN_MARK = "tbt-form-token-placeholder-9d41c7e2"  # noqa: S105 - a placeholder, not a secret
FORM_CACHE = CacheVersion(FORM_CACHE_VERSION_KEY)
form_cache_invalidate = FORM_CACHE.invalidate  # post_save/post_delete receiver (apps.py)


def _reference_fingerprint() -> tuple[Any, ...]:
    """Count and id range of each reference table on the form, in one query."""
    quote = connection.ops.quote_name
    selects = []
    for model in FORM_CACHE_MODELS:
        pk, table = quote(model._meta.pk.attname), quote(model._meta.db_table)
        selects.append(f"SELECT COUNT(*), MIN({pk}), MAX({pk}) FROM {table}")  # noqa: S608 - model metadata only
    sql = " UNION ALL ".join(selects)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchall())


def _form_page_cacheable(request: HttpRequest) -> bool:
    return request.method == "GET" and not request.META.get("QUERY_STRING") and page_for_anyone(request)


def _form_page_cached(request: HttpRequest) -> HttpResponse:
    key = f"inquiries:new-form:{page_digest(request, _reference_fingerprint())}"

    def render_page() -> str | None:
        html = render_to_string("inquiries/new.html", _form_context(request, placeholders=True), request=request)
        return html if html.count(_CSRF_MARK) == 1 and html.count(_TOKEN_MARK) == 1 else None

    html = versioned(FORM_CACHE, key, render_page, FORM_CACHE_SECONDS)
    if html is None:
        return _form_page(request, InquiryForm(initial=_initial(request)), form_token_new())
    # Both tokens are URL-safe ASCII: HTML escaping leaves them unchanged.
    return HttpResponse(html.replace(_CSRF_MARK, get_token(request)).replace(_TOKEN_MARK, form_token_new()))


def _blocked(request: HttpRequest, reason: str, *, ip_hash: str, email: str = "") -> HttpResponse:
    services.submission_block_record(
        reason=reason,
        ip_hash=ip_hash,
        email=email,
        path=request.path,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    if reason in (Reason.IP_RATE, Reason.EMAIL_RATE, Reason.TRACK_RATE):
        response = render(request, "inquiries/rate_limited.html", {"reason": reason}, status=429)
        response["Retry-After"] = str(
            settings.INQUIRY_RATE_IP_WINDOW_MINUTES * 60 if reason != Reason.EMAIL_RATE else 86400
        )
        return response
    return render(request, "inquiries/blocked.html", {"reason": reason}, status=400)


def _received_url(inquiry: Inquiry) -> str:
    return reverse("inquiries:received", kwargs={"token": signing.dumps(inquiry.code, salt=RECEIVED_SALT)})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def inquiry_new(request: HttpRequest) -> HttpResponse:
    """The public form. Spam checks without CAPTCHA: a hidden field, a minimum fill time, rate limits."""
    if request.method != "POST":
        if _form_page_cacheable(request):
            try:
                return _form_page_cached(request)
            except Exception:  # the cache unreachable: render the page as without it
                logger.warning("Cached enquiry form unavailable", exc_info=True)
        return _form_page(request, InquiryForm(initial=_initial(request)), form_token_new())
    ip_hash = services.secret_hash(client_ip(request))
    form = InquiryForm(request.POST, request.FILES)
    token = form_token_read(request.POST.get("form_token"))
    if request.POST.get(HONEYPOT):
        return _blocked(request, Reason.HONEYPOT, ip_hash=ip_hash, email=request.POST.get("email", ""))
    if token.key is None:
        # Forged or missing: logged; expired: a person who left the page open. Either way the form
        # comes back with everything typed and a fresh token.
        if token.problem != "expired":
            services.submission_block_record(
                reason=Reason.BAD_TOKEN,
                ip_hash=ip_hash,
                path=request.path,
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        form.is_valid()
        return _form_page(request, form, form_token_new(), status=400, problem=token.problem or "forged")
    existing = Inquiry.objects.filter(idempotency_key=token.key).only("code").first()
    if existing is not None:  # a double click or a resubmitted form: the same enquiry
        return HttpResponseRedirect(_received_url(existing))
    if token.age_seconds < settings.INQUIRY_MIN_FILL_SECONDS:
        services.submission_block_record(
            reason=Reason.TOO_FAST,
            ip_hash=ip_hash,
            email=request.POST.get("email", ""),
            path=request.path,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        form.is_valid()
        return _form_page(request, form, request.POST["form_token"], status=400, problem="too_fast")
    if not form.is_valid():
        return _form_page(request, form, request.POST["form_token"], status=400)
    reason = services.rate_limit_reason(ip_hash=ip_hash, email=form.cleaned_data["email"])
    if reason:
        return _blocked(request, reason, ip_hash=ip_hash, email=form.cleaned_data["email"])
    data = form.cleaned_data
    inquiry, _created = services.inquiry_submit(
        data=services.Submission(
            name=data["name"],
            organisation=data["organisation"],
            email=data["email"],
            phone=data["phone"],
            asker_type=data["asker_type"],
            province=data["province"],
            subject=data["subject"],
            question=data["question"],
            language=data["language"],
            consent_version=data["consent_version"],
            notification_symbol=data["notification_symbol"],
            hs_codes=data["hs_codes"],
            markets=list(data["markets"]),
        ),
        files=form.checked_files,
        idempotency_key=token.key,
        user=request.user if request.user.is_authenticated else None,
        ip_hash=ip_hash,
    )
    return HttpResponseRedirect(_received_url(inquiry))


@require_GET
def inquiry_received(request: HttpRequest, token: str) -> HttpResponse:
    try:
        code = signing.loads(token, salt=RECEIVED_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        raise Http404 from None
    inquiry = get_object_or_404(Inquiry, code=code)
    asker_remember(request, inquiry)
    return render(request, "inquiries/received.html", {"inquiry": inquiry})


# --- tracking ---------------------------------------------------------------------------------
def _track_failures_key(ip_hash: str) -> str:
    return f"inquiries:track-fail:{ip_hash}"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Follow an enquiry with its code and the e-mail address used (failed look-ups are limited)."""
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip_hash = services.secret_hash(client_ip(request))
        key = _track_failures_key(ip_hash)
        if (cache.get(key) or 0) >= settings.INQUIRY_TRACK_FAILURES_PER_HOUR:
            return _blocked(request, Reason.TRACK_RATE, ip_hash=ip_hash)
        inquiry = Inquiry.objects.filter(code=form.cleaned_data["code"], email=form.cleaned_data["email"]).first()
        if inquiry is not None:
            asker_remember(request, inquiry)
            return redirect("inquiries:track_detail", code=inquiry.code)
        cache.add(key, 0, timeout=3600)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=3600)
        form.add_error(None, _("No enquiry matches this tracking code and e-mail address."))
    return render(request, "inquiries/track.html", {"form": form})


@never_cache
def track_secret(request: HttpRequest, secret: str) -> HttpResponse:
    """The secret link from the e-mails: opens the tracking page in any browser."""
    inquiry = get_object_or_404(Inquiry, secret=secret)
    asker_remember(request, inquiry)
    return redirect("inquiries:track_detail", code=inquiry.code)


def _track_context(request: HttpRequest, inquiry: Inquiry, info_form: InfoForm | None = None) -> dict[str, Any]:
    show_answer = inquiry.state in (Inquiry.State.ANSWERED, Inquiry.State.CLOSED)
    attachments = [a for a in inquiry.attachments.all() if attachment_visible_to_asker(a)]
    return {
        "inquiry": inquiry,
        "show_answer": show_answer,
        "question_files": [a for a in attachments if a.kind != Attachment.Kind.ANSWER],
        "answer_files": [a for a in attachments if a.kind == Attachment.Kind.ANSWER] if show_answer else [],
        "messages_to_asker": inquiry.messages.prefetch_related("attachments").order_by("created_at"),
        "info_form": info_form or (InfoForm() if inquiry.state == Inquiry.State.INFO_REQUESTED else None),
        "can_withdraw": Inquiry.State.WITHDRAWN in Inquiry.TRANSITIONS[inquiry.state],
        "can_erase": inquiry.personal_data_erased_at is None and inquiry.erasure_requested_at is None,
        "hs_codes": inquiry.hs_codes.all(),
        "markets": inquiry.markets.all(),
        "Direction": Message.Direction,
    }


@never_cache
@require_GET
def track_detail(request: HttpRequest, code: str) -> HttpResponse:
    inquiry = inquiry_for_asker(request, code)
    return render(request, "inquiries/track_detail.html", _track_context(request, inquiry))


@require_POST
def track_info(request: HttpRequest, code: str) -> HttpResponse:
    """The asker adds the information that was asked for."""
    inquiry = inquiry_for_asker(request, code)
    form = InfoForm(request.POST, request.FILES)
    if inquiry.state != Inquiry.State.INFO_REQUESTED:
        messages.error(request, _("No information is being asked for at the moment."))
        return redirect("inquiries:track_detail", code=inquiry.code)
    if not form.is_valid():
        return render(request, "inquiries/track_detail.html", _track_context(request, inquiry, form), status=400)
    try:
        services.inquiry_add_info(
            inquiry=inquiry,
            text=form.cleaned_data["text"],
            files=form.checked_files,
            actor=request.user if request.user.is_authenticated else None,
        )  # type: ignore[arg-type]
    except services.InquiryError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you: the information was sent to the officials handling your enquiry."))
    return redirect("inquiries:track_detail", code=inquiry.code)


@require_POST
def track_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    inquiry = inquiry_for_asker(request, code)
    try:
        services.inquiry_withdraw(inquiry=inquiry, actor=request.user if request.user.is_authenticated else None)  # type: ignore[arg-type]
    except services.InquiryError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your enquiry was withdrawn."))
    return redirect("inquiries:track_detail", code=inquiry.code)


@require_POST
def track_erase(request: HttpRequest, code: str) -> HttpResponse:
    inquiry = inquiry_for_asker(request, code)
    inquiry = services.inquiry_request_erasure(
        inquiry=inquiry, actor=request.user if request.user.is_authenticated else None
    )  # type: ignore[arg-type]
    if inquiry.personal_data_erased_at:
        messages.success(request, _("Your personal data were erased from this enquiry."))
    else:
        messages.success(
            request, _("Your request was recorded: your personal data will be erased as soon as the enquiry is closed.")
        )
    return redirect("inquiries:track_detail", code=inquiry.code)


def _file(request: HttpRequest, inquiry: Inquiry, public_id: UUID) -> HttpResponseBase:
    attachment = inquiry.attachments.filter(public_id=public_id).first()
    if attachment is None or not attachment_visible_to_asker(attachment):
        raise Http404
    return attachment_response(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


@require_GET
def track_file(request: HttpRequest, secret: str, public_id: UUID) -> HttpResponseBase:
    """A file of the enquiry for the asker, through the secret link (as in the answer e-mail)."""
    return _file(request, get_object_or_404(Inquiry, secret=secret), public_id)


@require_GET
def track_file_session(request: HttpRequest, code: str, public_id: UUID) -> HttpResponseBase:
    return _file(request, inquiry_for_asker(request, code), public_id)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """A registered business's own enquiries."""
    page = Paginator(selectors.inquiries_of_asker(user=request.user), 25).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    return render(request, "inquiries/mine.html", {"page": page})


# --- FAQ and HS look-up -----------------------------------------------------------------------
@require_GET
def faq(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:200]
    page = Paginator(selectors.faq_search(q=q), 20).get_page(request.GET.get("page"))
    return render(request, "inquiries/faq.html", {"page": page, "q": q})


@require_GET
def faq_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    entry = get_object_or_404(FAQEntry, public_id=public_id, is_published=True)
    return render(request, "inquiries/faq_detail.html", {"entry": entry, "hs_codes": entry.hs_codes.all()})


@require_GET
def hs_codes(request: HttpRequest) -> JsonResponse:
    """Type-ahead for the public form: ``?q=`` a code prefix or words of the description."""
    results = selectors.hs_search(q=(request.GET.get("q") or "")[:100])
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "public, max-age=3600"
    return response
