import datetime

import factory

from summits.models import Country, Framework, Participant, Region, Summit


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"Q{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}"[:3])
    alpha3 = factory.Sequence(lambda n: f"Q{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}")
    name = factory.Sequence(lambda n: f"Country {n}")
    slug = factory.Sequence(lambda n: f"country-{n}")
    region = Region.CENTRAL_ASIA


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
