"""Accounts: every write about a person's own account (registration, verification, passwords,
profile, second factor), each with its event row and its e-mail through the outbox.

Views call these functions; forms only validate. E-mail links are built in the recipient's
language (Vietnamese unprefixed, English under /en/).
"""

from __future__ import annotations

import io
from base64 import b32encode, b64encode
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .events import event_record
from .models import OutboxEmail, User
from .outbox import email_enqueue

VERIFY_SALT = "network.accounts.verify-email"
VERIFY_MAX_AGE = timedelta(days=3)
# A new verification e-mail to the same address is not queued more often than this.
VERIFY_RESEND_INTERVAL = timedelta(minutes=2)
BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup-codes"


class AccountError(Exception):
    """A refused account change; ``str(exc)`` is a translated message for the user."""


def absolute_url(viewname: str, *, language: str, kwargs: dict[str, Any] | None = None) -> str:
    """A full link to a page of the portal, in the given language."""
    with translation.override(language if language in {"vi", "en"} else "vi"):
        return settings.SITE_URL + reverse(viewname, kwargs=kwargs)


# --- Registration and e-mail verification -------------------------------------------------------
def verification_token_make(*, user: User) -> str:
    """A signed, timestamped token naming the account and the address it was sent to."""
    return signing.TimestampSigner(salt=VERIFY_SALT).sign_object({"u": user.pk, "e": user.email}, compress=True)


class TokenProblem(Enum):
    BAD = "bad"
    EXPIRED = "expired"


def verification_token_read(token: str) -> User | TokenProblem:
    """The account a verification token names, or why it cannot be used."""
    signer = signing.TimestampSigner(salt=VERIFY_SALT)
    try:
        data = signer.unsign_object(token, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired:
        return TokenProblem.EXPIRED
    except signing.BadSignature:
        return TokenProblem.BAD
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("e"), str):
        return TokenProblem.BAD
    user = User.objects.filter(pk=data["u"], email=data["e"]).first()
    return user if user is not None else TokenProblem.BAD


def _verification_email(*, user: User) -> OutboxEmail:
    link = absolute_url("accounts:verify", language=user.language, kwargs={"token": verification_token_make(user=user)})
    return email_enqueue(
        to=user.email,
        template="account_verify",
        context={"user": user, "link": link, "days": VERIFY_MAX_AGE.days},
        language=user.language,
    )


def business_register(
    *,
    full_name: str,
    organisation: str,
    email: str,
    phone: str,
    language: str,
    password: str,
) -> User | None:
    """Create an inactive business account and send the verification link.

    Only ever creates the business role. If the address is already registered, nothing is
    created and the owner of the address is told by e-mail instead (so the form never reveals
    which addresses have accounts); returns None in that case.
    """
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        existing = User.objects.select_for_update(of=("self",)).filter(email__iexact=email).first()
        if existing is not None:
            _registration_again(user=existing)
            return None
        user = User(
            email=email,
            full_name=full_name.strip(),
            organisation=organisation.strip(),
            phone=phone.strip(),
            language=language if language in {"vi", "en"} else "vi",
            role=User.Role.BUSINESS,
            point=None,
            is_active=False,
            is_staff=False,
            is_superuser=False,
        )
        user.set_password(password)
        try:
            with transaction.atomic():  # a savepoint: two simultaneous sign-ups of one address
                user.save()
        except IntegrityError:
            _registration_again(user=User.objects.get(email__iexact=email))
            return None
        event_record(obj=user, actor=None, verb="account_registered", to_state="unverified", note=user.organisation)
        _verification_email(user=user)
    return user


def _registration_again(*, user: User) -> None:
    """Someone registered an address that already has an account: tell its owner."""
    if user.is_business and user.email_verified_at is None:
        verification_resend(email=user.email)
        return
    email_enqueue(
        to=user.email,
        template="account_exists",
        context={
            "user": user,
            "login_link": absolute_url("accounts:login", language=user.language),
            "reset_link": absolute_url("accounts:password_reset", language=user.language),
        },
        language=user.language,
    )


