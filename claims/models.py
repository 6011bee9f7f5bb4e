"""The domain: who said what about which claim, where it was reported, and what
we concluded when. See ../shared/design/domain.md."""

import datetime as dt
from functools import cache

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, Length, Upper
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .links import slug_url
from .urls_normalise import normalise_url
from .vocabularies import (
    ActorKind,
    CaptureState,
    CaptureTrigger,
    ChangeKind,
    ChangeSubject,
    DeliveryState,
    Language,
    LinkKind,
    LinkState,
    SourceCaptureState,
    SourceKind,
    Stance,
    Status,
    WebhookEvent,
    choices_condition,
)

WIKIDATA_ID_REGEX = r"^Q[1-9][0-9]*$"
HTTP_URL_REGEX = r"^https?://"

wikidata_id_validator = RegexValidator(
    WIKIDATA_ID_REGEX, "Enter a Wikidata id: Q followed by digits, for example Q188664."
)
http_url_validator = RegexValidator(HTTP_URL_REGEX, "Enter an http:// or https:// address.", flags=0)
country_validator = RegexValidator(r"^[A-Z]{2}$", "Enter a two-letter ISO 3166 country code, like UA.")


# How far ahead of our clock a moment may be (another machine's clock skew);
# a day may be today anywhere on Earth (UTC+14).
CLOCK_SKEW = dt.timedelta(minutes=5)
EARLIEST_TIME_ZONE = dt.timedelta(hours=14)


def not_in_future(value):
    """For days: a statement, a first claim, a publication cannot be later than today."""
    if value and value > (timezone.now() + EARLIEST_TIME_ZONE).date():
        raise ValidationError("This date is in the future.", code="future")


def moment_not_in_future(value):
    """For moments: a verdict dated ahead of now would outrank every later one."""
    if value and value > timezone.now() + CLOCK_SKEW:
        raise ValidationError("This time is in the future.", code="future")


# Bounds of the free-text fields: what each holds, with room to spare. The
# forms, the API and the import show the limit; the database enforces it.
TEXT_LIMITS = {
    "claim_text": 500,  # one checkable proposition: a sentence or two
    "context": 4000,
    "notes": 10_000,
    "summary": 2000,
    "quote": 4000,  # a paragraph or a few
    "rationale": 8000,
    "description": 4000,
    "aliases": 2000,
}


def bounded_text(limit, **options):
    """A TextField of at most `limit` characters, checked by forms, serializers
    and full_clean (a bare TextField's max_length only sizes the widget)."""
    return models.TextField(max_length=limit, validators=[MaxLengthValidator(limit)], **options)


def length_constraints(model_name, **limits):
    """Named CheckConstraints: each field within its limit (the same limit as its bounded_text)."""
    return [
        models.CheckConstraint(
            condition=LessThanOrEqual(Length(name), models.Value(limit)),
            name=f"{model_name}_{name}_length",
        )
        for name, limit in limits.items()
    ]


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


# --- Topics and places ---------------------------------------------------


