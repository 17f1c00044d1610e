"""Optional two-factor logins for the newsroom: a code from an authenticator app.

Each member of staff may turn it on for their own account, from "Two-factor
login" in the admin's header: they scan a QR code into an app (any TOTP app:
Google Authenticator, 1Password, Aegis…) and confirm with the code it shows.
From then on the admin's login asks for a code as well as the password, and a
session that was not verified with a code cannot open the admin. Accounts
without it log in as before. Administrators can remove a lost phone's device
under "TOTP devices" in the admin. Built on django-otp.
"""

import base64

import segno
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from journal.services.staff import in_newsroom_group

DEVICE_NAME = "Authenticator app"


def _code_field() -> forms.CharField:
    return forms.CharField(
        label="Code from your authenticator app",
        required=False,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )


class LoginForm(AdminAuthenticationForm):
    """The admin's login, asking for a code from those who turned two-factor on.

    It also says why a right password does not let an account in: no newsroom
    group, or Staff status turned off (journal/services/staff.py).
    """

    otp_token = _code_field()

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "no_newsroom_group": _(
            "This account is not in a newsroom group yet, so it cannot use the admin. "
            "Ask an administrator to add you to Writers, Editors or Summit desk."
        ),
        "not_staff": _(
            "This account’s Staff status is turned off, so it cannot use the admin. "
            "Ask an administrator to turn it on."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].widget.attrs["aria-describedby"] = "id_otp_token_helptext"

    def confirm_login_allowed(self, user):
        """Say why a right password does not let this account in, and what to do.

        Django's admin answers an account without Staff status as it answers a
        wrong password. This is only reached once the password is right, so
        saying why tells a guesser nothing. An inactive account never gets here
        (the authentication backend refuses it first, as a wrong password);
        Django's own check for one stays first all the same.
        """
        AuthenticationForm.confirm_login_allowed(self, user)
        if not user.is_staff:
            code = "not_staff" if in_newsroom_group(user) else "no_newsroom_group"
            raise forms.ValidationError(self.error_messages[code], code=code)

    def clean(self):
        cleaned_data = super().clean()  # the password; django-axes counts failures
        user = self.get_user()
        devices = list(devices_for_user(user)) if user else []
        if not devices:
            return cleaned_data
        token = (cleaned_data.get("otp_token") or "").replace(" ", "")
        if not token:
            raise forms.ValidationError(
                "This account uses two-factor login: enter the code your authenticator app shows.",
                code="token_required",
            )
        for device in devices:
            if verified := verify_token(user, device.persistent_id, token):
                # django-otp marks the session verified when Django logs the user in.
                user.otp_device = verified
                return cleaned_data
        # A wrong code counts as a failed login, so guessing codes is throttled too.
        user_login_failed.send(
            sender=__name__,
            credentials={"username": cleaned_data.get("username")},
            request=self.request,
        )
        raise forms.ValidationError(
            "That code is not right, or has expired. Enter the code your app shows now.",
            code="invalid_token",
        )


class CodeForm(forms.Form):
    otp_token = _code_field()

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.fields["otp_token"].required = True

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].replace(" ", "")
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                "That code is not right, or has expired. Enter the code your app shows now."
            )
        return token


def _secret(device: TOTPDevice) -> str:
    """The key as authenticator apps take it typed in: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@sensitive_post_parameters("otp_token")
def two_factor(request, site: admin.AdminSite):
    """Turn two-factor login on (scan, then confirm a code) or off (with a code)."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed:
        device, action = confirmed, "disable"
    else:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        action = "enable"

    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if action == "enable":
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)  # this session has just shown a code
            messages.success(
                request, "Two-factor login is on: from now on, logging in asks for a code."
            )
        else:
            device.delete()
            messages.success(request, "Two-factor login is off for your account.")
        return redirect("admin:two_factor")

    context = {
        **site.each_context(request),
        "title": "Two-factor login",
        "action": action,
        "form": form,
    }
    if action == "enable":
        # The app lists the account under the journal's name (OTP_TOTP_ISSUER).
        context["qr_code"] = segno.make(device.config_url, error="m").svg_data_uri(
            scale=5, border=2
        )
        context["secret"] = _secret(device)
    return TemplateResponse(request, "admin/two_factor.html", context)
