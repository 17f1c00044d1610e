"""Reference views: what the framework alone costs, measured next to the real pages.

`hello` is the floor: the project's middleware and URL resolution, no template,
no database. `template` adds what every list page does in its template (a loop
of 50 cards with URL reversal, localised dates, escaping and translation) but
from data in memory. A page's ratio to them shows how much of its cost is its
own queries and markup.
"""

import datetime

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

SECTIONS = ["News", "Analysis", "Opinion", "Contribution", "Interview"]
COUNTRIES = ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan", "Japan"]
TOPICS = ["water sharing", "transport corridors", "energy security", "critical minerals"]
AUTHORS = ["Aigerim Abenova", "Timur Karimov", "Yuki Tanaka & Claire Dubois", "Priya Sharma"]
STANDFIRST = "{country} and partners on {topic}: funding & <timing> still open."
_START = datetime.datetime(2025, 11, 3, 9, 30, tzinfo=datetime.UTC)

CARDS = [
    {
        "title": f"{COUNTRIES[i % 6]} talks {TOPICS[i % 4]}",
        "slug": f"{COUNTRIES[i % 6].lower()}-talks-{i + 1}",
        "section": SECTIONS[i % 5],
        "standfirst": STANDFIRST.format(country=COUNTRIES[i % 6], topic=TOPICS[i % 4]),
        "author_names": AUTHORS[i % 4],
        "publish_at": _START - datetime.timedelta(days=3 * i, hours=i),
    }
    for i in range(50)
]


def hello(request):
    return HttpResponse(b"Hello, world!")


def template(request):
    return render(
        request,
        "bench/cards.html",
        {"title": "Articles", "cards": CARDS, "now": timezone.now()},
    )