class Topic(TimestampedModel):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = bounded_text(TEXT_LIMITS["description"], blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = length_constraints("topic", description=TEXT_LIMITS["description"])
        # The claim list's topic menu: the most recently active topics.
        indexes = [models.Index(fields=["-updated_at", "id"], name="topic_recent_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("claims:topic-detail", self.slug)


class Place(TimestampedModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = bounded_text(
        TEXT_LIMITS["aliases"],
        blank=True,
        help_text="Other names and spellings, one per line (Бахмут, Artemivsk).",
    )
    country = models.CharField(max_length=2, blank=True, validators=[country_validator])
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="place_coordinates_both_or_neither",
            ),
            *length_constraints("place", aliases=TEXT_LIMITS["aliases"]),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": "Give both latitude and longitude, or neither."})

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


# --- Actors -------------------------------------------------------------


class Actor(TimestampedModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=ActorKind.choices, default=ActorKind.PERSON)
    role = models.CharField(
        max_length=300,
        blank=True,
        help_text="For example: spokesperson for Ukraine's eastern military command.",
    )
    affiliation = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="The organisation this actor speaks for or belongs to.",
    )
    country = models.CharField(
        max_length=2, blank=True, validators=[country_validator], help_text="ISO 3166 two-letter code."
    )
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[wikidata_id_validator]
    )
    description = bounded_text(TEXT_LIMITS["description"], blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            *length_constraints("actor", description=TEXT_LIMITS["description"]),
            models.CheckConstraint(condition=choices_condition("kind", ActorKind), name="actor_kind_valid"),
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=WIKIDATA_ID_REGEX),
                name="actor_wikidata_id_format",
            ),
            models.CheckConstraint(
                condition=~Q(affiliation=models.F("pk")), name="actor_not_affiliated_to_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["name"], name="actor_name_idx"),
            # The ClaimReview importer matches authors by Wikidata id and by name in any case.
            models.Index(fields=["wikidata_id"], name="actor_wikidata_idx"),
            models.Index(Upper("name"), name="actor_name_upper_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("claims:actor-detail", self.slug)

    def clean(self):
        if self.pk and self.affiliation_id == self.pk:
            raise ValidationError({"affiliation": "An actor cannot be affiliated to itself."})


class ActorAlias(models.Model):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    language = models.CharField(max_length=2, choices=Language.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "actor aliases"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "name"], name="actor_alias_unique_per_actor"),
            models.CheckConstraint(
                condition=choices_condition("language", Language, allow_blank=True),
                name="actor_alias_language_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["name"], name="actor_alias_name_idx"),
            models.Index(Upper("name"), name="actor_alias_name_upper_idx"),
        ]

    def __str__(self):
        return self.name


# --- Sources ------------------------------------------------------------


def kept_in_order(stored, wanted):
    """How many of the `stored` keys (in their order) may stay when the list
    becomes `wanted`, in its order, without a position column: the common
    start of both. The rows after it are removed and added again in order, so
    their ids (which the order follows) come out in the order wanted."""
    kept = 0
    while kept < min(len(stored), len(wanted)) and stored[kept] == wanted[kept]:
        kept += 1
    return kept


class SourceQuerySet(models.QuerySet):
    def in_evidence_order(self):
        """An assessment's evidence in the order it was given (the join rows'
        ids; Assessment.set_evidence keeps them in that order). Only on a
        query through the evidence join: `assessment.evidence`, or its prefetch."""
        return self.extra(order_by=[f"{Assessment.evidence.through._meta.db_table}.id"])


class Source(TimestampedModel):
    url = models.URLField(
        "URL",
        max_length=2000,
        blank=True,
        help_text="Stored once: scheme and host lower-cased, utm_* parameters and a trailing slash dropped.",
    )
    title = models.CharField(max_length=500)
    publisher = models.ForeignKey(
        Actor, on_delete=models.PROTECT, null=True, blank=True, related_name="published_sources"
    )
    kind = models.CharField(max_length=30, choices=SourceKind.choices, default=SourceKind.NEWS_REPORT)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    published_on = models.DateField(
        null=True, blank=True, validators=[not_in_future], help_text="The day it was published."
    )
    published_time = models.TimeField(
        null=True, blank=True, help_text="The time of day (UTC), only where it is known."
    )
    archive_url = models.URLField(
        "archive URL",
        max_length=2000,
        blank=True,
        validators=[http_url_validator],
        help_text="A snapshot that survives deletion (web.archive.org, archive.today).",
    )
    accessed_on = models.DateField(null=True, blank=True, help_text="When we last read it.")

    # Kept by the capture package (claims/capture/), never by a form: where the
    # evidence stands, for lists, filters and the claim page without a join per row.
    capture_state = models.CharField(
        max_length=10,
        choices=SourceCaptureState.choices,
        default=SourceCaptureState.NEVER,
        db_default=SourceCaptureState.NEVER,  # rows loaded by COPY (bench/datagen.py) too
        editable=False,
    )
    latest_capture = models.ForeignKey(
        "Capture", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    link_state = models.CharField(
        max_length=10,
        choices=LinkState.choices,
        default=LinkState.UNCHECKED,
        db_default=LinkState.UNCHECKED,
        editable=False,
    )
    gone_since = models.DateField(null=True, blank=True, editable=False)
    link_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Capture bookkeeping is not an edit: it stays out of the history (and a
    # revert cannot point a source at another capture).
    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["capture_state", "latest_capture", "link_state", "gone_since", "link_checked_at"]
    )

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="source_url_unique",
                violation_error_message="A source with this URL is already stored.",
            ),
            models.CheckConstraint(condition=choices_condition("kind", SourceKind), name="source_kind_valid"),
            models.CheckConstraint(
                condition=choices_condition("language", Language), name="source_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(archive_url="")
                | Q(archive_url__startswith="http://")
                | Q(archive_url__startswith="https://"),
                name="source_archive_url_is_http",
            ),
            models.CheckConstraint(
                condition=Q(published_time__isnull=True) | Q(published_on__isnull=False),
                name="source_time_needs_day",
            ),
            models.CheckConstraint(
                condition=choices_condition("capture_state", SourceCaptureState),
                name="source_capture_state_valid",
            ),
            models.CheckConstraint(
                condition=choices_condition("link_state", LinkState), name="source_link_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(gone_since__isnull=True) | Q(link_state=LinkState.GONE),
                name="source_gone_since_only_when_gone",
            ),
        ]
        indexes = [
            models.Index(fields=["publisher", "-published_on"], name="source_publisher_idx"),
            # Link health checks the least recently checked first.
            models.Index(fields=["link_checked_at"], name="source_link_checked_idx"),
        ]

    def __str__(self):
        if self.publisher_id:
            return f"{self.title} ({self.publisher})"
        return self.title

    def save(self, *args, **kwargs):
        self.url = normalise_url(self.url)
        super().save(*args, **kwargs)

    def clean(self):
        self.url = normalise_url(self.url)
        if self.published_time and not self.published_on:
            raise ValidationError({"published_time": "Give the day before the time."})


