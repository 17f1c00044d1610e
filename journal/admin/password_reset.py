"""Forgotten passwords: a link by e-mail from the admin's login page, then a new password.

Django's own views and forms, under the admin's address (so the page cache
never keeps them), with these differences:

* only staff accounts are sent a link, and one account one link per
  RESET_INTERVAL at most (the outbox remembers), so the form cannot flood a
  mailbox;
* the message (plain text and HTML, naming the journal) goes through the
  outbox, so a mail outage never turns the request into an error page, and
  its link starts with DJANGO_SITE_URL, never with the Host the request
  claimed;
* setting the new password does not log in. The admin's login still asks
  an account with two-factor login for its code, and a login lockout
  (django-axes) still stands until it ends: the reset proves the mailbox,
  not the phone.
"""

import datetime

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone

from journal.models import OutgoingEmail
from journal.services.outbox import absolute_url, email_queue

# One reset e-mail per account in this long, however often it is asked for.
RESET_INTERVAL = datetime.timedelta(minutes=10)
Kind = OutgoingEmail.Kind


def _key_prefix(user) -> str:
    return f"password-reset:{user.pk}:"


class StaffPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        since = timezone.now() - RESET_INTERVAL
        for user in super().get_users(email):
            recent = OutgoingEmail.objects.filter(
                kind=Kind.PASSWORD_RESET, key__startswith=_key_prefix(user), created_at__gte=since
            )
            if user.is_staff and not recent.exists():
                yield user

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        reset_path = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        context = {
            **context,
            "site_name": settings.SITE_NAME,
            "reset_url": absolute_url(reset_path),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
        }
        subject = " ".join(render_to_string(subject_template_name, context).split())
        html = ""
        if html_email_template_name:
            html = render_to_string(html_email_template_name, context)
        email_queue(
            kind=Kind.PASSWORD_RESET,
            # Two requests in the same second (a double click) make one message.
            key=f"{_key_prefix(context['user'])}{int(timezone.now().timestamp())}",
            to=[to_email],
            subject=subject,
            body=render_to_string(email_template_name, context).strip() + "\n",
            html=html,
        )


class AdminPage:
    """The admin's header, title and styles around Django's registration pages."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **admin.site.each_context(self.request)}


class ResetRequestView(AdminPage, auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    subject_template_name = "email/password_reset_subject.txt"
    email_template_name = "email/password_reset.txt"
    html_email_template_name = "email/password_reset.html"


class ResetSentView(AdminPage, auth_views.PasswordResetDoneView):
    pass


class ResetConfirmView(AdminPage, auth_views.PasswordResetConfirmView):
    # The new password, and nothing more: logging in stays the login page's
    # job, with its two-factor code and its lockouts.
    post_reset_login = False


class ResetCompleteView(AdminPage, auth_views.PasswordResetCompleteView):
    pass


# Included under the admin's address by journal/urls.py. The names are those
# Django's admin templates and auth views look for, outside the admin's namespace.
urlpatterns = [
    path("password_reset/", ResetRequestView.as_view(), name="admin_password_reset"),
    path("password_reset/done/", ResetSentView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", ResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", ResetCompleteView.as_view(), name="password_reset_complete"),
]
