"""Accounts forms: validation only; the writes are in services_accounts."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import services_accounts as svc
from .models import User

PHONE_RE = re.compile(r"^\+?[0-9 ().-]{6,20}$")


class _Plain:
    """No colon after labels: the labels read exactly "E-mail", "Password"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class LoginForm(_Plain, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("The e-mail address or the password is not correct."),
        "inactive": _("This account is disabled. Please contact the administrator of the portal."),
    }

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            # The backends refuse inactive accounts like a wrong password. When the password
            # was right, say why (only then: this reveals nothing to someone guessing).
            inactive = self._inactive_owner()
            if inactive is not None:
                raise self._inactive_error(inactive) from None
            raise

    def _inactive_owner(self) -> User | None:
        if self.request is None or getattr(self.request, "axes_locked_out", False):
            return None
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not email or not password:
            return None
        user = User.objects.filter(email__iexact=email, is_active=False).first()
        if user is not None and user.check_password(password):
            return user
        return None

    def _inactive_error(self, user: User) -> ValidationError:
        if user.is_business and user.email_verified_at is None:
            return ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Your e-mail address has not been verified yet. Open the link in the e-mail we sent you."),
                    reverse("accounts:verify_resend"),
                    _("Send me a new link"),
                ),
                code="unverified",
            )
        return ValidationError(self.error_messages["inactive"], code="inactive")


def _password_errors(password: str, user: User) -> None:
    password_validation.validate_password(password, user)


class RegistrationForm(_Plain, forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=255,
        help_text=_("The company or association you work for."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("We will send a link to this address to activate the account."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the e-mails the portal sends you."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 12 characters; not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    consent = forms.BooleanField(
        label=_("I agree that the portal keeps the data above to manage my account and to answer my requests."),
        error_messages={"required": _("Please give your consent to create an account.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("language", (get_language() or "vi")[:2])

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data.get("phone") or "").strip()
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(_("Enter a phone number with digits only, for example 024 3791 1234."))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            probe = User(
                email=data.get("email") or "",
                full_name=data.get("full_name") or "",
                organisation=data.get("organisation") or "",
            )
            try:
                _password_errors(p1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ResendVerificationForm(_Plain, forms.Form):
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class PortalPasswordResetForm(_Plain, PasswordResetForm):
    """Django's reset form, but the e-mail goes through the outbox in the user's language."""

    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def send_mail(  # type: ignore[override]
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        svc.password_reset_email(user=context["user"], uid=context["uid"], token=context["token"])


class PortalSetPasswordForm(_Plain, SetPasswordForm):  # type: ignore[type-arg]
    """The new password after a reset link: validators apply, the change is recorded."""

    def save(self, commit: bool = True) -> Any:
        return svc.password_set(user=self.user, password=self.cleaned_data["new_password1"], actor=None, reset=True)


class PortalPasswordChangeForm(_Plain, PasswordChangeForm):  # type: ignore[type-arg]
    def save(self, commit: bool = True) -> Any:
        return svc.password_set(user=self.user, password=self.cleaned_data["new_password1"], actor=self.user)


class ProfileForm(_Plain, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ["full_name", "organisation", "phone", "language"]
        labels = {
            "full_name": _("Full name"),
            "organisation": _("Organisation"),
            "phone": _("Phone"),
            "language": _("Preferred language"),
        }
        help_texts = {"language": _("The language of the e-mails the portal sends you.")}
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.is_business:
            # An official's organisation is their TBT point, set by an administrator.
            del self.fields["organisation"]

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data.get("phone") or "").strip()
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(_("Enter a phone number with digits only, for example 024 3791 1234."))
        return phone

    def changes(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.fields}


class OTPCodeForm(_Plain, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code shown by your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class TwoFactorConfirmForm(_Plain, forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("Enter the 6-digit code your authenticator app shows now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code = "".join(ch for ch in str(self.cleaned_data["code"]) if ch.isdigit())
        if len(code) != 6:
            raise ValidationError(_("Enter the 6 digits shown by the app."))
        return code


class PasswordConfirmForm(_Plain, forms.Form):
    """Ask for the current password again before a sensitive change."""

    password = forms.CharField(
        label=_("Current password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not correct."))
        return password
