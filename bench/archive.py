"""A large, realistic archive for measuring the site: `manage.py generate_demo_data`.

Articles are assembled from sentence patterns about the real reference data
(the countries, frameworks and summits loaded by `load_reference_data`), with
bylines, tags, shared illustrations, every status and publish times spread
over twenty years. Rows go in with `bulk_create`, a batch per transaction,
and the search index is filled batch by batch, so 100,000 articles take a few
minutes rather than hours. The same seed gives the same archive.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from journal.content_generation import end_on_commit
from journal.demo.builder import HERO_SIZE, hero_image_png
from journal.images.renditions import ensure_renditions
from journal.models import Article, Byline, Contributor
from journal.ops.database import refresh_planner_statistics
from journal.search.index import index_articles
from journal.services.related import related_articles_refresh_all
from summits.models import Country, Framework, Summit

# Generated rows are recognisable, so a later run can replace them.
SLUG_MARK = "-g"
CONTRIBUTOR_EMAIL_DOMAIN = "archive.example.invalid"
IMAGE_FOLDER = "articles/generated"
YEARS = 20
BATCH = 2000

STATUS_WEIGHTS = [
    (Article.Status.PUBLISHED, 90),
    (Article.Status.DRAFT, 4),
    (Article.Status.IN_REVIEW, 2),
    (Article.Status.ARCHIVED, 2),
    ("scheduled", 2),  # published, with a time still to come
]
SECTION_WEIGHTS = [
    (Article.Section.NEWS, 50),
    (Article.Section.ANALYSIS, 25),
    (Article.Section.OPINION, 10),
    (Article.Section.CONTRIBUTION, 10),
    (Article.Section.INTERVIEW, 5),
]
FIRST_NAMES = [
    "Aigerim", "Timur", "Dilnoza", "Farrukh", "Madina", "Rustam", "Gulnara", "Bakyt",
    "Zarina", "Nurlan", "Shahnoza", "Daniyar", "Yuki", "Haruto", "Min-ji", "Jae-won",
    "Claire", "Jonas", "Priya", "Arjun", "Li Wei", "Chen Jing", "Sarah", "Michael",
]  # fmt: skip
LAST_NAMES = [
    "Abenova", "Karimov", "Yusupova", "Tashkentov", "Sadykova", "Rakhimov", "Nazarova",
    "Omurbekov", "Sharipova", "Bekov", "Tanaka", "Sato", "Kim", "Park", "Dubois",
    "Weber", "Sharma", "Mehta", "Zhang", "Liu", "Collins", "Reed",
]  # fmt: skip
POSITIONS = [
    "Correspondent", "Senior correspondent", "Analyst", "Regional editor",
    "Former ambassador", "Visiting fellow", "Economist", "Researcher",
]  # fmt: skip
TOPICS = [
    "water sharing", "transport corridors", "energy security", "critical minerals",
    "trade facilitation", "border management", "climate adaptation", "digital connectivity",
    "education exchanges", "investment protection", "food security", "counter-narcotics",
    "green hydrogen", "rail freight", "the Middle Corridor", "visa regimes",
]  # fmt: skip
TITLE_PATTERNS = [
    "{country} and {partner} talk {topic}",
    "What the {framework} means for {topic}",
    "{country} pushes {topic} at the {framework}",
    "Ministers weigh {topic} ahead of the next {framework} meeting",
    "{city} hosts talks on {topic}",
    "Why {topic} dominates the {framework} agenda",
    "{country}'s new line on {topic}",
    "Five questions on {topic} for {country}",
]
SENTENCES = [
    "Officials from {country} and {partner} met in {city} to discuss {topic}.",
    "The {framework} has put {topic} near the top of its agenda since its founding.",
    "Diplomats said the talks on {topic} were frank, and that more work lies ahead.",
    "{country} wants its neighbours to agree on common rules before the next meeting.",
    "Analysts in {city} expect a joint statement on {topic} within months.",
    "The delegation from {partner} brought proposals on financing and technical help.",
    "Past rounds of the {framework} produced road maps that were only partly carried out.",
    "Business groups have asked for clearer timetables and fewer permits.",
    "A working group on {topic} will report to the foreign ministers next year.",
    "Observers note that {country} has balanced several partners for three decades.",
    "The question of {topic} links the economies of the region more than any other.",
    "Both sides described the meeting as a step rather than a settlement.",
]
SUBHEADINGS = ["Background", "What was agreed", "What comes next", "The regional view"]


@dataclass
class ArchiveReport:
    articles: int = 0
    bylines: int = 0
    tags: int = 0
    contributors: int = 0
    images: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


class ArchiveError(Exception):
    pass


def _weighted(rng: random.Random, weights) -> str:
    values, counts = zip(*weights, strict=True)
    return rng.choices(values, counts)[0]


def generated_articles():
    return Article.objects.filter(slug__regex=rf"{SLUG_MARK}[0-9]{{7}}$")


def archive_clear() -> int:
    """Delete what an earlier run generated; the desk's own articles stay."""
    with transaction.atomic():
        deleted = generated_articles().delete()[1].get("journal.Article", 0)
        Contributor.objects.filter(email__endswith=f"@{CONTRIBUTOR_EMAIL_DOMAIN}").delete()
    return deleted


