"""The workflow buttons of the article page: the step each posts, its help and its message."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from journal.models import Article
from journal.services.workflow import Step

# The name the workflow buttons post their step under, and the form's inputs for steps.
STEP_FIELD = "workflow_step"
WORKFLOW_INPUTS = {STEP_FIELD, "schedule_at", "send_back_note"}


def posted_step(request) -> Step | None:
    """The step a button of the article form asks for, if any (the form refuses unknown ones)."""
    value = request.POST.get(STEP_FIELD)
    return Step(value) if value in Step.values else None


# Shown on the article form, changed only by its workflow buttons.
WORKFLOW_FIELDS = ["status", "publish_at", "review_note"]
# Under each button: what pressing it does.
STEP_HELP = {
    Step.SUBMIT: gettext_lazy("Saves your changes and asks the editors to review the article."),
    Step.PUBLISH: gettext_lazy("Saves your changes and puts the article on the site now."),
    Step.SCHEDULE: gettext_lazy("Saves your changes; the article goes live at the time above."),
    Step.RESCHEDULE: gettext_lazy("Saves your changes and moves the time it goes live."),
    Step.SEND_BACK: gettext_lazy(
        "Saves your changes and returns the article to its writer, with your note."
    ),
    Step.UNPUBLISH: gettext_lazy(
        "Saves your changes and takes the article off the site, back to draft. "
        "It keeps its publish time."
    ),
    Step.ARCHIVE: gettext_lazy("Saves your changes and archives the article, off the site."),
    Step.RETURN: gettext_lazy("Saves your changes and makes the article a draft again."),
}


def workflow_state(article: Article) -> str:
    """Where the article stands, in a sentence for the top of its workflow buttons."""
    if article.is_scheduled:
        return _("Scheduled: goes live on %(time)s by itself.") % {
            "time": date_format(timezone.localtime(article.publish_at), "DATETIME_FORMAT")
        }
    return {
        Article.Status.DRAFT: _("A draft: readers cannot see it."),
        Article.Status.IN_REVIEW: _("In review: waiting for an editor."),
        Article.Status.PUBLISHED: _("Published: readers see it."),
        Article.Status.ARCHIVED: _("Archived: readers cannot see it."),
    }[article.status]


def step_done(step: Step, article: Article) -> str:
    """The message after a step: what happened to the article."""
    values = {"article": article}
    if article.is_scheduled:
        values["time"] = date_format(timezone.localtime(article.publish_at), "DATETIME_FORMAT")
        return _("“%(article)s” is scheduled to go live on %(time)s.") % values
    return {
        Step.SUBMIT: _("“%(article)s” was submitted for review."),
        Step.PUBLISH: _("“%(article)s” was published."),
        Step.SCHEDULE: _("“%(article)s” was published."),
        Step.RESCHEDULE: _("“%(article)s” was published."),
        Step.SEND_BACK: _("“%(article)s” was sent back to draft, with your note."),
        Step.UNPUBLISH: _("“%(article)s” was unpublished: it is a draft again."),
        Step.ARCHIVE: _("“%(article)s” was archived."),
        Step.RETURN: _("“%(article)s” is a draft again."),
    }[step] % values
