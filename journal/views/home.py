"""The front page."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.views.generic import TemplateView

from summits.models import Framework, Summit

from ..models import Article
from .base import visible_articles

LATEST = 10
PER_STRIP = 3
SUMMITS_SHOWN = 4


def framework_strips(*, exclude: list[int], per_strip: int = PER_STRIP):
    """Active frameworks, each with its newest published articles, in three queries."""
    frameworks = list(Framework.objects.active().select_related("partner"))
    Tag = Article.frameworks.through
    ranked = (
        Tag.objects.filter(
            article__in=Article.objects.published().exclude(pk__in=exclude),
            framework__in=frameworks,
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("framework_id"),
                order_by=[F("article__publish_at").desc(), F("article_id").desc()],
            )
        )
        .filter(rank__lte=per_strip)
        .values_list("framework_id", "article_id")
    )
    ranked = list(ranked)
    articles = visible_articles().in_bulk([article_id for _, article_id in ranked])
    by_framework: dict[int, list[Article]] = {}
    for framework_id, article_id in ranked:
        by_framework.setdefault(framework_id, []).append(articles[article_id])
    strips = []
    for framework in frameworks:
        items = sorted(by_framework.get(framework.pk, []), key=lambda a: a.publish_at, reverse=True)
        if items:
            strips.append((framework, items))
    return strips


class HomeView(TemplateView):
    template_name = "journal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lead = visible_articles().filter(featured=True).first() or visible_articles().first()
        exclude = [lead.pk] if lead else []
        latest = list(visible_articles().exclude(pk__in=exclude)[:LATEST])
        context.update(
            lead=lead,
            latest=latest,
            strips=framework_strips(exclude=exclude),
            upcoming_summits=Summit.objects.upcoming().select_related("framework", "host_country")[
                :SUMMITS_SHOWN
            ],
            recent_summits=Summit.objects.past()
            .filter(status=Summit.Status.HELD)
            .select_related("framework", "host_country")[:SUMMITS_SHOWN],
        )
        return context