class VerifyResult(Enum):
    VERIFIED = "verified"
    ALREADY = "already"


def account_verify(*, user: User) -> VerifyResult:
    """Activate a business account whose address was just proved. Idempotent.

    An account verified earlier is left as it is, so a verification link can never reactivate
    an account that an administrator has since disabled.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        if locked.email_verified_at is not None:
            return VerifyResult.ALREADY
        locked.email_verified_at = timezone.now()
        locked.is_active = True
        locked.save(update_fields=["email_verified_at", "is_active"])
        event_record(obj=locked, actor=None, verb="account_verified", from_state="unverified", to_state="active")
    user.refresh_from_db()
    return VerifyResult.VERIFIED


def verification_resend(*, email: str) -> bool:
    """Queue a new verification link if the address belongs to an unverified business account.

    Returns whether an e-mail was queued; callers show the same message either way.
    """
    email = email.strip().lower()
    with transaction.atomic():
        user = (
            User.objects.select_for_update(of=("self",))
            .filter(email__iexact=email, role=User.Role.BUSINESS, email_verified_at__isnull=True)
            .first()
        )
        if user is None:
            return False
        recent = OutboxEmail.objects.filter(
            to=user.email, template="account_verify", created_at__gte=timezone.now() - VERIFY_RESEND_INTERVAL
        ).exists()
        if recent:
            return False
        _verification_email(user=user)
        event_record(obj=user, actor=None, verb="verification_resent")
    return True


# --- Passwords and profile ----------------------------------------------------------------------
def password_set(*, user: User, password: str, actor: User | None, reset: bool = False) -> User:
    """Change a password (validated by the form) and record it."""
    with transaction.atomic():
        locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        locked.set_password(password)
        locked.save(update_fields=["password"])
        event_record(obj=locked, actor=actor, verb="password_reset" if reset else "password_changed")
    # The caller's object must carry the new hash (update_session_auth_hash reads it).
    user.password = locked.password
    if reset:
        # Proving ownership of the address lifts a lockout of this account.
        from axes.utils import reset as axes_reset

        axes_reset(username=user.email)
    return user


def password_reset_email(*, user: User, uid: str, token: str) -> OutboxEmail:
    link = absolute_url(
        "accounts:password_reset_confirm", language=user.language, kwargs={"uidb64": uid, "token": token}
    )
    return email_enqueue(
        to=user.email,
        template="account_password_reset",
        context={"user": user, "link": link, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
        language=user.language,
    )


PROFILE_FIELDS = ("full_name", "phone", "language", "organisation")


def profile_update(*, user: User, changes: dict[str, str]) -> list[str]:
    """Save the person's own editable fields; returns the names of the fields that changed."""
    allowed = set(PROFILE_FIELDS) if user.is_business else set(PROFILE_FIELDS) - {"organisation"}
    with transaction.atomic():
        locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        changed = [f for f, v in changes.items() if f in allowed and getattr(locked, f) != v]
        if not changed:
            return []
        for field in changed:
            setattr(locked, field, changes[field])
        locked.save(update_fields=changed)
        event_record(obj=locked, actor=user, verb="profile_updated", note=", ".join(changed))
    for field in changed:
        setattr(user, field, changes[field])
    return changed


# --- Second factor (TOTP + backup codes) --------------------------------------------------------
def may_use_second_factor(user: Any) -> bool:
    """Every official may protect the account with a second factor."""
    return bool(
        user.is_authenticated
        and (
            getattr(user, "is_officer", False)
            or getattr(user, "is_board", False)
            or getattr(user, "is_portal_admin", False)
        )
    )


