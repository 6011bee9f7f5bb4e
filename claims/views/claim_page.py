"""What the claim page shows, read as plain rows (issue 16).

The page used to load ~180 model instances through `with_statements()` and
let the templates call `get_absolute_url()` and `get_*_display()` on each. Here
each kind of row is one `values()` query of the columns the page shows, built
into dicts with their addresses and labels worked out once: the same queries
whatever the number of statements (tests/test_pages_queries.py), a fifth of
the Python. Each query is built and compiled once (`claims.prepared`): only
the claim's id or slug changes from page to page. The API and the evidence bundle keep `with_statements()`.
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from claims.claimreview import Said, claim_review
from claims.links import slug_url, url_for
from claims.models import Assessment, Claim, ClaimLink, ExternalReview, Statement
from claims.prepared import PreparedValues
from claims.vocabularies import LinkKind, SourceKind, Stance, Status

STANCE_LABELS = dict(Stance.choices)
STATUS_LABELS = dict(Status.choices)
SOURCE_KIND_LABELS = dict(SourceKind.choices)

# How a linked claim relates to this one, by (kind, direction): the heading
# readers see, in the order they see them (the counterclaim first).
LINK_HEADINGS = [
    ((LinkKind.CONTRADICTS, "out"), "Counterclaims"),
    ((LinkKind.CONTRADICTS, "in"), "Counterclaims"),
    ((LinkKind.SUPPORTS, "out"), "This claim supports"),
    ((LinkKind.SUPPORTS, "in"), "Supported by"),
    ((LinkKind.SUPERSEDES, "out"), "This claim supersedes"),
    ((LinkKind.SUPERSEDES, "in"), "Superseded by"),
    ((LinkKind.DUPLICATES, "out"), "Same claim as"),
    ((LinkKind.DUPLICATES, "in"), "Same claim as"),
]

SOURCE_FIELDS = (
    "url",
    "title",
    "kind",
    "published_on",
    "published_time",
    "archive_url",
    "capture_state",
    "link_state",
    "gone_since",
    "publisher__name",
    "latest_capture_id",
    "latest_capture__fetched_at",
    "latest_capture__sha256",
)


def source_columns(prefix):
    return [f"{prefix}{field}" for field in SOURCE_FIELDS]


def source_of(row, prefix):
    """A source as the page shows it, from a values() row read with `source_columns(prefix)`."""
    capture_id = row[f"{prefix}latest_capture_id"]
    return {
        "url": row[f"{prefix}url"],
        "title": row[f"{prefix}title"],
        "kind_label": SOURCE_KIND_LABELS.get(row[f"{prefix}kind"], row[f"{prefix}kind"]),
        "published_on": row[f"{prefix}published_on"],
        "published_time": row[f"{prefix}published_time"],
        "archive_url": row[f"{prefix}archive_url"],
        "capture_state": row[f"{prefix}capture_state"],
        "link_state": row[f"{prefix}link_state"],
        "gone_since": row[f"{prefix}gone_since"],
        "publisher": row[f"{prefix}publisher__name"],
        "capture": {
            "url": url_for("claims:capture-detail", "pk", capture_id),
            "fetched_at": row[f"{prefix}latest_capture__fetched_at"],
            "sha256": row[f"{prefix}latest_capture__sha256"],
        }
        if capture_id is not None
        else None,
    }


def grouped(rows, children, parent, child):
    """Rows of a parent LEFT JOIN its children, ordered by the parent, as
    [parent(row)] each with its `children` list of child(row) (None: no child)."""
    parents = []
    for row in rows:
        if not parents or parents[-1]["pk"] != row["pk"]:
            parents.append(parent(row))
        item = child(row)
        if item is not None:
            parents[-1][children].append(item)
    return parents


def statement_rows(claim_id):
    """The claim's statements, in page order, each with its actor and sources:
    a row per statement and source (LEFT JOINs: a statement without sources
    is one row)."""
    return (
        Statement.objects.filter(claim_id=claim_id)
        .order_by("stated_on", "pk", "statement_sources__pk")
        .values(
            "pk",
            "stance",
            "summary",
            "quote",
            "quote_language",
            "translation",
            "stated_on",
            "actor__name",
            "actor__slug",
            "actor__kind",
            "actor__role",
            "actor__wikidata_id",
            "actor__affiliation__name",
            "actor__affiliation__slug",
            "statement_sources__source_id",
            "statement_sources__how",
            *source_columns("statement_sources__source__"),
        )
    )


STATEMENT_ROWS = PreparedValues(statement_rows, PreparedValues.ID_MARKER)


def statements_of(claim_id):
    return grouped(STATEMENT_ROWS.rows(claim_id), "sources", statement_of, statement_source_of)


def statement_of(row):
    affiliation = row["actor__affiliation__slug"]
    return {
        "pk": row["pk"],
        "stance": row["stance"],
        "stance_label": STANCE_LABELS.get(row["stance"], row["stance"]),
        "summary": row["summary"],
        "quote": row["quote"],
        "quote_language": row["quote_language"],
        "translation": row["translation"],
        "stated_on": row["stated_on"],
        "actor": {
            "name": row["actor__name"],
            "url": slug_url("claims:actor-detail", row["actor__slug"]),
            "kind": row["actor__kind"],
            "role": row["actor__role"],
            "wikidata_id": row["actor__wikidata_id"],
        },
        "affiliation": {
            "name": row["actor__affiliation__name"],
            "url": slug_url("claims:actor-detail", affiliation),
        }
        if affiliation is not None
        else None,
        "sources": [],
    }


def statement_source_of(row):
    if row["statement_sources__source_id"] is None:
        return None
    source = source_of(row, "statement_sources__source__")
    source["how"] = row["statement_sources__how"]
    return source


def timeline_rows(claim_id):
    """The published assessments, oldest first, each with its evidence in the
    order given: a row per assessment and evidence source."""
    evidence_table = Assessment.evidence.through._meta.db_table
    return (
        Assessment.objects.published()
        .filter(claim_id=claim_id)
        .values("pk", "status", "rationale", "assessed_at", "evidence__id", *source_columns("evidence__"))
        # The evidence in the order it was given (its join rows' ids, as
        # Source.objects.in_evidence_order): the join's table is named as is.
        .order_by()
        .extra(order_by=[*Assessment._meta.ordering, f"{evidence_table}.id"])
    )


TIMELINE_ROWS = PreparedValues(timeline_rows, PreparedValues.ID_MARKER)


def timeline_of(claim_id):
    return grouped(TIMELINE_ROWS.rows(claim_id), "evidence", assessment_of, evidence_of)


def assessment_of(row):
    return {
        "pk": row["pk"],
        "status": row["status"],
        "status_label": STATUS_LABELS.get(row["status"], row["status"]),
        "rationale": row["rationale"],
        "assessed_at": row["assessed_at"],
        "evidence": [],
    }


def evidence_of(row):
    return source_of(row, "evidence__") if row["evidence__id"] is not None else None


LINK_SIDES = ("pk", "slug", "text", "status")


def link_rows(claim_id):
    """The claim's links either way to published claims, with both ends."""
    return ClaimLink.objects.filter(
        Q(from_claim_id=claim_id, to_claim__is_published=True)
        | Q(to_claim_id=claim_id, from_claim__is_published=True)
    ).values(
        "kind",
        "note",
        "from_claim_id",
        *(f"from_claim__{field}" for field in LINK_SIDES),
        *(f"to_claim__{field}" for field in LINK_SIDES),
    )