def _contributors(rng: random.Random, count: int) -> list[Contributor]:
    people = []
    seen = set()
    while len(people) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name in seen:
            name = f"{name} {len(people)}"
        seen.add(name)
        guest = rng.random() < 0.3
        people.append(
            Contributor(
                name=name,
                slug=f"{slugify(name)}{SLUG_MARK}{len(people):07d}",
                kind=Contributor.Kind.GUEST if guest else Contributor.Kind.STAFF,
                position=rng.choice(POSITIONS),
                bio=f"{name} writes about Central Asia for the journal.",
                email=f"writer{len(people)}@{CONTRIBUTOR_EMAIL_DOMAIN}",
            )
        )
    return Contributor.objects.bulk_create(people)


def _images(rng: random.Random, count: int) -> list[str]:
    names = []
    sections = [section for section, _ in SECTION_WEIGHTS]
    for number in range(count):
        name = f"{IMAGE_FOLDER}/illustration-{number:02d}.png"
        if not default_storage.exists(name):
            data, _description = hero_image_png(
                seed=f"archive-{number}", section=sections[number % len(sections)]
            )
            name = default_storage.save(name, ContentFile(data))
        ensure_renditions(name)
        names.append(name)
    return names


def archive_generate(
    *,
    articles: int,
    seed: int = 1,
    now: datetime.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ArchiveReport:
    """Add `articles` generated articles to the journal; see the module docstring."""
    countries = list(Country.objects.order_by("pk"))
    frameworks = list(Framework.objects.prefetch_related("members").order_by("pk"))
    summits = list(Summit.objects.order_by("pk"))
    if not countries or not frameworks:
        raise ArchiveError("No reference data: run `manage.py load_reference_data` first.")
    if generated_articles().exists():
        raise ArchiveError("Generated articles are already there: use --clear to replace them.")

    rng = random.Random(seed)
    now = now or timezone.now().replace(minute=0, second=0, microsecond=0)
    report = ArchiveReport()
    central_asia = [c for c in countries if c.region == "central_asia" and c.kind == "state"]
    central_asia = central_asia or countries
    summits_of = {}
    for summit in summits:
        summits_of.setdefault(summit.framework_id, []).append(summit)
    cities = sorted({s.city for s in summits if s.city}) or ["Astana", "Tashkent"]

    writers = _contributors(rng, max(10, min(400, articles // 250)))
    report.contributors = len(writers)
    images = _images(rng, 12)
    report.images = len(images)

    CountryLink = Article.countries.through
    FrameworkLink = Article.frameworks.through
    SummitLink = Article.summits.through

    span = YEARS * 365 * 24 * 3600
    made = 0
    while made < articles:
        size = min(BATCH, articles - made)
        rows, tags = [], []
        for offset in range(size):
            number = made + offset
            framework = rng.choice(frameworks)
            members = list(framework.members.all())
            country = rng.choice(central_asia)
            partner_country = next(
                (c for c in members if c.pk == framework.partner_id), rng.choice(countries)
            )
            words = {
                "country": country.name,
                "partner": partner_country.name,
                "framework": framework.short_name or framework.name,
                "topic": rng.choice(TOPICS),
                "city": rng.choice(cities),
            }
            title = rng.choice(TITLE_PATTERNS).format(**words)
            title = title[0].upper() + title[1:]
            paragraphs = []
            for index in range(rng.randint(4, 8)):
                if index and index % 3 == 0:
                    paragraphs.append(f"<h2>{escape(rng.choice(SUBHEADINGS))}</h2>")
                text = " ".join(s.format(**words) for s in rng.sample(SENTENCES, 3))
                paragraphs.append(f"<p>{escape(text)}</p>")
            status = _weighted(rng, STATUS_WEIGHTS)
            if status == "scheduled":
                publish_at = now + datetime.timedelta(seconds=rng.randint(3600, 60 * 24 * 3600))
                status = Article.Status.PUBLISHED
            elif status == Article.Status.DRAFT and rng.random() < 0.5:
                publish_at = None
            else:
                publish_at = now - datetime.timedelta(seconds=rng.randint(3600, span))
            report.by_status[status] = report.by_status.get(status, 0) + 1
            hero = rng.choice(images) if rng.random() < 0.6 else ""
            rows.append(
                Article(
                    title=title,
                    slug=f"{slugify(title)[:80]}{SLUG_MARK}{number:07d}",
                    standfirst=f"{words['country']}, {words['partner']} and the "
                    f"{words['framework']}: where {words['topic']} stands.",
                    body="\n".join(paragraphs),
                    section=_weighted(rng, SECTION_WEIGHTS),
                    status=status,
                    publish_at=publish_at,
                    featured=rng.random() < 0.01,
                    hero_image=hero,
                    hero_width=HERO_SIZE[0] if hero else None,
                    hero_height=HERO_SIZE[1] if hero else None,
                    hero_alt="An abstract map of points joined by routes" if hero else "",
                )
            )
            tagged_countries = {country, partner_country, *rng.sample(central_asia, 1)}
            tagged_frameworks = {framework}
            if rng.random() < 0.2:
                tagged_frameworks.add(rng.choice(frameworks))
            candidates = summits_of.get(framework.pk, [])
            tagged_summits = (
                {rng.choice(candidates)} if candidates and rng.random() < 0.4 else set()
            )
            authors = rng.sample(writers, 2 if rng.random() < 0.2 else 1)
            tags.append((tagged_countries, tagged_frameworks, tagged_summits, authors))

        with transaction.atomic():
            # Generated rows go in as they are: bodies are built escaped above.
            created = Article.objects.bulk_create(rows)
            bylines, country_links, framework_links, summit_links = [], [], [], []
            for article, (in_countries, in_frameworks, in_summits, authors) in zip(
                created, tags, strict=True
            ):
                bylines += [
                    Byline(article=article, contributor=author, order=order)
                    for order, author in enumerate(authors)
                ]
                country_links += [CountryLink(article=article, country=c) for c in in_countries]
                framework_links += [
                    FrameworkLink(article=article, framework=f) for f in in_frameworks
                ]
                summit_links += [SummitLink(article=article, summit=s) for s in in_summits]
            Byline.objects.bulk_create(bylines)
            CountryLink.objects.bulk_create(country_links)
            FrameworkLink.objects.bulk_create(framework_links)
            SummitLink.objects.bulk_create(summit_links)
            ids = [article.pk for article in created]
            # auto_now stamped them all today; an old article was written then.
            Article.objects.filter(pk__in=ids, publish_at__lte=now).update(
                created_at=F("publish_at"), updated_at=F("publish_at")
            )
            index_articles(ids)
        report.bylines += len(bylines)
        report.tags += len(country_links) + len(framework_links) + len(summit_links)
        made += size
        report.articles = made
        if progress:
            progress(made, articles)
    related_articles_refresh_all()
    end_on_commit()  # bulk inserts send no signals
    refresh_planner_statistics()
    return report
