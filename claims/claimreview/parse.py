"""Read and check schema.org ClaimReview JSON-LD, as fact-checkers publish it
(Google's fact-check markup), for the importer (claims/claimreview/importer.py)
behind `POST /api/v1/import/claimreview/` and `manage.py import_claimreview FILE`.

A review is another organisation's rating, never our verdict. Each review
gives a claim (found by its text, or made: slug from the text), the claim
author's asserting statement with the appearance URLs as its sources, and the
reviewer's rating as an `ExternalReview` ("rated elsewhere"). No import makes
an assessment or changes a claim's status: a Reviewer may adopt a rating as a
draft assessment of ours (services.adopt_external_review). A review that is
one of our own claim pages (its `url` under SITE_URL) finds that claim by its
slug and stores no rating: we do not rate ourselves from our own markup.

Every record is checked before anything is stored, and every error of a
record is reported (its index, each field and message). The import is all or
nothing: one refused record and nothing is stored; the report then still says
what each good record would have done. Re-importing a review finds what the
first import stored and changes nothing (`duplicate`).
"""

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from claims.models import TEXT_LIMITS
from claims.urls_normalise import normalise_url
from claims.vocabularies import ActorKind, Status

from .store import REFUSED
from .vocabulary import RATING_NAMES, RATING_VALUES

MAX_TEXT = 5000
WIKIDATA_URL = re.compile(r"wikidata\.org/(?:wiki|entity)/(Q[1-9][0-9]*)$")
OUR_CLAIM_PAGE = re.compile(r"^/claims/([-a-zA-Z0-9_]+)/?$")
HTTP_URL = URLValidator(schemes=["http", "https"])


class ImportFailed(Exception):
    """Nothing was stored. `records` is the per-record report: every record,
    the refused ones with all their errors ({field, message}); the API answers
    it as a 400 with the list in `errors.records`."""

    def __init__(self, records, detail=None):
        refused = sum(1 for record in records if record["outcome"] == REFUSED)
        self.detail = (
            detail
            or f"Nothing was imported: {refused} of {len(records)} records refused; "
            "fix the records listed in errors.records."
        )
        super().__init__(self.detail)
        self.records = records


def refused(index, errors):
    """A refused record's report entry."""
    return {
        "index": index,
        "outcome": REFUSED,
        "claim": None,
        "rating_added": False,
        "changed": False,
        "errors": errors,
    }


class RecordError(Exception):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


class Errors:
    """Every error of one record: a field that fails is noted, and reading goes
    on to the next field, so the report lists them all at once."""

    def __init__(self):
        self.found = []

    def __call__(self, read, *args, default=None, **kwargs):
        """`read(*args, **kwargs)`, or `default` (and the error noted)."""
        try:
            return read(*args, **kwargs)
        except RecordError as error:
            self.add(error.field, error.message)
            return default

    def add(self, field, message):
        self.found.append({"field": field, "message": message})

    def __len__(self):
        return len(self.found)