LINK_ROWS = PreparedValues(link_rows, PreparedValues.ID_MARKER)


def related_of(claim_id):
    """[(heading, [(note, other claim)])] of published linked claims, counterclaims first."""
    groups = defaultdict(list)
    for row in LINK_ROWS.rows(claim_id):  # in (kind, pk) order, as each direction's own query gave them
        direction, side = (
            ("out", "to_claim__") if row["from_claim_id"] == claim_id else ("in", "from_claim__")
        )
        status = row[f"{side}status"]
        other = {
            "url": slug_url("claims:claim-detail", row[f"{side}slug"]),
            "text": row[f"{side}text"],
            "status": status,
            "status_label": STATUS_LABELS.get(status, status),
        }
        groups[(row["kind"], direction)].append((row["note"], other))
    merged = {}
    for key, heading in LINK_HEADINGS:
        if groups[key]:
            merged.setdefault(heading, []).extend(groups[key])
    return list(merged.items())


def change_log(published_at, timeline):
    """[(when, what)], oldest first: publication and every status change. Edits
    that do not change the status are not listed (the editors' history has them)."""
    entries = [(published_at, "First published.")] if published_at else []
    previous = None
    for assessment in timeline:
        if assessment["status"] != previous:
            label = assessment["status_label"]
            what = (
                f"Status changed from {STATUS_LABELS[previous]} to {label}."
                if previous
                else f"Status set to {label}."
            )
            entries.append((assessment["assessed_at"], what))
        previous = assessment["status"]
    return sorted(entries, key=lambda entry: entry[0])


