"""Reading suggest_tags()' answer in tests: which countries, frameworks or summits it offers."""

from summits.tagging_eval import summit_key

CENTRAL_ASIA = {"KZ", "KG", "TJ", "TM", "UZ"}


def strong(suggestions, kind="countries") -> set[str]:
    """The keys of what the form offers to add (country codes, framework slugs, summit keys)."""
    return {_key(kind, s) for s in getattr(suggestions, kind) if s.strong}


def shown(suggestions, kind="countries") -> set[str]:
    """The keys of everything shown, "mentioned in passing" included."""
    return {_key(kind, s) for s in getattr(suggestions, kind)}


def _key(kind, suggestion) -> str:
    if kind == "countries":
        return suggestion.obj.code
    if kind == "frameworks":
        return suggestion.obj.slug
    return summit_key(suggestion.obj)


def paragraphs(*texts: str) -> str:
    """An article body of one paragraph per text."""
    return "".join(f"<p>{text}</p>" for text in texts)
