"""Loading the demo contributors and articles, with illustrations drawn on the spot.

The words live in demo_content.py; this module writes them to the database and
draws the images with Pillow, so no binary files are kept in the repository.
"""

import datetime
import hashlib
import io
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageChops, ImageDraw, ImageFont

from journal.demo.content import ARTICLES, CONTRIBUTORS, DemoArticle, DemoContributor
from journal.models import Article, Byline, Contributor
from summits.models import Country, Framework, Summit

HERO_SIZE = (1200, 675)
PHOTO_SIZE = (400, 400)
HERO_CREDIT = "Illustration: Diplomacy Journal"

# Per section: dark and light ends of the gradient, and the colour's name for the alt text.
SECTION_PALETTE = {
    Article.Section.NEWS: ((24, 64, 104), (118, 160, 194), "blue"),
    Article.Section.ANALYSIS: ((22, 92, 88), (128, 182, 168), "teal"),
    Article.Section.OPINION: ((112, 36, 52), (204, 142, 140), "burgundy"),
    Article.Section.CONTRIBUTION: ((132, 92, 28), (224, 190, 122), "ochre"),
    Article.Section.INTERVIEW: ((66, 58, 112), (160, 150, 200), "violet"),
}
PHOTO_COLOURS = [(24, 64, 104), (22, 92, 88), (112, 36, 52), (132, 92, 28), (66, 58, 112)]


class MissingReferenceData(Exception):
    """The demo articles are tagged to countries, frameworks or summits that are not loaded."""

    def __init__(self, missing: dict[str, list[str]]):
        self.missing = missing
        parts = []
        for kind, keys in missing.items():
            examples = ", ".join(keys[:3]) + (", …" if len(keys) > 3 else "")
            parts.append(f"{len(keys)} {kind} ({examples})")
        super().__init__("Reference data is missing: " + "; ".join(parts) + ".")


@dataclass
class DemoLoadReport:
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)
    images: int = 0

    def count(self, kind: str, *, created: bool) -> None:
        bucket = self.created if created else self.existing
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def created_anything(self) -> bool:
        return any(self.created.values())

    def lines(self) -> list[str]:
        lines = [
            f"{kind}: {self.created.get(kind, 0)} created, "
            f"{self.existing.get(kind, 0)} already there"
            for kind in ["contributors", "articles"]
        ]
        lines.append(f"images: {self.images} generated")
        return lines


def _rng(seed: str) -> random.Random:
    # hash() is salted per process; the same slug should always draw the same picture.
    return random.Random(hashlib.sha256(seed.encode()).digest())


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=3)
    return buffer.getvalue()


def hero_image_png(*, seed: str, section: str) -> tuple[bytes, str]:
    """A calm diagonal gradient in the section's colour with a map-like network of points.

    Returns the PNG bytes and a description of the picture for its alt text.
    """
    dark, light, colour = SECTION_PALETTE[section]
    rng = _rng(seed)
    width, height = HERO_SIZE
    vertical = Image.linear_gradient("L").resize(HERO_SIZE)
    horizontal = vertical.transpose(Image.Transpose.ROTATE_90).resize(HERO_SIZE)
    mask = ImageChops.add(vertical, horizontal, scale=2)
    image = Image.composite(
        Image.new("RGB", HERO_SIZE, dark), Image.new("RGB", HERO_SIZE, light), mask
    )

    overlay = Image.new("RGBA", HERO_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    # Faint contour rings, like relief on a map.
    for _ in range(2):
        cx, cy = rng.randint(0, width), rng.randint(0, height)
        for radius in range(60, 700, 46):
            box = (cx - radius * 1.4, cy - radius, cx + radius * 1.4, cy + radius)
            draw.ellipse(box, outline=(255, 255, 255, 26), width=2)
    # Points joined west to east, like cities on a route: evenly spread across the
    # width so they never pile up, each a short step up or down from the last.
    count = rng.randint(6, 8)
    step = (width - 160) / (count - 1)
    points, y = [], rng.randint(200, height - 200)
    for index in range(count):
        x = round(80 + index * step + rng.uniform(-step, step) * 0.25)
        y = min(max(y + rng.randint(-150, 150), 90), height - 90)
        points.append((x, y))
    draw.line(points, fill=(255, 255, 255, 110), width=3, joint="curve")
    for _ in range(2):
        a, b = rng.sample(points, 2)
        draw.line([a, b], fill=(255, 255, 255, 60), width=2)
    for x, y in points:
        radius = rng.randint(7, 11)
        draw.ellipse(
            (x - radius * 2, y - radius * 2, x + radius * 2, y + radius * 2),
            fill=(255, 255, 255, 40),
        )
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, 210))
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    alt = (
        f"Abstract illustration: a {colour} gradient crossed by faint contour rings, with "
        f"{count} white points joined by lines like cities on a route map."
    )
    return _png(image), alt


def initials(name: str) -> str:
    words = [word for word in name.replace("-", " ").split() if word[:1].isalpha()]
    if not words:
        return "?"
    return (words[0][0] + (words[1][0] if len(words) > 1 else "")).upper()


