"""What the record's tests build: countries (made up or real), frameworks, summits, Central Asia."""

import datetime
from types import SimpleNamespace

import factory

from summits.models import Country, Framework, Participant, Region, Summit

# Real codes, names and slugs, as in reference_data/countries.json.
KNOWN_COUNTRIES = {
    "KZ": ("KAZ", "Kazakhstan", "kazakhstan", Region.CENTRAL_ASIA),
    "KG": ("KGZ", "Kyrgyzstan", "kyrgyzstan", Region.CENTRAL_ASIA),
    "TJ": ("TJK", "Tajikistan", "tajikistan", Region.CENTRAL_ASIA),
    "TM": ("TKM", "Turkmenistan", "turkmenistan", Region.CENTRAL_ASIA),
    "UZ": ("UZB", "Uzbekistan", "uzbekistan", Region.CENTRAL_ASIA),
    "US": ("USA", "United States", "united-states", Region.NORTH_AMERICA),
    "JP": ("JPN", "Japan", "japan", Region.EAST_ASIA),
}


def known(field: int, otherwise):
    """The known country's value for its code, else `otherwise(n)` (a sequence)."""
    return factory.LazyAttributeSequence(
        lambda o, n: KNOWN_COUNTRIES[o.code][field] if o.code in KNOWN_COUNTRIES else otherwise(n)
    )


class CountryFactory(factory.django.DjangoModelFactory):
    """A made-up country; a real one by its code: `CountryFactory(code="KZ")` is Kazakhstan."""

    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"Q{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}"[:3])
    alpha3 = known(0, lambda n: f"Q{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}")
    name = known(1, lambda n: f"Country {n}")
    slug = known(2, lambda n: f"country-{n}")
    region = known(3, lambda n: Region.CENTRAL_ASIA)


class BlocFactory(CountryFactory):
    kind = Country.Kind.BLOC
    alpha3 = ""
    region = Region.INTERNATIONAL


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Central Asia + Partner {n}")
    short_name = factory.Sequence(lambda n: f"CA+P{n}")
    slug = factory.Sequence(lambda n: f"partner-{n}-central-asia")
    partner = factory.SubFactory(CountryFactory, region=Region.EUROPE)
    established = datetime.date(2015, 11, 1)


class SummitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Summit

    framework = factory.SubFactory(FrameworkFactory)
    title = factory.Sequence(lambda n: f"Summit number {n}")
    slug = factory.Sequence(lambda n: f"summit-{n}")
    level = Summit.Level.HEADS_OF_STATE
    status = Summit.Status.HELD
    start_date = datetime.date(2023, 9, 19)
    city = "Astana"
    host_country = factory.SubFactory(CountryFactory)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    summit = factory.SubFactory(SummitFactory)
    country = factory.SubFactory(CountryFactory)


def central_asia() -> SimpleNamespace:
    """The five Central Asian states, the United States, their C5+1 and its first summit.

    `kz`, `kg`, `tj`, `tm`, `uz` (and `countries`, the five), `us`, `c5` (the six
    as members) and `summit`: the leaders' meeting in New York on 19 September
    2023, hosted by the United States, with the six as participants.
    """
    five = [CountryFactory(code=code) for code in ("KZ", "KG", "TJ", "TM", "UZ")]
    us = CountryFactory(code="US")
    c5 = FrameworkFactory(
        name="C5+1 (Central Asia – United States)",
        short_name="C5+1",
        slug="c5-plus-1",
        partner=us,
        established=datetime.date(2015, 11, 1),
    )
    c5.members.set([*five, us])
    summit = SummitFactory(
        framework=c5,
        title="C5+1 summit in New York",
        slug="new-york-2023",
        start_date=datetime.date(2023, 9, 19),
        city="New York",
        host_country=us,
    )
    for order, member in enumerate([*five, us]):
        ParticipantFactory(summit=summit, country=member, order=order)
    kz, kg, tj, tm, uz = five
    return SimpleNamespace(
        kz=kz, kg=kg, tj=tj, tm=tm, uz=uz, countries=five, us=us, c5=c5, summit=summit
    )
