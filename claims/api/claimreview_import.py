"""Import schema.org ClaimReview JSON-LD, as fact-checkers publish it (Google's
fact-check markup): the one importer behind `POST /api/v1/import/claimreview/`
and `manage.py import_claimreview FILE`.

Each review becomes a claim (slug from our own claim page's address when the
review is one of ours, else from the claim's text), the claim author's
asserting statement with the appearance URLs as its sources, and an assessment
from `reviewRating`. Every record is checked before anything is stored; a bad
one is reported with its index and field, and the import is all or nothing.
Re-importing a review finds what the first import stored and changes nothing.
"""

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework import exceptions

from claims import services
from claims.urls_normalise import normalise_url
from claims.vocabularies import ActorKind, Status

from .claimreview_store import ReviewStore

MAX_TEXT = 5000
WIKIDATA_URL = re.compile(r"wikidata\.org/(?:wiki|entity)/(Q[1-9][0-9]*)$")
OUR_CLAIM_PAGE = re.compile(r"^/claims/([-a-zA-Z0-9_]+)/?$")
HTTP_URL = URLValidator(schemes=["http", "https"])

# Other fact-checkers' words for their verdicts, lower-cased, to our statuses.
RATING_NAMES = {
    **{status.value: status for status in Status},
    **{status.label.lower(): status for status in Status},
    "false": Status.REFUTED,
    "pants on fire": Status.REFUTED,
    "fake": Status.REFUTED,
    "incorrect": Status.REFUTED,
    "wrong": Status.REFUTED,
    "true": Status.CONFIRMED,
    "correct": Status.CONFIRMED,
    "accurate": Status.CONFIRMED,
    "mostly false": Status.MISLEADING,
    "missing context": Status.MISLEADING,
    "out of context": Status.MISLEADING,
    "half true": Status.MIXED,
    "mostly true": Status.MIXED,
    "partly false": Status.MIXED,
    "partly true": Status.MIXED,
    "unproven": Status.UNVERIFIABLE,
    "unsupported": Status.UNVERIFIABLE,
}
# ratingValue on a 1 (worst) to 5 (best) scale, where it is all we have.
RATING_VALUES = {1: Status.REFUTED, 2: Status.MISLEADING, 5: Status.CONFIRMED}


class ImportFailed(exceptions.APIException):
    """400: the records that are wrong, each as {index, field, message}."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, records):
        super().__init__("Nothing was imported: fix the records listed in errors.records.")
        self.records = records


class RecordError(Exception):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class Author:
    name: str
    kind: str
    wikidata_id: str = ""


@dataclass
class Review:
    index: int
    text: str
    slug: str
    reviewed_on: dt.date
    status: str
    original_rating: str
    reviewer: str
    claimed_on: dt.date | None
    author: Author | None
    appearances: list = field(default_factory=list)  # [(url, title)]
    review_url: str = ""


# --- Reading one record ----------------------------------------------------


def _text(value, name, *, required=False, max_length=MAX_TEXT):
    if value is None or value == "":
        if required:
            raise RecordError(name, "This field is required.")
        return ""
    if not isinstance(value, str):
        raise RecordError(name, "Expected a string.")
    value = " ".join(value.split())
    if "\x00" in value:
        raise RecordError(name, "Null characters are not allowed.")
    if required and not value:
        raise RecordError(name, "This field is required.")
    if len(value) > max_length:
        raise RecordError(name, f"At most {max_length} characters.")
    return value


def _date(value, name, *, allow_future=False):
    if value in (None, ""):
        return None
    text = _text(value, name, max_length=40)
    try:
        moment = parse_datetime(text)
        day = moment.date() if moment else parse_date(text)
    except ValueError:
        day = None
    if day is None:
        raise RecordError(name, "Expected an ISO 8601 date, like 2023-04-03.")
    if not allow_future and day > timezone.localdate():
        raise RecordError(name, "This date is in the future.")
    return day


def _one(value):
    """JSON-LD allows one value or a list of them where one is meant."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _many(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@functools.lru_cache(maxsize=16384)
def _checked_url(url):
    """The normalised form of a valid http(s) URL, else None. Remembered: a
    feed cites the same outlets' pages over and over."""
    try:
        HTTP_URL(url)
        return normalise_url(url)
    except (DjangoValidationError, ValueError):
        return None


def _url(value, name):
    url = _checked_url(_text(value, name, required=True, max_length=2000))
    if url is None:
        raise RecordError(name, "Expected an http:// or https:// address.")
    return url


def _number(value, name):
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RecordError(name, "Expected a number.")
    try:
        number = float(value)
    except ValueError as error:
        raise RecordError(name, "Expected a number.") from error
    if number != number or number in (float("inf"), float("-inf")):
        raise RecordError(name, "Expected a number.")
    return number


def _rating(rating):
    """(status, the rating as the reviewer wrote it when it is not our word)."""
    if not isinstance(rating, dict):
        raise RecordError("reviewRating", "Expected a Rating object.")
    name = _text(rating.get("alternateName"), "reviewRating.alternateName", max_length=200)
    value = _number(rating.get("ratingValue"), "reviewRating.ratingValue")
    if not name and value is None:
        raise RecordError("reviewRating", "Give alternateName or ratingValue.")
    if name:
        key = " ".join(name.lower().replace("-", " ").replace("_", " ").split())
        ours = {status.label for status in Status}
        if key in RATING_NAMES:
            return RATING_NAMES[key], ("" if name in ours else name)
        return Status.UNVERIFIABLE, name
    best = _number(rating.get("bestRating"), "reviewRating.bestRating")
    worst = _number(rating.get("worstRating"), "reviewRating.worstRating")
    best, worst = (5 if best is None else best), (1 if worst is None else worst)
    if best <= worst or not worst <= value <= best:
        raise RecordError("reviewRating.ratingValue", "Expected worstRating <= ratingValue <= bestRating.")
    scaled = round(1 + 4 * (value - worst) / (best - worst))
    original = f"{value:g} of {worst:g} to {best:g}"
    return RATING_VALUES.get(scaled, Status.UNVERIFIABLE), original