class CaptureQuerySet(models.QuerySet):
    def captured(self):
        return self.filter(state=CaptureState.CAPTURED)

    def in_order(self):
        return self.order_by("requested_at", "pk")


class Capture(models.Model):
    """One fetch of a source's URL, kept as evidence: what came back, its
    SHA-256, the facts read from it, and the raw exchange as a WARC file.
    Created pending, filled once by the capture task, then never changed or
    deleted by the app (save() refuses to)."""

    # Evidence outlives a deleted source: the capture keeps its source's id (no
    # database constraint, nothing cascades), so restoring the source from its
    # history brings its captures back. No reader door serves an orphan.
    source = models.ForeignKey(
        Source, on_delete=models.DO_NOTHING, db_constraint=False, related_name="captures"
    )
    state = models.CharField(max_length=10, choices=CaptureState.choices, default=CaptureState.PENDING)
    trigger = models.CharField(max_length=12, choices=CaptureTrigger.choices, default=CaptureTrigger.CREATED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    requested_url = models.URLField(max_length=2000)
    attempts = models.PositiveSmallIntegerField(default=0)

    final_url = models.URLField(max_length=2000, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Body bytes as received.")
    fetched_at = models.DateTimeField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True, help_text="Seconds the fetch took.")
    sha256 = models.CharField(
        "SHA-256", max_length=64, blank=True, help_text="Of the body bytes as received."
    )
    title = models.CharField(max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=2, blank=True)
    text = models.TextField(blank=True, help_text="The main text read from the page.")
    warc = models.FileField(upload_to="captures/%Y/%m/", blank=True, max_length=300)
    warc_sha256 = models.CharField("WARC SHA-256", max_length=64, blank=True)
    warc_size = models.PositiveBigIntegerField(null=True, blank=True)
    failure_reason = models.CharField(max_length=500, blank=True)

    objects = CaptureQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "pk"]
        get_latest_by = ["requested_at", "pk"]
        # Nobody adds, changes or deletes a capture by hand: editors may view
        # them and ask for another.
        default_permissions = ("view",)
        permissions = [("request_capture", "Can ask for a source to be captured again")]
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("state", CaptureState), name="capture_state_valid"
            ),
            models.CheckConstraint(
                condition=choices_condition("trigger", CaptureTrigger), name="capture_trigger_valid"
            ),
            # A capture is its hash: no "captured" without the body's and the WARC's.
            models.CheckConstraint(
                condition=~Q(state=CaptureState.CAPTURED)
                | (
                    Q(sha256__regex=r"^[0-9a-f]{64}$")
                    & Q(warc_sha256__regex=r"^[0-9a-f]{64}$")
                    & Q(fetched_at__isnull=False)
                    & Q(http_status__isnull=False)
                ),
                name="capture_captured_has_hashes",
            ),
            models.CheckConstraint(
                condition=~Q(state=CaptureState.FAILED) | ~Q(failure_reason=""),
                name="capture_failed_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["source", "requested_at"], name="capture_source_idx")]

    def __str__(self):
        when = self.fetched_at or self.requested_at
        return f"{self.get_state_display()} {when:%Y-%m-%d %H:%M}: {self.requested_url}"

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored is not None and stored != CaptureState.PENDING:
                raise ValueError("A finished capture is evidence: it is never changed.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("claims:capture-detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise ValueError("A capture is evidence: it is never deleted.")

    @property
    def is_captured(self):
        return self.state == CaptureState.CAPTURED


# --- Claims -------------------------------------------------------------


CONTESTED_WINDOW = 500


@cache
def _statement_count(stance):
    """How many statements (with `stance`, if given) the outer claim has, as a
    correlated subquery. Built once: an expression is copied, never changed,
    when a query uses it, and building the two a list counts with cost a
    tenth of a search."""
    filters = {"stance": stance} if stance else {}
    statements = (
        Statement.objects.filter(claim=models.OuterRef("pk"), **filters)
        .order_by()
        .values("claim")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(statements), 0)


# A claim list's row (`for_list`, `{% claim_rows %}`).
LIST_ROW_FIELDS = ("pk", "slug", "text", "status", "first_claimed_on", "asserts_count", "denies_count")


@cache
def _topic_column(name):
    """A topic's column for a claim-topic row, looked up by the topic's key: a
    join made PostgreSQL hash the whole topic table for a page's few rows
    (0.3 against 1.1 ms at a million claims)."""
    return models.Subquery(Topic.objects.filter(pk=models.OuterRef("topic_id")).order_by().values(name))


def with_topics(rows):
    """`rows` (for_list's) as a list, each with `topics`: its (slug, name)
    pairs by name, read for every row in one query, as prefetch_related did."""
    rows = list(rows)
    topics = {}
    tagged = (
        Claim.topics.through.objects.filter(claim_id__in=[row["pk"] for row in rows])
        .annotate(topic_slug=_topic_column("slug"), topic_name=_topic_column("name"))
        .order_by("topic_name", "topic_id")
        .values_list("claim_id", "topic_slug", "topic_name")
    )
    for claim_id, slug, name in tagged if rows else ():
        topics.setdefault(claim_id, []).append((slug, name))
    for row in rows:
        row["topics"] = topics.get(row["pk"], ())
    return rows


class ClaimQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_statements(self):
        """Everything a claim page shows, in a fixed number of queries."""
        return self.select_related("place").prefetch_related(
            "topics",
            models.Prefetch(
                "statements",
                queryset=Statement.objects.select_related("actor__affiliation").prefetch_related(
                    models.Prefetch(
                        "statement_sources",
                        # The latest capture rides along (its text, which the page
                        # does not show, stays behind): no query per source.
                        queryset=StatementSource.objects.select_related(
                            "source__publisher", "source__latest_capture"
                        ).defer("source__latest_capture__text"),
                    )
                ),
            ),
            models.Prefetch(
                "assessments",
                queryset=Assessment.objects.published().prefetch_related(
                    models.Prefetch(
                        "evidence",
                        Source.objects.select_related("publisher", "latest_capture")
                        .defer("latest_capture__text")
                        .in_evidence_order(),
                    )
                ),
                to_attr="published_assessments",
            ),
        )

    def with_ratings_elsewhere(self):
        """Other organisations' ratings, as the claim page and API detail show them."""
        return self.prefetch_related(
            models.Prefetch("external_reviews", ExternalReview.objects.select_related("adopted_as"))
        )

    # --- Reader pages (claims/views/) ---------------------------------------

    def with_stance_counts(self, total=True):
        """`statement_count` (unless `total=False`), `asserts_count` and
        `denies_count` as correlated subqueries: a page of a long list counts
        only the rows it shows."""
        return self.annotate(
            **({"statement_count": _statement_count(None)} if total else {}),
            asserts_count=_statement_count(Stance.ASSERTS),
            denies_count=_statement_count(Stance.DENIES),
        )

    def for_list(self):
        """What a row of a claim list shows, as values() rows (dicts: a list
        page builds no model instance): status, text, first day, both sides'
        counts (not the total, which no row shows: one subquery a row fewer).
        A queryset that counted already (`most_contested`) is counted by the
        same expressions: the SQL is the same. Their topics come from
        `with_topics`, once the page's rows are read."""
        return self.with_stance_counts(total=False).values(*LIST_ROW_FIELDS)

    def with_statement_by(self, actor=None, stance=None):
        """Claims with a statement by `actor` and/or with `stance` (the same statement)."""
        filters = {key: value for key, value in {"actor": actor, "stance": stance}.items() if value}
        return self.filter(models.Exists(Statement.objects.filter(claim=models.OuterRef("pk"), **filters)))

    def recently_assessed(self):
        return self.published().filter(status_changed_at__isnull=False).order_by("-status_changed_at", "-pk")

    def recently_updated(self):
        return self.published().order_by("-updated_at", "-pk")

    def most_contested(self, window=CONTESTED_WINDOW):
        """Of the `window` most recently updated published claims, those with
        statements on both sides, most statements first: what is contested now,
        at a cost that does not grow with the archive."""
        recent = self.published().order_by("-updated_at", "-pk").values("pk")[:window]
        return (
            self.filter(pk__in=models.Subquery(recent))
            .with_stance_counts()
            .filter(asserts_count__gt=0, denies_count__gt=0)
            .order_by((models.F("asserts_count") + models.F("denies_count")).desc(), "-updated_at", "-pk")
        )

    def stated_by(self, actor):
        """Published claims `actor` made statements on, each with `actor_statements`."""
        return (
            self.published()
            .with_statement_by(actor=actor)
            .prefetch_related(
                models.Prefetch(
                    "statements",
                    queryset=Statement.objects.filter(actor=actor).order_by("stated_on", "pk"),
                    to_attr="actor_statements",
                )
            )
        )

    def track_record(self, actor):
        """Rows of {stance, status, claims}: how the claims `actor` took each
        stance on stand now (current status of published claims)."""
        return (
            self.published()
            .filter(statements__actor=actor)
            .values("statements__stance", "status")
            .annotate(claims=models.Count("pk", distinct=True))
            .order_by()
        )

    # --- The desk (what waits for a Reviewer: claims/admin/desk.py) ---------

    def awaiting_publication(self):
        """Drafts, the longest waiting first."""
        return self.filter(is_published=False).order_by("created_at", "pk")

    def with_unassessed_statements(self):
        """Published claims with a statement logged after their newest
        assessment (draft or published) was logged, or with statements and no
        assessment at all: the verdict has not caught up with what was said.
        Annotated `newest_statement_at` and `last_assessed_at` (None when
        never assessed); the most recently updated first.

        "Logged" is `created_at`, not `assessed_at`: an assessment may be dated
        back (an import, the demo), and a statement logged after it was still
        never seen by whoever made it."""
        newest_statement = (
            Statement.objects.filter(claim=models.OuterRef("pk")).order_by("-created_at").values("created_at")
        )
        last_assessment = (
            Assessment.objects.filter(claim=models.OuterRef("pk"))
            .order_by("-created_at")
            .values("created_at")
        )
        return (
            self.published()
            .annotate(
                newest_statement_at=models.Subquery(newest_statement[:1]),
                last_assessed_at=models.Subquery(last_assessment[:1]),
            )
            .filter(newest_statement_at__isnull=False)
            .filter(
                Q(last_assessed_at__isnull=True) | Q(newest_statement_at__gt=models.F("last_assessed_at"))
            )
            .order_by("-updated_at", "-pk")
        )

    def disputed_without_assessment_since(self, days):
        """Published claims disputed for more than `days` days (their status
        comes from an assessment dated before then) with no assessment, draft
        or published, dated since: disputed the longest first."""
        cutoff = timezone.now() - dt.timedelta(days=days)
        recent = Assessment.objects.filter(claim=models.OuterRef("pk"), assessed_at__gte=cutoff)
        return (
            self.published()
            .filter(status=Status.DISPUTED, status_changed_at__lt=cutoff)
            .exclude(models.Exists(recent))
            .order_by("status_changed_at", "pk")
        )


class ClaimManager(models.Manager.from_queryset(ClaimQuerySet)):
    def get_queryset(self):
        # The search text and vector are kilobytes a row that only SQL reads:
        # never fetch them into Python unless asked for.
        return super().get_queryset().defer("search_document", "search_vector")


class Claim(TimestampedModel):
    text = bounded_text(
        TEXT_LIMITS["claim_text"],
        help_text="One checkable proposition, worded neutrally: "
        "“The Wagner Group captured Bakhmut's city administration building.”",
    )
    slug = models.SlugField(max_length=200, unique=True)
    context = bounded_text(TEXT_LIMITS["context"], blank=True, help_text="Background a reader needs; public.")
    internal_notes = bounded_text(
        TEXT_LIMITS["notes"], blank=True, help_text="For editors only; never shown in public."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="claims")
    occurred_on = models.DateField(
        "event date", null=True, blank=True, help_text="When the event it describes happened, to the day."
    )
    first_claimed_on = models.DateField(
        null=True, blank=True, validators=[not_in_future], help_text="When it was first claimed."
    )
    is_published = models.BooleanField("published", default=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Denormalised from the latest published assessment (services keep it in
    # step, in the same transaction) so lists filter on one indexed column.
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.UNVERIFIED, editable=False
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Denormalised text of the claim, its quotes and its actors' names, for
    # full-text and trigram search (PostgreSQL indexes it; see migrations).
    search_document = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    DERIVED_FIELDS = frozenset({"status", "status_changed_at", "search_document", "search_vector"})

    objects = ClaimManager()
    history = HistoricalRecords(
        m2m_fields=[topics], excluded_fields=["search_document", "search_vector", "updated_at"]
    )

    class Meta:
        ordering = ["-updated_at"]
        permissions = [
            ("publish_claim", "Can publish and unpublish claims"),
        ]
        constraints = [
            models.CheckConstraint(condition=choices_condition("status", Status), name="claim_status_valid"),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="claim_published_has_time",
            ),
            *length_constraints(
                "claim",
                text=TEXT_LIMITS["claim_text"],
                context=TEXT_LIMITS["context"],
                internal_notes=TEXT_LIMITS["notes"],
            ),
        ]
        indexes = [
            # Lists and the API order published claims by (-updated_at, -pk): the
            # tie-breaker in the index lets LIMIT stop early (docs/performance.md).
            models.Index(fields=["is_published", "-updated_at", "-id"], name="claim_published_recent_idx"),
            models.Index(fields=["is_published", "status", "-updated_at"], name="claim_status_idx"),
            models.Index(fields=["is_published", "-status_changed_at"], name="claim_status_changed_idx"),
            models.Index(fields=["-first_claimed_on"], name="claim_first_claimed_idx"),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def save(self, *args, **kwargs):
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        if not self._state.adding and kwargs.get("update_fields") is None:
            # Status and search text are derived (services write them); an
            # in-memory copy of a claim must never write back a stale value.
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.attname not in self.DERIVED_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("claims:claim-detail", self.slug)


class StatementQuerySet(models.QuerySet):
    def public(self):
        """Statements of published claims: what readers, the API and the change stream see."""
        return self.filter(claim__is_published=True)


class Statement(TimestampedModel):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="statements")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="statements")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    summary = bounded_text(
        TEXT_LIMITS["summary"],
        blank=True,
        help_text="What they said, in our words, where there is no quote to give.",
    )
    quote = bounded_text(TEXT_LIMITS["quote"], blank=True, help_text="Their words, in the original language.")
    quote_language = models.CharField(max_length=2, choices=Language.choices, blank=True)
    translation = bounded_text(
        TEXT_LIMITS["quote"], blank=True, help_text="Our English translation of the quote."
    )
    stated_on = models.DateField(validators=[not_in_future], help_text="The day it was said.")
    sources = models.ManyToManyField(Source, through="StatementSource", related_name="statements")

    objects = StatementQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["stated_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("stance", Stance), name="statement_stance_valid"
            ),
            models.CheckConstraint(
                condition=choices_condition("quote_language", Language, allow_blank=True),
                name="statement_quote_language_valid",
            ),
            models.CheckConstraint(
                condition=Q(quote="") | ~Q(quote_language=""), name="statement_quote_has_language"
            ),
            models.UniqueConstraint(
                fields=["claim", "actor", "stance", "stated_on"],
                name="statement_unique_per_day",
                violation_error_message="This actor already has a statement with this stance on this day.",
            ),
            *length_constraints(
                "statement",
                summary=TEXT_LIMITS["summary"],
                quote=TEXT_LIMITS["quote"],
                translation=TEXT_LIMITS["quote"],
            ),
        ]
        indexes = [
            models.Index(fields=["claim", "stance"], name="statement_claim_stance_idx"),
            models.Index(fields=["actor", "-stated_on"], name="statement_actor_idx"),
        ]

    def __str__(self):
        return f"{self.actor} {self.get_stance_display().lower()}: {self.claim}"

    def get_absolute_url(self):
        return f"{self.claim.get_absolute_url()}#statement-{self.pk}"

    def clean(self):
        if self.quote and not self.quote_language:
            raise ValidationError({"quote_language": "Say which language the quote is in."})


class StatementSource(models.Model):
    """A source that carries a statement, and how it carried it."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="statement_sources")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="statement_sources")
    how = models.CharField(
        max_length=300, blank=True, help_text="How it was reported: “told Reuters by phone”."
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "statement source"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "source"], name="statement_source_unique"),
        ]

    def __str__(self):
        return str(self.source)


class AssessmentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def timeline(self):
        return self.order_by("assessed_at", "pk")

    def public(self):
        """Published assessments of published claims: what readers and feeds see."""
        return self.published().filter(claim__is_published=True)

    def awaiting_publication(self):
        """Draft assessments, the longest waiting first."""
        return self.filter(is_published=False).order_by("created_at", "pk")


class Assessment(TimestampedModel):
    """The newsroom's verdict on a claim at one moment. A status change is a new
    row, never an overwrite: the claim's status is its latest published one."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="assessments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNVERIFIED)
    rationale = bounded_text(TEXT_LIMITS["rationale"], help_text="Why: public, shown in the status timeline.")
    evidence = models.ManyToManyField(Source, blank=True, related_name="assessments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    assessed_at = models.DateTimeField(default=timezone.now, validators=[moment_not_in_future])
    is_published = models.BooleanField("published", default=False)
    internal_notes = bounded_text(
        TEXT_LIMITS["notes"], blank=True, help_text="For editors only; never shown in public."
    )
    original_rating = models.CharField(
        max_length=200, blank=True, help_text="The rating as another fact-checker wrote it (imports)."
    )

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[evidence], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["assessed_at", "pk"]
        get_latest_by = ["assessed_at", "pk"]
        permissions = [
            ("publish_assessment", "Can publish and unpublish assessments"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("status", Status), name="assessment_status_valid"
            ),
            *length_constraints(
                "assessment", rationale=TEXT_LIMITS["rationale"], internal_notes=TEXT_LIMITS["notes"]
            ),
        ]
        indexes = [
            models.Index(fields=["claim", "is_published", "assessed_at"], name="assessment_timeline_idx"),
            models.Index(fields=["is_published", "-assessed_at"], name="assessment_recent_idx"),
        ]

    def __str__(self):
        return f"{self.get_status_display()} ({self.assessed_at:%Y-%m-%d}): {self.claim}"

    def save(self, *args, **kwargs):
        # One transaction with the claim's status refresh, which a post_save
        # receiver does (claims/status.py): no reader sees one without the other.
        with transaction.atomic():
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.claim.get_absolute_url()}#assessment-{self.pk}"

    def set_evidence(self, sources):
        """Make the evidence `sources`, in this order (a source given twice
        counts once): the stored rows that already match the start of the
        list stay, the rest are removed and added again one by one (a single
        `add` of many loses their order)."""
        wanted = list({source.pk: source for source in sources}.values())
        stored = list(self.evidence.in_evidence_order())
        kept = kept_in_order([row.pk for row in stored], [source.pk for source in wanted])
        if stored[kept:]:
            self.evidence.remove(*stored[kept:])
        for source in wanted[kept:]:
            self.evidence.add(source)


class ExternalReviewQuerySet(models.QuerySet):
    def public(self):
        return self.filter(claim__is_published=True)


class ExternalReview(models.Model):
    """Another organisation's rating of a claim, as imported from its
    ClaimReview markup: shown as "rated elsewhere", never our verdict. Our
    status moves only when a Reviewer adopts it as an assessment of ours."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="external_reviews")
    reviewer_name = models.CharField("rated by", max_length=200, help_text="The organisation that rated it.")
    reviewer_url = models.URLField("rater's site", max_length=2000, blank=True)
    rating = models.CharField(max_length=200, help_text="Their rating, as they wrote it.")
    rating_value = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Their rating on schema.org's 1 (worst) to 5 (best) scale, where they gave one.",
    )
    suggested_status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.UNVERIFIABLE,
        help_text="Our nearest status: what an adopted assessment starts from.",
    )
    review_url = models.URLField("their review", max_length=2000, blank=True)
    reviewed_on = models.DateField(validators=[not_in_future], help_text="When they published the review.")
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adopted_as = models.OneToOneField(
        Assessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adopted_from",
        help_text="Our assessment made from this rating, once a Reviewer adopts it.",
    )

    objects = ExternalReviewQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["reviewed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("suggested_status", Status),
                name="external_review_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(rating_value__isnull=True) | Q(rating_value__gte=1, rating_value__lte=5),
                name="external_review_rating_value_range",
            ),
            # One row a review: the same rating re-imported is a duplicate.
            models.UniqueConstraint(
                fields=["claim", "reviewer_name", "reviewed_on", "rating", "review_url"],
                name="external_review_unique",
            ),
        ]

    def __str__(self):
        return f"{self.reviewer_name}: {self.rating} ({self.reviewed_on})"

    def get_absolute_url(self):
        return f"{self.claim.get_absolute_url()}#rated-elsewhere-{self.pk}"


class SearchTerm(models.Model):
    """A word that occurs in some claim's search text: the vocabulary misspelt
    queries are corrected against ("Bakhmt" → "bakhmut"), trigram-indexed on
    PostgreSQL. Words are only added; a stale word costs nothing but a miss."""

    word = models.CharField(max_length=100, unique=True)

    def __str__(self):
        return self.word


class ClaimLinkQuerySet(models.QuerySet):
    def public(self):
        """Links between two published claims: what the API and the change stream show."""
        return self.filter(from_claim__is_published=True, to_claim__is_published=True)


class ClaimLink(models.Model):
    """How one claim relates to another: the counterclaim `contradicts` it."""

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_out")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    note = models.CharField(max_length=300, blank=True)

    objects = ClaimLinkQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("kind", LinkKind), name="claim_link_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(from_claim=models.F("to_claim")), name="claim_link_not_to_itself"
            ),
            models.UniqueConstraint(fields=["from_claim", "to_claim", "kind"], name="claim_link_unique"),
        ]

    def __str__(self):
        return f"{self.from_claim} {self.kind} {self.to_claim}"

    def clean(self):
        if self.from_claim_id and self.from_claim_id == self.to_claim_id:
            raise ValidationError({"to_claim": "A claim cannot be linked to itself."})


# --- API retries ------------------------------------------------------------


IDEMPOTENCY_RETENTION = dt.timedelta(hours=24)


class IdempotencyKeyQuerySet(models.QuerySet):
    def expired(self, now=None):
        """Keys older than the retention: `prune_idempotency_keys` deletes them."""
        return self.filter(created_at__lt=(now or timezone.now()) - IDEMPOTENCY_RETENTION)

    def live(self, now=None):
        return self.filter(created_at__gte=(now or timezone.now()) - IDEMPOTENCY_RETENTION)


class IdempotencyKey(models.Model):
    """A write sent with an `Idempotency-Key` header, and what it answered: a
    retry with the same key (same user) gets that answer again instead of a
    second claim (claims/api/idempotency.py). Kept IDEMPOTENCY_RETENTION."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body.")
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField(default=dict, blank=True)
    response_location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = IdempotencyKeyQuerySet.as_manager()

    class Meta:
        constraints = [
            # Two concurrent requests with one key: the second insert waits for
            # the first transaction, then fails, and replays its answer.
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user"),
        ]

    def __str__(self):
        return f"{self.key} ({self.response_status})"