def totp_device_confirmed(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(
        device__user=user, device__confirmed=True, device__name=BACKUP_DEVICE_NAME
    ).count()


class SecondFactorStep(Enum):
    NONE = "none"  # nothing more to do
    VERIFY = "verify"  # has a second factor and has not used it in this session
    SETUP = "setup"  # must set one up before using the portal


def second_factor_step(user: Any) -> SecondFactorStep:
    """What a logged-in person still owes before using the portal (django-otp's is_verified)."""
    if not user.is_authenticated:
        return SecondFactorStep.NONE
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return SecondFactorStep.NONE
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return SecondFactorStep.VERIFY
    if settings.OTP_REQUIRED_FOR_ADMINS and getattr(user, "is_portal_admin", False):
        return SecondFactorStep.SETUP
    return SecondFactorStep.NONE


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The not yet confirmed authenticator being set up (the same secret until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@dataclass(frozen=True)
class Provisioning:
    secret: str  # base32, for typing into an app by hand
    qr_data_uri: str  # an SVG image of the otpauth:// URL
    url: str


def totp_provisioning(device: TOTPDevice) -> Provisioning:
    url = device.config_url
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = b64encode(buffer.getvalue()).decode("ascii")
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return Provisioning(
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        qr_data_uri=f"data:image/svg+xml;base64,{svg}",
        url=url,
    )


def _backup_codes_new(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def two_factor_enable(*, user: User, device_id: int, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code from it; create the backup codes.

    Raises AccountError when the code is wrong; then only django-otp's failure counter changes
    (it must survive, or guessing would never be slowed down).
    """
    problem = ""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update(of=("self",)).filter(pk=device_id, user=user, confirmed=False).first()
        )
        if device is None:
            problem = _("This set-up has expired. Please start again.")
        elif not device.verify_is_allowed()[0]:
            problem = _("Too many wrong codes. Wait a minute and try again.")
        elif not device.verify_token(_digits(token)):
            problem = _("The code is not correct. Check the time on your phone and try again.")
        else:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _backup_codes_new(user=user)
            event_record(obj=user, actor=user, verb="two_factor_enabled", from_state="off", to_state="on")
    if problem or device is None:
        raise AccountError(problem)
    return device, codes


def two_factor_disable(*, user: User, actor: User | None = None) -> None:
    """Remove every second-factor device of the person: by themselves (password checked by the
    form) or by an administrator for someone who lost phone and backup codes (``actor``)."""
    with transaction.atomic():
        User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        event_record(obj=user, actor=actor or user, verb="two_factor_disabled", from_state="on", to_state="off")


def backup_codes_regenerate(*, user: User) -> list[str]:
    with transaction.atomic():
        User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise AccountError(_("The second factor is not enabled."))
        codes = _backup_codes_new(user=user)
        event_record(obj=user, actor=user, verb="backup_codes_regenerated")
    return codes


def _digits(token: str) -> str:
    return "".join(ch for ch in token if ch.isdigit())


def _backup_form(token: str) -> str:
    return "".join(ch for ch in token.lower() if ch.isalnum())


class OTPResult(Enum):
    OK = "ok"
    WRONG = "wrong"
    THROTTLED = "throttled"


def otp_check(*, user: User, token: str) -> tuple[OTPResult, Device | None]:
    """Check a code from the authenticator (6 digits) or a backup code (used up when accepted).

    Only the kind of device the code looks like is tried, so a mistyped code does not slow down
    both; django-otp's throttling (growing delays after each failure) applies per device.
    """
    raw = token.strip().replace(" ", "").replace("-", "")
    is_totp = raw.isdigit() and len(raw) == 6
    model: type[Device] = TOTPDevice if is_totp else StaticDevice
    candidate = _digits(raw) if is_totp else _backup_form(raw)
    if not candidate:
        return OTPResult.WRONG, None
    throttled = False
    with transaction.atomic():
        for device in model.objects.filter(user=user, confirmed=True).select_for_update(of=("self",)):
            if not device.verify_is_allowed()[0]:
                throttled = True
                continue
            if device.verify_token(candidate):
                return OTPResult.OK, device
    return (OTPResult.THROTTLED if throttled else OTPResult.WRONG), None
