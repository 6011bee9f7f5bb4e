"""Filters for the API lists (django-filter). Date ranges are inclusive days;
`updated_since` is an ISO 8601 datetime for clients that sync."""

import django_filters as filters
from django.db.models import Exists, OuterRef, Q

from claims.models import Actor, Assessment, Claim, ClaimLink, Place, Source, Statement, Topic
from claims.search import search_claims
from claims.vocabularies import ActorKind, Language, LinkKind, SourceKind, Stance, Status

from .permissions import can_see_drafts


def actors(request):
    return Actor.objects.all()


def topics(request):
    return Topic.objects.all()


def visible_claims(request):
    """A reader's filter may name only published claims: a draft's slug is as
    unknown as one that never was."""
    user = getattr(request, "user", None)
    return Claim.objects.all() if can_see_drafts(user) else Claim.objects.published()


class KnownSlugsFilterSet(filters.FilterSet):
    """A slug filter names a row that exists (and that the client may see): an
    unknown slug is a 400 naming the filter, not an empty page that reads as
    "none". One indexed lookup per slug given."""

    known_slugs = {}  # filter name -> (noun, rows the request may name)

    def is_valid(self):
        if super().is_valid() and not getattr(self, "_slugs_checked", False):
            self._slugs_checked = True
            for name, (noun, rows) in self.known_slugs.items():
                value = self.form.cleaned_data.get(name)
                if value and not rows(self.request).filter(slug=value).exists():
                    self.form.add_error(name, f"No {noun} has the slug “{value}”.")
        return self.form.is_valid()


class UpdatedSinceFilterSet(KnownSlugsFilterSet):
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Rows changed at or after this time (ISO 8601)."
    )


def published_filter():
    """true or false, nothing else (a typo is a 400, not ignored)."""
    return filters.TypedChoiceFilter(
        field_name="is_published",
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        help_text="Published or draft (readers only ever see published rows).",
    )


def date_range(field, label):
    return (
        filters.DateFilter(field_name=field, lookup_expr="gte", help_text=f"{label} on or after this day."),
        filters.DateFilter(field_name=field, lookup_expr="lte", help_text=f"{label} on or before this day."),
    )


class ClaimFilter(UpdatedSinceFilterSet):
    known_slugs = {"topic": ("topic", topics), "actor": ("actor", actors)}
    status = filters.ChoiceFilter(choices=Status.choices, help_text="Current status.")
    topic = filters.CharFilter(field_name="topics__slug", help_text="Topic slug.")
    actor = filters.CharFilter(
        method="filter_statements", help_text="Claims with a statement by this actor (slug)."
    )
    stance = filters.ChoiceFilter(
        choices=Stance.choices,
        method="filter_statements",
        help_text="Claims with a statement of this stance (by `actor`, when given).",
    )
    published = published_filter()
    first_claimed_after, first_claimed_before = date_range("first_claimed_on", "First claimed")
    occurred_after, occurred_before = date_range("occurred_on", "Event")
    q = filters.CharFilter(
        method="filter_search", max_length=200, help_text="Full-text search, as on the site."
    )

    class Meta:
        model = Claim
        fields = []

    def filter_statements(self, queryset, name, value):
        # Actor and stance filter the same statement: "claims Kirby denies".
        data = self.form.cleaned_data
        if name == "stance" and data.get("actor"):
            return queryset  # applied with `actor`
        statements = Statement.objects.filter(claim=OuterRef("pk"))
        if data.get("actor"):
            statements = statements.filter(actor__slug=data["actor"])
        if data.get("stance"):
            statements = statements.filter(stance=data["stance"])
        return queryset.filter(Exists(statements))

    def filter_search(self, queryset, name, value):
        # Every match, in the cursor's order (a sync must not stop at the ranked window).
        return search_claims(queryset, value, ranked=False)


class StatementFilter(UpdatedSinceFilterSet):
    known_slugs = {"claim": ("claim", visible_claims), "actor": ("actor", actors)}
    claim = filters.CharFilter(field_name="claim__slug", help_text="Claim slug.")
    actor = filters.CharFilter(field_name="actor__slug", help_text="Actor slug.")
    stance = filters.ChoiceFilter(choices=Stance.choices)
    stated_after, stated_before = date_range("stated_on", "Said")

    class Meta:
        model = Statement
        fields = []


class ActorFilter(UpdatedSinceFilterSet):
    known_slugs = {"affiliation": ("actor", actors)}
    kind = filters.ChoiceFilter(choices=ActorKind.choices)
    country = filters.CharFilter(max_length=2, help_text="ISO 3166 two-letter code.")
    affiliation = filters.CharFilter(field_name="affiliation__slug", help_text="Slug of the organisation.")
    name = filters.CharFilter(method="filter_name", max_length=200, help_text="Part of the name or an alias.")

    class Meta:
        model = Actor
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(aliases__name__icontains=value)).distinct()


class SourceFilter(UpdatedSinceFilterSet):
    known_slugs = {"publisher": ("actor", actors)}
    publisher = filters.CharFilter(field_name="publisher__slug", help_text="Publisher (actor) slug.")
    kind = filters.ChoiceFilter(choices=SourceKind.choices)
    language = filters.ChoiceFilter(choices=Language.choices)
    url = filters.CharFilter(method="filter_url", max_length=2000, help_text="Exact URL (normalised).")
    published_after, published_before = date_range("published_on", "Published")

    class Meta:
        model = Source
        fields = []

    def filter_url(self, queryset, name, value):
        from claims.urls_normalise import normalise_url

        try:
            return queryset.filter(url=normalise_url(value))
        except ValueError:
            return queryset.none()


class PlaceFilter(UpdatedSinceFilterSet):
    country = filters.CharFilter(max_length=2, help_text="ISO 3166 two-letter code.")
    name = filters.CharFilter(method="filter_name", max_length=200, help_text="Part of the name or an alias.")

    class Meta:
        model = Place
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(aliases__icontains=value))


class TopicFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Topic
        fields = []


class AssessmentFilter(UpdatedSinceFilterSet):
    known_slugs = {"claim": ("claim", visible_claims)}
    claim = filters.CharFilter(field_name="claim__slug", help_text="Claim slug.")
    status = filters.ChoiceFilter(choices=Status.choices)
    published = published_filter()
    assessed_after = filters.DateFilter(field_name="assessed_at__date", lookup_expr="gte")
    assessed_before = filters.DateFilter(field_name="assessed_at__date", lookup_expr="lte")

    class Meta:
        model = Assessment
        fields = []


class ClaimLinkFilter(KnownSlugsFilterSet):
    known_slugs = {"claim": ("claim", visible_claims)}
    claim = filters.CharFilter(method="filter_claim", help_text="Links from or to this claim (slug).")
    kind = filters.ChoiceFilter(choices=LinkKind.choices)

    class Meta:
        model = ClaimLink
        fields = []

    def filter_claim(self, queryset, name, value):
        return queryset.filter(Q(from_claim__slug=value) | Q(to_claim__slug=value))