# --- The change stream: what mirrors follow -----------------------------------


class Change(models.Model):
    """One entry of the public change stream (`GET /api/v1/changes/`): a row
    readers can see was published, changed, had its status changed, or was
    removed (unpublished or deleted: a tombstone). Only what readers may see is
    recorded; drafts never appear. `position` orders the stream in commit
    order with no gaps (handed out under the lock of `ChangeStreamHead`), so
    a mirror resumes from its last position without gaps or repeats; the
    webhook dispatcher follows the same stream."""

    position = models.BigIntegerField(unique=True, editable=False)
    subject = models.CharField(max_length=20, choices=ChangeSubject.choices)
    key = models.CharField(max_length=200, help_text="The row's key in the API: a claim's slug, else its id.")
    claim_slug = models.CharField(
        max_length=200, help_text="The claim the row belongs to (or the link's from-claim)."
    )
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    previous_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("subject", ChangeSubject), name="change_subject_valid"
            ),
            models.CheckConstraint(condition=choices_condition("kind", ChangeKind), name="change_kind_valid"),
            models.CheckConstraint(
                condition=choices_condition("status", Status, allow_blank=True), name="change_status_valid"
            ),
            models.CheckConstraint(
                condition=choices_condition("previous_status", Status, allow_blank=True),
                name="change_previous_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["claim_slug", "position"], name="change_claim_position_idx"),
            # The recorder reads each row's last entry (claims/changes/recording.py).
            models.Index(fields=["subject", "key", "position"], name="change_subject_key_idx"),
        ]

    def __str__(self):
        return f"#{self.position} {self.subject} {self.key} {self.kind}"


