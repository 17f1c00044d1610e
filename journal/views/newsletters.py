"""Newsletter pages: subscribe, confirm, preferences and unsubscribe, without an account.

The subscribe page is the same for everyone, but its form carries a CSRF
token (and sets its cookie), so neither the page cache nor a cache in front
keeps it. The other pages are reached by signed links from e-mails: the
link is their key, so they are never cached, indexed or passed to another
site as a referrer (`keep_private`; `same-origin` on pages with a form, whose
posts browsers would otherwise send from "Origin: null"). The rules live in
journal/services/newsletters.py.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, View

from journal.admin.throttling import client_ip
from journal.forms.filters import listed
from journal.models import Subscriber
from journal.services.newsletters import (
    CONFIRM_WINDOW,
    ExpiredLink,
    Follows,
    InvalidLink,
    followed_names,
    preferences_url,
    subscriber_confirm,
    subscriber_erase,
    subscriber_for_confirmation,
    subscriber_for_link,
    subscriber_update,
    subscription_allowed,
    subscription_request,
)
from journal.views.preview import keep_private
from summits.models import Country, Framework


class FollowForm(forms.Form):
    """What to follow and how often: the whole journal, or countries and frameworks by slug."""

    everything = forms.BooleanField(required=False, label=_("Everything the journal publishes"))
    countries = forms.MultipleChoiceField(
        required=False,
        label=_("Countries"),
        choices=listed("countries", Country.objects.all()),
        widget=forms.CheckboxSelectMultiple,
    )
    frameworks = forms.MultipleChoiceField(
        required=False,
        label=_("Frameworks"),
        choices=listed("frameworks", Framework.objects.all()),
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("everything") or cleaned.get("countries") or cleaned.get("frameworks")):
            raise ValidationError(
                _("Choose the whole journal, or at least one country or framework.")
            )
        return cleaned

    def follows(self) -> Follows:
        data = self.cleaned_data
        if data["everything"]:
            return Follows(everything=True)
        return Follows.from_slugs(
            everything=False, countries=data["countries"], frameworks=data["frameworks"]
        )


class SubscribeForm(FollowForm):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["email", "everything", "countries", "frameworks", "frequency"]


class PreferencesForm(FollowForm):
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES)

    field_order = ["everything", "countries", "frameworks", "frequency", "language"]


class FollowLinkForm(forms.Form):
    """What a "Follow … by e-mail" link ticks in advance: ?country=kazakhstan&framework=c5."""

    country = forms.MultipleChoiceField(
        required=False, choices=listed("countries", Country.objects.all())
    )
    framework = forms.MultipleChoiceField(
        required=False, choices=listed("frameworks", Framework.objects.all())
    )


def _private(response):
    """Not kept by any cache: the page carries a CSRF token or answers a form."""
    patch_cache_control(response, private=True)
    return response


class NewsletterView(FormView):
    """The subscribe form; its answer is the same whether the address is known or not."""

    template_name = "journal/newsletter.html"
    form_class = SubscribeForm

    def get_initial(self):
        link = FollowLinkForm(self.request.GET or None)
        if not link.is_valid():
            return {}
        return {
            "countries": link.cleaned_data["country"],
            "frameworks": link.cleaned_data["framework"],
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "valid_days": CONFIRM_WINDOW.days}

    def render_to_response(self, context, **kwargs):
        return _private(super().render_to_response(context, **kwargs))

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not subscription_allowed(client=client_ip(self.request), email=email):
            return self.render_to_response(
                self.get_context_data(form=form, throttled=True), status=429
            )
        subscription_request(
            email=email,
            language=get_language(),
            frequency=form.cleaned_data["frequency"],
            follows=form.follows(),
        )
        context = {"email": email, "valid_days": CONFIRM_WINDOW.days}
        return _private(render(self.request, "journal/newsletter_sent.html", context))


def _bad_link(request, error: InvalidLink):
    """A link that never was (404), or one that no longer works (410), said plainly."""
    expired = isinstance(error, ExpiredLink)
    response = render(
        request,
        "journal/newsletter_link.html",
        {"expired": expired, "valid_days": CONFIRM_WINDOW.days},
        status=410 if expired else 404,
    )
    return keep_private(response)


class NewsletterConfirmView(View):
    """The link in the confirmation e-mail: a button that confirms (link checkers only look)."""

    template_name = "journal/newsletter_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.subscriber = subscriber_for_confirmation(kwargs["token"])
        except InvalidLink as error:
            return _bad_link(request, error)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        state = "already" if self.subscriber.is_confirmed else "ask"
        return self._page(state)

    def post(self, request, *args, **kwargs):
        confirmed = subscriber_confirm(subscriber=self.subscriber)
        return self._page("confirmed" if confirmed else "already")

    def _page(self, state: str):
        context = {
            "state": state,
            "subscriber": self.subscriber,
            "follows": followed_names(self.subscriber),
            "preferences_url": preferences_url(self.subscriber)
            if self.subscriber.is_confirmed
            else "",
        }
        return keep_private(
            render(self.request, self.template_name, context), referrer_policy="same-origin"
        )


class NewsletterPreferencesView(View):
    """What a subscriber follows, how often and in which language; and the way out."""

    template_name = "journal/newsletter_preferences.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.subscriber = subscriber_for_link(kwargs["token"])
        except InvalidLink as error:
            return _bad_link(request, error)
        if self.subscriber is None:
            return _bad_link(request, ExpiredLink())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        subscriber = self.subscriber
        form = PreferencesForm(
            initial={
                "everything": subscriber.everything,
                "countries": list(subscriber.countries.values_list("slug", flat=True)),
                "frameworks": list(subscriber.frameworks.values_list("slug", flat=True)),
                "frequency": subscriber.frequency,
                "language": subscriber.language,
            }
        )
        return self._page(form)

    def post(self, request, *args, **kwargs):
        form = PreferencesForm(request.POST)
        if not form.is_valid():
            return self._page(form)
        subscriber_update(
            subscriber=self.subscriber,
            language=form.cleaned_data["language"],
            frequency=form.cleaned_data["frequency"],
            follows=form.follows(),
        )
        return self._page(form, saved=True)

    def _page(self, form, *, saved: bool = False):
        context = {
            "form": form,
            "saved": saved,
            "subscriber": self.subscriber,
            "token": self.kwargs["token"],
        }
        return keep_private(
            render(self.request, self.template_name, context), referrer_policy="same-origin"
        )


@method_decorator(csrf_exempt, name="dispatch")
class NewsletterUnsubscribeView(View):
    """Unsubscribing: a button on GET; a POST unsubscribes at once (RFC 8058 one-click).

    Mail programs POST here from the List-Unsubscribe header, without a CSRF
    token or a visit: the signed link is the proof. Only this view is exempt.
    """

    template_name = "journal/newsletter_unsubscribe.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.subscriber = subscriber_for_link(kwargs["token"])
        except InvalidLink as error:
            return _bad_link(request, error)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self._page("ask" if self.subscriber else "gone")

    def post(self, request, *args, **kwargs):
        if self.subscriber is not None:
            subscriber_erase(email=self.subscriber.email)
        return self._page("done")

    def _page(self, state: str):
        context = {"state": state, "subscriber": self.subscriber}
        return keep_private(
            render(self.request, self.template_name, context), referrer_policy="same-origin"
        )
