"""Full-text search of published articles, the same on PostgreSQL and SQLite.

A reader's words are parsed here, once, into terms: words, "quoted phrases",
-excluded words and OR between alternatives. Each backend then runs the same
terms through its own engine:

- PostgreSQL: a weighted `SearchVector` stored in `Article.search_vector`
  (title A, standfirst and bylines B, body C) behind a GIN index, matched with
  `SearchQuery`, ordered by `SearchRank`, excerpted with `SearchHeadline`;
  pg_trgm's `similarity()` proposes spellings.
- SQLite: an FTS5 table, `journal_article_search`, whose rowid is the
  article's id, ranked with bm25 (title 10, standfirst and bylines 4, body 1)
  and excerpted with `snippet()`; the same trigram similarity is computed here.

The index holds every article, whatever its state: whether a reader may see
one is decided when the search runs, by `Article.objects.published()`, so a
scheduled article becomes findable at its time like everywhere else.
"""