class ChangeStreamHead(models.Model):
    """The stream's one counter row. A transaction that records changes locks
    it (`select_for_update`) and takes the next positions, so positions are
    handed out in commit order: a reader never sees position n+1 before n."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    position = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="change_stream_head_single_row")]

    def __str__(self):
        return f"change stream at {self.position}"


def validate_webhook_events(value):
    """A subscription's events: a non-empty list of WebhookEvent values, each once."""
    if not isinstance(value, list) or not value:
        raise ValidationError("Give a list of one or more events.", code="invalid")
    unknown = [event for event in value if event not in WebhookEvent.values]
    if unknown:
        raise ValidationError(
            f"Unknown event {unknown[0]!r}: choose from {', '.join(WebhookEvent.values)}.",
            code="invalid_choice",
        )
    if len(set(value)) != len(value):
        raise ValidationError("Give each event once.", code="duplicate")


class WebhookSubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def owned_by(self, user):
        return self.filter(owner=user)


class WebhookSubscription(models.Model):
    """An API user's webhook (claims/webhooks/): where to POST, the shared
    secret the deliveries are signed with (Standard Webhooks), and which
    events. `position` is how far along the public change stream its
    deliveries have been made: a new subscription starts at the stream's end.
    After a delivery's last try fails it is disabled, with the reason its
    owner reads through the API; enabling it again resumes from there."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField(max_length=2000, validators=[http_url_validator])
    secret = models.CharField(max_length=120, help_text="whsec_ and the base64 of the key.")
    events = models.JSONField(default=list, validators=[validate_webhook_events])
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=500, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    position = models.BigIntegerField(default=0, help_text="The last change-stream position dispatched.")
    # While a worker sends this subscription's deliveries (one at a time, in order).
    delivering_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_active=True, disabled_at__isnull=True) | Q(is_active=False),
                name="webhooksubscription_active_not_disabled",
            ),
            models.CheckConstraint(condition=Q(position__gte=0), name="webhooksubscription_position_gte_0"),
        ]
        indexes = [models.Index(fields=["owner", "id"], name="webhook_owner_idx")]

    def __str__(self):
        return f"webhook {self.pk} to {self.url}"

    def get_absolute_url(self):
        return reverse("api:webhook-detail", kwargs={"pk": self.pk})


# Delivered messages are kept in the log this long (`prune_webhook_deliveries`).
WEBHOOK_LOG_RETENTION = dt.timedelta(days=30)


class WebhookDeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=DeliveryState.PENDING)

    def expired(self, now=None):
        """Delivered more than WEBHOOK_LOG_RETENTION ago (pending and failed ones stay)."""
        cutoff = (now or timezone.now()) - WEBHOOK_LOG_RETENTION
        return self.filter(state=DeliveryState.DELIVERED, delivered_at__lt=cutoff)

    def in_order(self):
        """Oldest change first: the order a receiver gets them in."""
        return self.order_by("position", "pk")


class WebhookDelivery(models.Model):
    """One event for one subscription: the message (its id stays the same
    on every try, so a receiver can drop a repeat), and how its tries went."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(max_length=40, choices=WebhookEvent.choices)
    position = models.BigIntegerField(help_text="The change-stream position announced.")
    claim_slug = models.CharField(max_length=200)  # as long as a claim slug
    payload = models.JSONField()
    state = models.CharField(max_length=20, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("event_type", WebhookEvent),
                name="webhookdelivery_event_type_valid",
            ),
            models.CheckConstraint(
                condition=choices_condition("state", DeliveryState), name="webhookdelivery_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state=DeliveryState.DELIVERED, delivered_at__isnull=False)
                | ~Q(state=DeliveryState.DELIVERED),
                name="webhookdelivery_delivered_has_time",
            ),
            models.UniqueConstraint(
                fields=["subscription", "position", "event_type"], name="webhookdelivery_one_per_change_event"
            ),
        ]
        indexes = [
            # The next pending delivery of a subscription.
            models.Index(fields=["subscription", "state", "position"], name="webhookdelivery_next_idx"),
            # The log, newest first.
            models.Index(fields=["subscription", "-position", "-id"], name="webhookdelivery_log_idx"),
        ]

    def __str__(self):
        return f"{self.message_id} {self.event_type} {self.claim_slug} ({self.state})"
