"""Tag suggestions: the countries, frameworks and summits a text is about, by `suggest_tags()`."""

from .engine import Suggestion, Suggestions, suggest_tags
from .vocabulary import clear_cache, vocabulary
from .weights import SUMMIT_THRESHOLD, THRESHOLD

__all__ = [
    "SUMMIT_THRESHOLD",
    "THRESHOLD",
    "Suggestion",
    "Suggestions",
    "clear_cache",
    "suggest_tags",
    "vocabulary",
]
