"""Filters of the public claim list (/claims/).

Bad values never fail the page: a filter whose value does not validate is left
out, and the view tells the reader which one it ignored and why."""

import django_filters
from django import forms

from .models import Actor, Claim, Topic
from .search import MAX_QUERY_LENGTH, clean_query, search_claims
from .vocabularies import Stance, Status

TOPICS_IN_MENU = 50


class ClaimListFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search claims",
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status", label="Status")
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label="Any topic",
        field_name="topics",
        label="Topic",
    )
    stance = django_filters.ChoiceFilter(
        choices=Stance.choices, empty_label="Any stance", label="Has a statement that", method="filter_noop"
    )
    # Not rendered as a select (there may be thousands): links from actor pages set it.
    actor = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.all(), to_field_name="slug", method="filter_noop", label="Actor"
    )

    class Meta:
        model = Claim
        fields = ["q", "status", "topic", "stance", "actor"]

    def __init__(self, *args, rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows  # the view shows only the first `rows` results (see filter_search)
        # Any topic's slug filters (topic pages link here), but the menu lists
        # only the most recently active topics and the chosen one: a select of
        # every topic would grow with the archive.
        field = self.form.fields["topic"]
        # (slug, name) pairs, not model instances: the menu shows nothing else.
        shown = list(Topic.objects.order_by("-updated_at", "pk").values_list("slug", "name")[:TOPICS_IN_MENU])
        chosen = (self.data or {}).get("topic")
        if chosen and chosen not in {slug for slug, _ in shown}:
            shown += list(Topic.objects.filter(slug=str(chosen)[:200]).values_list("slug", "name"))
        shown.sort(key=lambda choice: choice[1])
        field.widget.choices = [("", field.empty_label), *shown]

    def filter_noop(self, queryset, name, value):
        return queryset  # actor and stance are applied together in filter_queryset

    def filter_search(self, queryset, name, value):
        # A page ranks only the matches it needs (search_claims' tiers), but the
        # other filters narrow the ranked matches afterwards: with any of them
        # the whole window is ranked, or a page could run short.
        data = self.form.cleaned_data
        narrowed = any(data.get(key) for key in ("status", "topic", "stance", "actor"))
        return search_claims(queryset, value, rows=None if narrowed else self.rows)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        actor, stance = data.get("actor"), data.get("stance")
        if actor or stance:
            queryset = queryset.with_statement_by(actor=actor, stance=stance)
        if not clean_query(data.get("q")):
            queryset = queryset.order_by("-updated_at", "-pk")
        return queryset

    def ignored(self):
        """Human messages for every parameter that was ignored, naming it."""
        messages = []
        for name in self.form.errors:
            label = self.form.fields[name].label if name in self.form.fields else name
            value = self.data.get(name, "")
            shown = value if len(value) <= 40 else value[:39] + "…"
            messages.append(f"{label}: we don't know “{shown}”, so that filter was ignored.")
        raw_q = " ".join(self.data.get("q", "").split())
        if len(raw_q) > MAX_QUERY_LENGTH:
            messages.append(f"Search: only the first {MAX_QUERY_LENGTH} characters of your search were used.")
        return messages