def contributor_photo_png(*, name: str, colour: tuple[int, int, int]) -> bytes:
    """A placeholder portrait: the person's initials on a coloured disc."""
    background = tuple(round(c + (255 - c) * 0.85) for c in colour)
    image = Image.new("RGB", PHOTO_SIZE, background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 40, 360, 360), fill=colour)
    font = ImageFont.load_default(size=140)
    draw.text((200, 200), initials(name), font=font, fill=(255, 255, 255), anchor="mm")
    return _png(image)


def _resolve(model, field_name: str, keys: Iterable[str], label: str, missing: dict) -> dict:
    keys = sorted(set(keys))
    found = model.objects.in_bulk(keys, field_name=field_name)
    absent = [key for key in keys if key not in found]
    if absent:
        missing[label] = absent
    return found


def _contributor_create(
    item: DemoContributor, *, colour: tuple[int, int, int], report: DemoLoadReport
) -> Contributor:
    contributor = Contributor(
        slug=item.slug,
        name=item.name,
        kind=item.kind,
        position=item.position,
        affiliation=item.affiliation,
        bio=item.bio,
        email=item.email,
    )
    # Validate before drawing, so a bad row leaves no file behind.
    contributor.full_clean()
    png = contributor_photo_png(name=item.name, colour=colour)
    contributor.photo.save(f"{item.slug}.png", ContentFile(png), save=False)
    report.images += 1
    contributor.save()
    return contributor


def _article_create(
    item: DemoArticle,
    *,
    now: datetime.datetime,
    contributors: dict[str, Contributor],
    countries: dict[str, Country],
    frameworks: dict[str, Framework],
    summits: dict[str, Summit],
    report: DemoLoadReport,
) -> Article:
    published = item.status == Article.Status.PUBLISHED
    article = Article(
        slug=item.slug,
        title=item.title,
        standfirst=item.standfirst,
        body=item.body,
        editors_note=item.editors_note,
        credit_line=item.credit_line,
        section=item.section,
        status=item.status,
        publish_at=now + item.publish_offset if item.publish_offset is not None else None,
        featured=item.featured,
    )
    article.full_clean()
    if published:
        png, alt = hero_image_png(seed=item.slug, section=item.section)
        article.hero_image.save(f"{item.slug}.png", ContentFile(png), save=False)
        article.hero_alt = alt
        article.hero_caption = item.hero_caption
        article.hero_credit = HERO_CREDIT
        report.images += 1
    article.save()
    article.countries.set([countries[code] for code in item.countries])
    article.frameworks.set([frameworks[slug] for slug in item.frameworks])
    article.summits.set([summits[slug] for slug in item.summits])
    for order, (contributor_slug, role) in enumerate(item.bylines):
        byline = Byline(
            article=article, contributor=contributors[contributor_slug], role=role, order=order
        )
        byline.full_clean()
        byline.save()
    if article.publish_at and article.publish_at < now:
        # A demo piece "published" days ago should not read as updated today.
        Article.objects.filter(pk=article.pk).update(
            created_at=article.publish_at, updated_at=article.publish_at
        )
    return article


@transaction.atomic
def demo_content_load(*, now: datetime.datetime | None = None) -> DemoLoadReport:
    """Create the demo contributors and articles that are not there yet.

    Idempotent: rows are matched by slug, and one that exists is left exactly as
    the desk has it (no field, tag, byline or image is touched). Publish times
    are offsets from `now`. Raises MissingReferenceData, before writing anything,
    when an article to create is tagged to a record the reference data should
    have loaded.
    """
    now = now or timezone.now()
    report = DemoLoadReport()

    existing_articles = set(
        Article.objects.filter(slug__in=[item.slug for item in ARTICLES]).values_list(
            "slug", flat=True
        )
    )
    to_create = [item for item in ARTICLES if item.slug not in existing_articles]
    missing: dict[str, list[str]] = {}
    countries = _resolve(
        Country, "code", (c for item in to_create for c in item.countries), "countries", missing
    )
    frameworks = _resolve(
        Framework, "slug", (f for item in to_create for f in item.frameworks), "frameworks", missing
    )
    summits = _resolve(
        Summit, "slug", (s for item in to_create for s in item.summits), "summits", missing
    )
    if missing:
        raise MissingReferenceData(missing)

    contributors = Contributor.objects.in_bulk(
        [item.slug for item in CONTRIBUTORS], field_name="slug"
    )
    for index, item in enumerate(CONTRIBUTORS):
        if item.slug in contributors:
            report.count("contributors", created=False)
            continue
        colour = PHOTO_COLOURS[index % len(PHOTO_COLOURS)]
        contributors[item.slug] = _contributor_create(item, colour=colour, report=report)
        report.count("contributors", created=True)

    for item in ARTICLES:
        if item.slug in existing_articles:
            report.count("articles", created=False)
            continue
        _article_create(
            item,
            now=now,
            contributors=contributors,
            countries=countries,
            frameworks=frameworks,
            summits=summits,
            report=report,
        )
        report.count("articles", created=True)
    return report
