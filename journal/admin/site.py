"""The newsroom's admin site: Django's, with two-factor logins for those who use them."""

from django.contrib import admin
from django.urls import path
from django_otp import user_has_device

from journal.admin.calendar import EditorialCalendarView
from journal.admin.two_factor import LoginForm, two_factor


class NewsroomAdminSite(admin.AdminSite):
    """The admin, with two-factor logins for the accounts that use them."""

    login_form = LoginForm

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        # With a device, only a session verified by a code may enter. One query
        # a request: the admin asks this several times per page.
        if request.user.is_verified():
            return True
        if not hasattr(request, "_journal_has_otp_device"):
            request._journal_has_otp_device = user_has_device(request.user)
        return not request._journal_has_otp_device

    def get_urls(self):
        return [
            path("two-factor/", self.admin_view(self.two_factor_view), name="two_factor"),
            path(
                "calendar/",
                self.admin_view(EditorialCalendarView.as_view(admin_site=self)),
                name="editorial_calendar",
            ),
            *super().get_urls(),
        ]

    def two_factor_view(self, request):
        return two_factor(request, self)

    def autocomplete_view(self, request):
        # PostgreSQL refuses a NUL character in a query; a search term cannot
        # mean one. For every autocomplete, Django's user admin's included.
        if "\x00" in request.GET.get("term", ""):
            request.GET = request.GET.copy()
            request.GET["term"] = request.GET["term"].replace("\x00", "")
        return super().autocomplete_view(request)