class RecordInvalid(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


@dataclass
class Author:
    name: str
    kind: str
    wikidata_id: str = ""


@dataclass
class Rating:
    """The reviewer's rating: as they wrote it, on the 1-5 scale where they
    gave a number, and our nearest status."""

    as_written: str
    value: int | None
    status: str


@dataclass
class Review:
    index: int
    text: str
    reviewed_on: dt.date
    rating: Rating
    reviewer: str
    claimed_on: dt.date | None
    author: Author | None
    appearances: list = field(default_factory=list)  # [(url, title)]
    review_url: str = ""
    reviewer_url: str = ""
    ours: bool = False  # one of our own pages: no rating is stored
    slug: str = ""  # our claim page's slug, when it is one


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
    except (ValueError, OverflowError) as error:
        raise RecordError(name, "Expected a number.") from error
    if number != number or number in (float("inf"), float("-inf")):
        raise RecordError(name, "Expected a number.")
    return number


def _rating(rating, errors):
    """The Rating, or None (the errors noted).

    With an `alternateName`, that is the rating as written and what our status
    is matched by; a `ratingValue` beside it is scaled to 1-5 where it lies
    on its scale, else left out. Without one, the number is the rating and
    must lie between worstRating (default 1) and bestRating (default 5)."""
    if not isinstance(rating, dict):
        raise RecordError("reviewRating", "Expected a Rating object.")
    before = len(errors)
    name = errors(_text, rating.get("alternateName"), "reviewRating.alternateName", max_length=200)
    value = errors(_number, rating.get("ratingValue"), "reviewRating.ratingValue")
    best = errors(_number, rating.get("bestRating"), "reviewRating.bestRating")
    worst = errors(_number, rating.get("worstRating"), "reviewRating.worstRating")
    if len(errors) > before:
        return None
    if not name and value is None:
        raise RecordError("reviewRating", "Give alternateName or ratingValue.")
    best, worst = (5 if best is None else best), (1 if worst is None else worst)
    on_scale = value is not None and worst < best and worst <= value <= best
    scaled = round(1 + 4 * (value - worst) / (best - worst)) if on_scale else None
    if name:
        key = " ".join(name.lower().replace("-", " ").replace("_", " ").split())
        return Rating(name, scaled, RATING_NAMES.get(key, Status.UNVERIFIABLE))
    if not on_scale:
        raise RecordError("reviewRating.ratingValue", "Expected worstRating <= ratingValue <= bestRating.")
    return Rating(
        f"{value:g} of {worst:g} to {best:g}", scaled, RATING_VALUES.get(scaled, Status.UNVERIFIABLE)
    )


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


def _appearance(value, name):
    if isinstance(value, str):
        return _url(value, name), ""
    if isinstance(value, dict):
        url = _url(value.get("url"), f"{name}.url")
        return url, _text(_one(value.get("headline")) or _one(value.get("name")), f"{name}.headline")
    raise RecordError(name, "Expected a URL or a CreativeWork with a url.")


def _appearances(item, errors):
    found = []
    for key in ("appearance", "firstAppearance"):
        for position, value in enumerate(_many(item.get(key))):
            appearance = errors(_appearance, value, f"itemReviewed.{key}[{position}]")
            if appearance is None:
                continue
            url, title = appearance
            if url not in [seen for seen, _ in found]:
                found.append((url, (title or url)[:500]))
    return found


def _host(url):
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _reviewer(value, review_url, ours, errors):
    """(who rated it, their site). The organisation is `author.name`; where a
    review names none, its address's host ("snopes.com") stands for it."""
    value = _one(value)
    name, site = "", ""
    if isinstance(value, dict):
        name = errors(_text, value.get("name"), "author.name", max_length=200, default="")
        if value.get("url"):
            site = errors(_url, value.get("url"), "author.url", default="")
    elif isinstance(value, str):
        name = errors(_text, value, "author", max_length=200, default="")
    elif value is not None:
        errors.add("author", "Expected an Organization or a name.")
    if not name and review_url:
        name = _host(review_url)[:200]
    if not name and not ours:
        errors.add("author.name", "Name who rated the claim (author.name), or give the review's url.")
    return name, site


def read_review(index, record):
    """The Review of one record, or RecordInvalid with every error it has."""
    if not isinstance(record, dict):
        raise RecordInvalid([{"field": "", "message": "Expected a ClaimReview object."}])
    errors = Errors()
    if "ClaimReview" not in _many(record.get("@type")):
        errors.add("@type", "Expected a ClaimReview.")
    text = errors(
        _text,
        record.get("claimReviewed"),
        "claimReviewed",
        required=True,
        max_length=TEXT_LIMITS["claim_text"],
    )
    rating = errors(_rating, _one(record.get("reviewRating")), errors)
    reviewed_on = errors(_date, record.get("datePublished"), "datePublished") or timezone.localdate()
    item = _one(record.get("itemReviewed")) or {}
    if not isinstance(item, dict):
        errors.add("itemReviewed", "Expected a Claim object.")
        item = {}
    review_url = errors(_url, record["url"], "url", default="") if record.get("url") else ""
    slug, ours = "", False
    if review_url.startswith(settings.SITE_URL + "/"):
        match = OUR_CLAIM_PAGE.match(review_url.removeprefix(settings.SITE_URL))
        slug, review_url, ours = (match.group(1)[:200] if match else ""), "", True
    reviewer, reviewer_url = _reviewer(record.get("author"), review_url, ours, errors)
    claimed_on = errors(_date, item.get("datePublished"), "itemReviewed.datePublished")
    author = errors(_author, item.get("author"))
    appearances = _appearances(item, errors)
    if errors.found:
        raise RecordInvalid(errors.found)
    return Review(
        index=index,
        text=text,
        reviewed_on=reviewed_on,
        rating=rating,
        reviewer=reviewer,
        reviewer_url=reviewer_url,
        claimed_on=claimed_on,
        author=author,
        appearances=appearances,
        review_url=review_url,
        ours=ours,
        slug=slug,
    )


def records_of(payload):
    """[(index, record)] of a payload: one ClaimReview, a list, or an @graph
    (whose other nodes, the publisher or the page, are skipped)."""
    in_graph = isinstance(payload, dict) and "@graph" in payload
    if in_graph:
        records = payload["@graph"]
    elif isinstance(payload, dict):
        records = [payload]
    else:
        records = payload
    if not isinstance(records, list):
        raise ImportFailed(
            [refused(None, [{"field": "", "message": "Expected a ClaimReview, a list or @graph."}])]
        )
    return [
        (index, record)
        for index, record in enumerate(records)
        if not (in_graph and isinstance(record, dict) and "ClaimReview" not in _many(record.get("@type")))
    ]


def read_reviews(payload):
    """(the good records' Reviews, the refused records' report entries)."""
    reviews, bad = [], []
    for index, record in records_of(payload):
        try:
            reviews.append(read_review(index, record))
        except RecordInvalid as invalid:
            bad.append(refused(index, invalid.errors))
    return reviews, bad
