"""The weights and thresholds suggestions are tuned with (`manage.py evaluate_tag_suggestions`)."""

# Where a word appears, and how much that says about the article.
ZONE_WEIGHTS = {"title": 3.0, "standfirst": 2.0, "body": 1.0}
# The n-th mention of the same thing in one part of the text counts DECAY**n.
REPEAT_DECAY = 0.7
KIND_WEIGHTS = {
    "name": 1.0,
    "framework": 1.0,
    "demonym": 0.8,
    "place": 0.6,
    "metonym": 0.6,
    "context": 0.0,
}
# Weight of "Central Asian Five" for each of the five.
BLOC_TO_MEMBERS = 0.8
# Share of a framework's score lent to its partner and members.
FRAMEWORK_TO_MEMBERS = 0.5
# Share of a partner's own score lent to a framework named in the text.
PARTNER_TO_FRAMEWORK = 0.25
# Share of a recognised summit's score lent to its framework and participants.
SUMMIT_TO_FRAMEWORK = 0.5
SUMMIT_TO_PARTICIPANTS = 0.2
# What a Central Asian state the lead names as where a visit goes gains.
VISIT_DESTINATION = 1.0
# What a summit the editor already tagged lends its framework and participants.
TAGGED_SUMMIT_FRAMEWORK = 3.0
TAGGED_SUMMIT_PARTICIPANT = 2.0

# Below these a suggestion is shown as weak (a passing mention). One body
# mention of a country scores 1.0; one in the headline, 3.0.
THRESHOLD = 1.5
SUMMIT_THRESHOLD = 2.5

# Evidence lines kept per suggestion, strongest first.
MAX_EVIDENCE = 8

# How much each kind of cue says, when it fits the summit.
CUE_WEIGHTS = {
    "day": 4.5,
    "month_day": 3.5,
    "month": 3.0,
    "year": 2.0,
    "city": 2.0,
    "edition": 2.0,
    "level": 0.5,
    "other_date": 1.0,
}

# How much a sentence's cues count for a summit, by what ties the sentence to
# the summit's framework.
RELEVANCE = {
    # The framework is named in the sentence, the one before, or the headline.
    "near": 1.0,
    # The article covers the framework.
    "covered": 0.75,
    # The partner is named in the sentence, or the article covers the partner.
    "partner": 0.6,
    # The framework is named in passing elsewhere.
    "in passing": 0.5,
}
