"""The front page."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.views.generic import TemplateView

from journal.content_generation import kept
from journal.models import Article, card_bylines
from journal.views.base import visible_articles
from summits.models import Framework, Summit

LATEST = 10
PER_STRIP = 3
SUMMITS_SHOWN = 4


def framework_strips(*, exclude: list[int], per_strip: int = PER_STRIP):
    """Active frameworks with coverage, each with its newest published articles.

    A query per framework: the home page keeps the strips for the content
    generation.
    """
    frameworks = list(Framework.objects.active().select_related("partner"))
    ranked = (
        Article.objects.published()
        .exclude(pk__in=exclude)
        .latest_per_framework(frameworks, per_framework=per_strip)
    )
    # A strip shows headlines and dates only.
    articles = Article.objects.only("title", "slug", "language", "publish_at").in_bulk(
        [article_id for _, article_id in ranked]
    )
    by_framework: dict[int, list[Article]] = {}
    for framework_id, article_id in ranked:
        by_framework.setdefault(framework_id, []).append(articles[article_id])
    return [
        (framework, sorted(items, key=lambda a: a.publish_at, reverse=True))
        for framework in frameworks
        if (items := by_framework.get(framework.pk))
    ]


def latest_in_language_first(*, exclude: list[int], count: int = LATEST) -> list[Article]:
    """The newest articles in the page's language, then, if they are too few, the others.

    A reader of /ko/ sees the Korean pieces first; the cards of the others
    say which language they are in. Each part reads down the index of its
    language's published articles.
    """
    language = get_language()
    visible = visible_articles().exclude(pk__in=exclude)
    # A query per language, always, so the page costs the same however many
    # there are. Each reads down its language's index; "not this language",
    # or several at once, made SQLite read every published article.
    own = list(visible.filter(language=language)[:count])
    others = [
        article
        for code, _name in settings.LANGUAGES
        if code != language
        for article in visible.filter(language=code)[:count]
    ]
    others.sort(key=lambda article: (article.publish_at, article.pk), reverse=True)
    return (own + others)[:count]


class HomeView(TemplateView):
    template_name = "journal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The lead names its authors outside a card.
        leads = visible_articles().prefetch_related(card_bylines())
        # The lead story is in the page's language when there is one in it.
        language = get_language()
        lead = (
            leads.filter(language=language, featured=True).first()
            or leads.filter(language=language).first()
            or leads.filter(featured=True).first()
            or leads.first()
        )
        exclude = [lead.pk] if lead else []
        latest = latest_in_language_first(exclude=exclude)
        context.update(
            lead=lead,
            latest=latest,
            strips=kept(
                f"home:strips:{sorted(exclude)}", lambda: framework_strips(exclude=exclude)
            ),
            today=timezone.localdate().isoformat(),
            upcoming_summits=Summit.objects.upcoming().select_related("framework", "host_country")[
                :SUMMITS_SHOWN
            ],
            recent_summits=Summit.objects.past()
            .filter(status=Summit.Status.HELD)
            .select_related("framework", "host_country")[:SUMMITS_SHOWN],
        )
        return context
