"""Writes that touch several summit records at once."""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation

from .models import Country, DatePrecision, Framework, Participant, Summit

REFERENCE_DATA_DIR = Path(__file__).resolve().parent / "reference_data"


class ReferenceDataError(Exception):
    """The reference files contradict themselves; nothing was loaded."""


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    # Bloc members the dataset names but does not record as countries (most
    # of the EU): the bloc is linked to the members that are recorded.
    unrecorded_members: dict[str, list[str]] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        bucket = getattr(self, outcome)
        bucket[kind] = bucket.get(kind, 0) + 1

    def lines(self) -> list[str]:
        kinds = ["countries", "frameworks", "summits", "participants"]
        lines = [
            f"{kind}: {self.created.get(kind, 0)} created, {self.updated.get(kind, 0)} updated, "
            f"{self.unchanged.get(kind, 0)} unchanged"
            for kind in kinds
        ]
        for bloc, codes in self.unrecorded_members.items():
            lines.append(
                f"{bloc}: {len(codes)} members are not recorded as countries "
                f"and are not linked ({', '.join(codes)})"
            )
        return lines


def _lookup(table: dict, key: str, what: str, where: str):
    try:
        return table[key]
    except KeyError:
        raise ReferenceDataError(
            f"{where} names {what} {key!r}, which is not in the data."
        ) from None


def _partial_date(value: str | None) -> tuple[datetime.date | None, str]:
    """Parse "2019", "2019-12" or "2019-12-08" into a date and its precision."""
    if not value:
        return None, DatePrecision.DAY
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 1:
        return datetime.date(parts[0], 1, 1), DatePrecision.YEAR
    if len(parts) == 2:
        return datetime.date(parts[0], parts[1], 1), DatePrecision.MONTH
    return datetime.date(*parts), DatePrecision.DAY


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _lines(values: list[str] | None) -> str:
    return "\n".join(values or [])


def _worded(english: dict, translated: dict) -> dict:
    """A record's worded fields in every language: English from the record, the rest translated.

    `translated` is the record's entry in translations.json, {"ko": {...},
    "ru": {...}}; a name missing there is left empty, so English shows.
    """
    values = dict(english)
    for field_name, value in english.items():
        values[f"{field_name}_en"] = value
        for language, _name in settings.LANGUAGES:
            if language != "en":
                values[f"{field_name}_{language}"] = (
                    translated.get(language, {}).get(field_name) or None
                )
    return values


def _upsert(model, report: LoadReport, kind: str, lookup: dict, values: dict, *, keep_existing):
    """Create the row, or bring an existing one in line with the data.

    With keep_existing, rows that already exist are left as the desk has them.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        report.count(kind, "created")
        return obj, True
    if keep_existing:
        report.count(kind, "unchanged")
        return obj, False
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        report.count(kind, "updated")
    else:
        report.count(kind, "unchanged")
    return obj, bool(changed)


def _set_m2m(manager, wanted, *, created: bool, keep_existing: bool) -> None:
    if created or not keep_existing:
        current = set(manager.values_list("pk", flat=True))
        if current != {obj.pk for obj in wanted}:
            manager.set(wanted)


@transaction.atomic
def reference_data_load(
    *, directory: Path = REFERENCE_DATA_DIR, keep_existing: bool = False
) -> LoadReport:
    """Load countries, blocs, frameworks and summits from the JSON reference files.

    Idempotent: records are matched by code or slug, so a second run creates
    nothing. Representatives entered by the desk are never overwritten, and
    participants are only ever added.
    """
    with translation.override("en"):  # the record's own columns hold its English
        return _load(directory, keep_existing=keep_existing)


def _load(directory: Path, *, keep_existing: bool) -> LoadReport:
    report = LoadReport()
    translations_file = directory / "translations.json"
    translated = json.loads(translations_file.read_text()) if translations_file.exists() else {}
    countries_data = json.loads((directory / "countries.json").read_text())["countries"]
    frameworks_data = json.loads((directory / "frameworks.json").read_text())["frameworks"]
    summits_data = json.loads((directory / "summits.json").read_text())["summits"]

    countries: dict[str, Country] = {}
    created_blocs: set[str] = set()
    for row in countries_data:
        countries[row["code"]], created = _upsert(
            Country,
            report,
            "countries",
            {"code": row["code"]},
            {
                "alpha3": row["alpha3"],
                **_worded(
                    {name: row[name] for name in ("name", "official_name", "capital")},
                    translated.get("countries", {}).get(row["code"], {}),
                ),
                "slug": row["slug"],
                "kind": row["kind"],
                "region": row["region"],
                "notes": row["notes"],
                "sources": _lines(row["sources"]),
            },
            keep_existing=keep_existing,
        )
        if created:
            created_blocs.add(row["code"])
    for row in countries_data:
        if row["members"]:
            bloc = countries[row["code"]]
            members = [countries[code] for code in row["members"] if code in countries]
            missing = [code for code in row["members"] if code not in countries]
            if missing:
                report.unrecorded_members[bloc.code] = missing
            _set_m2m(
                bloc.members,
                members,
                created=row["code"] in created_blocs,
                keep_existing=keep_existing,
            )

    frameworks: dict[str, Framework] = {}
    for row in frameworks_data:
        established, precision = _partial_date(row["established"])
        framework, created = _upsert(
            Framework,
            report,
            "frameworks",
            {"slug": row["slug"]},
            {
                **_worded(
                    {name: row[name] for name in ("name", "short_name", "description")},
                    translated.get("frameworks", {}).get(row["slug"], {}),
                ),
                "aliases": _lines(row["aliases"]),
                "partner": (
                    _lookup(countries, row["partner"], "partner", f"Framework {row['slug']!r}")
                    if row["partner"]
                    else None
                ),
                "established": established,
                "established_precision": precision,
                "established_note": row["established_note"],
                "level_first_established": row["level_first_established"],
                "leaders_level_since": _date(row["leaders_level_since"]),
                "status": row["status"],
                "sources": _lines(row["sources"]),
            },
            keep_existing=keep_existing,
        )
        where = f"Framework {row['slug']!r}"
        members = [_lookup(countries, code, "member", where) for code in row["members"]]
        _set_m2m(framework.members, members, created=created, keep_existing=keep_existing)
        frameworks[row["slug"]] = framework

    for row in summits_data:
        where = f"Summit {row['slug']!r}"
        approximate, _ = _partial_date(row["approximate_month"])
        summit, _ = _upsert(
            Summit,
            report,
            "summits",
            {"slug": row["slug"]},
            {
                "framework": _lookup(frameworks, row["framework"], "framework", where),
                **_worded(
                    {name: row[name] for name in ("title", "city")},
                    translated.get("summits", {}).get(row["slug"], {}),
                ),
                "level": row["level"],
                "series": row["series"],
                "edition": row["edition"],
                "edition_label": row["edition_label"],
                "start_date": _date(row["start_date"]),
                "end_date": _date(row["end_date"]),
                "approximate_month": approximate,
                "host_country": _lookup(countries, row["host_country"], "host", where),
                "status": row["status"],
                "notes": row["notes"],
                "sources": _lines(row["sources"]),
            },
            keep_existing=keep_existing,
        )
        existing = set(summit.participations.values_list("country__code", flat=True))
        for order, code in enumerate(row["participants"]):
            if code in existing:
                report.count("participants", "unchanged")
                continue
            country = _lookup(countries, code, "participant", where)
            Participant.objects.create(summit=summit, country=country, order=order)
            report.count("participants", "created")
    return report
