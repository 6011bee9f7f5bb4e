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
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework import exceptions

from claims import services
from claims.batching import batched
from claims.models import Actor, ActorAlias, Assessment, Claim, Source, Statement, StatementSource
from claims.urls_normalise import normalise_url
from claims.vocabularies import ActorKind, SourceKind, Stance, Status

from .slugs import unique_slug

MAX_TEXT = 5000
WIKIDATA_URL = re.compile(r"wikidata\.org/(?:wiki|entity)/(Q[1-9][0-9]*)$")
OUR_CLAIM_PAGE = re.compile(r"^/claims/([-a-zA-Z0-9_]+)/?$")

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


def _url(value, name):
    url = _text(value, name, required=True, max_length=2000)
    try:
        URLValidator(schemes=["http", "https"])(url)
        url = normalise_url(url)
    except (DjangoValidationError, ValueError) as error:
        raise RecordError(name, "Expected an http:// or https:// address.") from error
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


# --- Storing ---------------------------------------------------------------


class Importer:
    def __init__(self, user):
        self.user = user
        self.created = {"claims": 0, "actors": 0, "statements": 0, "sources": 0, "assessments": 0}

    def save(self, obj, counter):
        obj._history_user = self.user
        obj.save()
        self.created[counter] += 1
        return obj

    def claim(self, review):
        claim = Claim.objects.filter(text=review.text).order_by("pk").first()
        if claim is not None:
            return claim
        slug = review.slug
        if not slug or Claim.objects.filter(slug=slug).exists():
            slug = unique_slug(Claim, review.text)
        claim = Claim(
            text=review.text,
            slug=slug,
            first_claimed_on=review.claimed_on,
            is_published=self.user is None,  # the command line publishes directly
        )
        self.save(claim, "claims")
        if self.user is not None:
            services.set_claim_published(claim, True, self.user)
        return claim

    def actor(self, author):
        found = None
        if author.wikidata_id:
            found = Actor.objects.filter(wikidata_id=author.wikidata_id).first()
        found = found or Actor.objects.filter(name__iexact=author.name).order_by("pk").first()
        if found is None:
            alias = ActorAlias.objects.filter(name__iexact=author.name).select_related("actor").first()
            found = alias.actor if alias else None
        if found is not None:
            return found
        actor = Actor(
            name=author.name,
            slug=unique_slug(Actor, author.name, fallback="actor"),
            kind=author.kind,
            wikidata_id=author.wikidata_id,
        )
        return self.save(actor, "actors")

    def load_sources(self, reviews):
        """Every source the reviews cite that is stored already, in one query."""
        urls = {url for review in reviews for url, _ in review.appearances}
        urls |= {review.review_url for review in reviews if review.review_url}
        self.sources = {source.url: source for source in Source.objects.filter(url__in=urls)}

    def source(self, url, title, kind=SourceKind.NEWS_REPORT):
        if url not in self.sources:
            self.sources[url] = self.save(Source(url=url, title=title, kind=kind), "sources")
        return self.sources[url]

    def statement(self, review, claim):
        actor = self.actor(review.author)
        stated_on = review.claimed_on or review.reviewed_on
        statement = Statement.objects.filter(
            claim=claim, actor=actor, stance=Stance.ASSERTS, stated_on=stated_on
        ).first()
        linked = set()
        if statement is None:
            statement = self.save(
                Statement(
                    claim=claim, actor=actor, stance=Stance.ASSERTS, stated_on=stated_on, summary=review.text
                ),
                "statements",
            )
        else:
            linked = set(statement.statement_sources.values_list("source_id", flat=True))
        for url, title in review.appearances:
            source = self.source(url, title)
            if source.pk not in linked:
                linked.add(source.pk)
                link = StatementSource(statement=statement, source=source, how="appearance (ClaimReview)")
                link._history_user = self.user
                link.save()

    def assessment(self, review, claim):
        if claim.assessments.filter(status=review.status, assessed_at__date=review.reviewed_on).exists():
            return
        by = f" by {review.reviewer}" if review.reviewer else ""
        rating = f" (rated “{review.original_rating}”)" if review.original_rating else ""
        assessment = Assessment(
            claim=claim,
            status=review.status,
            rationale=f"Imported from a ClaimReview{by}{rating}.",
            original_rating=review.original_rating,
            assessed_at=dt.datetime.combine(review.reviewed_on, dt.time(0, 0), tzinfo=dt.UTC),
            author=self.user,
            is_published=self.user is None,
        )
        self.save(assessment, "assessments")
        if review.review_url:
            title = f"ClaimReview{by}"[:500]
            assessment.evidence.add(self.source(review.review_url, title))
        if self.user is not None:
            services.set_assessment_published(assessment, True, self.user)

    def run(self, reviews):
        self.load_sources(reviews)
        slugs = []
        for review in reviews:
            try:
                with transaction.atomic():
                    claim = self.claim(review)
                    if review.author is not None:
                        self.statement(review, claim)
                    self.assessment(review, claim)
            except (DatabaseError, DjangoValidationError) as error:
                raise ImportFailed([{"index": review.index, "field": "", "message": str(error)}]) from error
            slugs.append(claim.slug)
        return {"created": self.created, "claims": slugs}


def import_claim_reviews(payload, user=None):
    """Store the reviews of `payload` (parsed JSON). All or nothing.

    With a `user` (the API), claims and assessments are published through the
    services as that user; without one (the command line) they are stored
    published, with no user in the history."""
    reviews = read_reviews(payload)
    if user is not None and not user.is_authenticated:
        raise exceptions.NotAuthenticated()
    # Search text and page touches run once per claim at the end, not per row.
    with transaction.atomic(), batched():
        return Importer(user).run(reviews)