def _author(value):
    value = _one(value)
    if value is None:
        return None
    if isinstance(value, str):
        return Author(
            _text(value, "itemReviewed.author", required=True, max_length=200), ActorKind.ORGANISATION
        )
    if not isinstance(value, dict):
        raise RecordError("itemReviewed.author", "Expected a Person or Organization.")
    name = _text(value.get("name"), "itemReviewed.author.name", required=True, max_length=200)
    kind = ActorKind.PERSON if _one(value.get("@type")) == "Person" else ActorKind.ORGANISATION
    wikidata_id = ""
    for same_as in _many(value.get("sameAs")):
        match = WIKIDATA_URL.search(same_as) if isinstance(same_as, str) else None
        if match:
            wikidata_id = match.group(1)
    return Author(name, kind, wikidata_id)


def _appearances(item):
    found = []
    for key in ("appearance", "firstAppearance"):
        for position, value in enumerate(_many(item.get(key))):
            name = f"itemReviewed.{key}[{position}]"
            if isinstance(value, str):
                url, title = _url(value, name), ""
            elif isinstance(value, dict):
                url = _url(value.get("url"), f"{name}.url")
                title = _text(_one(value.get("headline")) or _one(value.get("name")), f"{name}.headline")
            else:
                raise RecordError(name, "Expected a URL or a CreativeWork with a url.")
            if url not in [seen for seen, _ in found]:
                found.append((url, (title or url)[:500]))
    return found


def read_review(index, record):
    if not isinstance(record, dict):
        raise RecordError("", "Expected a ClaimReview object.")
    if "ClaimReview" not in _many(record.get("@type")):
        raise RecordError("@type", "Expected a ClaimReview.")
    text = _text(record.get("claimReviewed"), "claimReviewed", required=True)
    status, original = _rating(_one(record.get("reviewRating")))
    reviewed_on = _date(record.get("datePublished"), "datePublished") or timezone.localdate()
    item = _one(record.get("itemReviewed")) or {}
    if not isinstance(item, dict):
        raise RecordError("itemReviewed", "Expected a Claim object.")
    review_url = _url(record["url"], "url") if record.get("url") else ""
    slug = ""
    if review_url.startswith(settings.SITE_URL + "/"):
        match = OUR_CLAIM_PAGE.match(review_url.removeprefix(settings.SITE_URL))
        slug, review_url = (match.group(1)[:200] if match else ""), ""
    reviewer = _one(record.get("author"))
    reviewer = reviewer.get("name") if isinstance(reviewer, dict) else reviewer
    return Review(
        index=index,
        text=text,
        slug=slug,
        reviewed_on=reviewed_on,
        status=status,
        original_rating=original,
        reviewer=_text(reviewer, "author.name", max_length=200) if isinstance(reviewer, str) else "",
        claimed_on=_date(item.get("datePublished"), "itemReviewed.datePublished"),
        author=_author(item.get("author")),
        appearances=_appearances(item),
        review_url=review_url,
    )


def read_reviews(payload):
    """All records of a payload, or ImportFailed listing every bad one."""
    in_graph = isinstance(payload, dict) and "@graph" in payload
    if in_graph:
        records = payload["@graph"]
    elif isinstance(payload, dict):
        records = [payload]
    else:
        records = payload
    if not isinstance(records, list):
        raise ImportFailed(
            [{"index": None, "field": "", "message": "Expected a ClaimReview, a list or @graph."}]
        )
    reviews, errors = [], []
    for index, record in enumerate(records):
        if in_graph and isinstance(record, dict) and "ClaimReview" not in _many(record.get("@type")):
            continue  # other nodes of a graph: the publisher, the page
        try:
            reviews.append(read_review(index, record))
        except RecordError as error:
            errors.append({"index": index, "field": error.field, "message": error.message})
    if errors:
        raise ImportFailed(errors)
    return reviews


# --- Storing (claims/api/claimreview_store.py) ----------------------------


def import_claim_reviews(payload, user=None):
    """Store the reviews of `payload` (parsed JSON), published. All or nothing.

    With a `user` (the API, or the command's --user) that user must be a
    Reviewer and the history names them; without one (the command line) the
    history names nobody."""
    reviews = read_reviews(payload)
    if user is not None:
        if not user.is_authenticated:
            raise exceptions.NotAuthenticated()
        if not (services.can_publish_claims(user) and user.has_perm("claims.publish_assessment")):
            raise PermissionDenied(
                "Only reviewers can import reviews: an import publishes claims and assessments."
            )
    try:
        with transaction.atomic():
            return ReviewStore(user).run(reviews)
    except DatabaseError as error:
        # A concurrent edit (two imports making the same slug at once, say).
        message = str(error).strip().splitlines()[0] if str(error).strip() else "database error"
        raise ImportFailed(
            [{"index": None, "field": "", "message": f"Nothing was stored: {message}"}]
        ) from error