def claim_rows(slug):
    """The published claim with its place and topics: a row per topic (or one
    without), and whether other organisations rated it (most claims are not
    rated: the ratings' query then does not run). Asking the same of its
    links here cost more than their own query (an OR across both directions)."""
    return (
        Claim.objects.published()
        .filter(slug=slug)
        .order_by("topics__name")
        .annotate(
            has_ratings=Exists(ExternalReview.objects.filter(claim_id=OuterRef("pk"))),
        )
        .values(
            "pk",
            "slug",
            "text",
            "context",
            "status",
            "occurred_on",
            "first_claimed_on",
            "published_at",
            "updated_at",
            "place_id",
            "place__name",
            "topics__name",
            "topics__slug",
            "has_ratings",
        )
    )


CLAIM_ROWS = PreparedValues(claim_rows, PreparedValues.SLUG_MARKER)


def review_rows(claim_id):
    """Other organisations' ratings of the claim, and the assessments they became."""
    return ExternalReview.objects.filter(claim_id=claim_id).values(
        "pk",
        "reviewer_name",
        "reviewer_url",
        "rating",
        "review_url",
        "reviewed_on",
        "adopted_as_id",
        "adopted_as__is_published",
        "adopted_as__assessed_at",
    )


REVIEW_ROWS = PreparedValues(review_rows, PreparedValues.ID_MARKER)


def claim_page(slug):
    """The claim page's context for a published claim; Http404 for any other slug."""
    rows = CLAIM_ROWS.rows(slug)
    if not rows:
        raise Http404("No published claim here.")
    claim = rows[0]
    topics = [
        (row["topics__name"], slug_url("claims:topic-detail", row["topics__slug"]))
        for row in rows
        if row["topics__slug"] is not None
    ]
    claim_id = claim["pk"]
    claim["url"] = slug_url("claims:claim-detail", claim["slug"])
    claim["status_label"] = STATUS_LABELS.get(claim["status"], claim["status"])
    statements = statements_of(claim_id)
    timeline = timeline_of(claim_id)
    latest = timeline[-1] if timeline else None
    said = [
        Said(
            s["stance"],
            s["actor"]["kind"],
            s["actor"]["name"],
            s["actor"]["wikidata_id"],
            s["stated_on"],
            [source["url"] for source in s["sources"]],
        )
        for s in statements
    ]
    return {
        "claim": claim,
        "asserting": [s for s in statements if s["stance"] == Stance.ASSERTS],
        "denying": [s for s in statements if s["stance"] == Stance.DENIES],
        "other_statements": [s for s in statements if s["stance"] not in (Stance.ASSERTS, Stance.DENIES)],
        "timeline": timeline,
        "latest": latest,
        "change_log": change_log(claim["published_at"], timeline),
        "related": related_of(claim_id),
        "rated_elsewhere": REVIEW_ROWS.rows(claim_id) if claim["has_ratings"] else [],
        "topics": topics,
        "claim_review": claim_review(
            claim["url"],
            claim["text"],
            claim["first_claimed_on"],
            latest and (latest["status"], latest["assessed_at"]),
            said,
        ),
    }
