"""The one search that pages, API and admin share."""

import re

import pytest
from django.db import connection

from claims.models import Claim
from claims.search import query, search_claims

from .factories import ClaimFactory, StatementFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL search: SQLite matches whole words only"
)


def slugs(q, queryset=None, **kwargs):
    queryset = Claim.objects.published() if queryset is None else queryset
    return [claim.slug for claim in search_claims(queryset, q, **kwargs)]


def test_search_finds_claim_text_quotes_actor_names_and_aliases(demo):
    town_hall = "wagner-captured-bakhmut-city-administration"
    assert town_hall in slugs("Bakhmut")
    assert town_hall in slugs("mildly")  # Cherevatiy's quote
    assert town_hall in slugs("Kirby")  # an actor's name
    assert slugs("ЧВК Вагнер") == [town_hall]  # an actor's alias
    assert town_hall in slugs("Artemivsk")  # a place alias


def test_search_never_returns_drafts(demo):
    ClaimFactory(text="Bakhmut draft claim", slug="bakhmut-draft", is_published=False)
    assert "bakhmut-draft" not in slugs("Bakhmut")


def test_empty_and_overlong_queries_are_harmless(demo):
    assert search_claims(Claim.objects.published(), "  ").count() == 6
    assert slugs("Bakhmut " * 500) is not None


@postgresql_only
def test_search_stems_so_a_possessive_matches(demo):
    assert "wagner-captured-bakhmut-city-administration" in slugs("Bakhmut's")
    assert "wagner-captured-bakhmut-city-administration" in slugs("capturing")


@postgresql_only
def test_a_misspelt_word_is_corrected_against_the_words_claims_contain(demo):
    assert "wagner-captured-bakhmut-city-administration" in slugs("Bakhmt")
    assert slugs("finlnd")[0] == "finland-becomes-natos-31st-member"
    assert slugs("zzzzqqqq") == []


@postgresql_only
def test_new_words_join_the_vocabulary_when_a_claim_is_saved(demo):
    claim = ClaimFactory(text="Soledar salt mine taken.", slug="soledar")
    assert slugs("Soledr") == ["soledar"]
    StatementFactory(claim=claim, quote="Вуглегірськ", quote_language="uk")
    assert slugs("Вуглегрськ") == ["soledar"]


@postgresql_only
def test_web_search_syntax_phrases_and_exclusions(demo):
    assert slugs('"very far"') and all("far" in s or "wagner" in s for s in slugs('"very far"'))
    assert "civilians-remaining-in-bakhmut" not in slugs("Bakhmut -civilians")


@postgresql_only
def test_ranking_is_bounded_to_the_most_recent_matches(monkeypatch):
    for n in range(5):
        ClaimFactory(text=f"Convoy number {n} reached the city.", slug=f"convoy-{n}")
    monkeypatch.setattr(query, "RANK_WINDOW", 3)
    assert sorted(slugs("convoy")) == ["convoy-2", "convoy-3", "convoy-4"]
    assert len(slugs("convoy", ranked=False)) == 5  # unranked callers get every match


def test_search_costs_the_same_number_of_queries_for_few_and_many_matches(django_assert_max_num_queries):
    ClaimFactory(text="Pontoon bridge destroyed.", slug="pontoon-0")
    with django_assert_max_num_queries(3) as few:
        list(search_claims(Claim.objects.published(), "pontoon"))
    for n in range(1, 30):
        ClaimFactory(text="Pontoon bridge destroyed.", slug=f"pontoon-{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(list(search_claims(Claim.objects.published(), "pontoon"))) == 30


def test_a_statement_moved_to_another_claim_leaves_the_old_claims_search_text(db):
    first, second = ClaimFactory(slug="first"), ClaimFactory(slug="second")
    statement = StatementFactory(claim=first, quote="Соледар", quote_language="uk")
    assert slugs("Соледар") == ["first"]
    statement.claim = second
    statement.save()
    assert slugs("Соледар") == ["second"]


def test_an_alias_moved_to_another_actor_leaves_the_old_actors_claims(db):
    from .factories import ActorAliasFactory, ActorFactory

    old, new = ActorFactory(), ActorFactory()
    StatementFactory(claim=ClaimFactory(slug="by-old"), actor=old)
    StatementFactory(claim=ClaimFactory(slug="by-new"), actor=new)
    alias = ActorAliasFactory(actor=old, name="Вагнерівці")
    assert slugs("Вагнерівці") == ["by-old"]
    alias.actor = new
    alias.save()
    assert slugs("Вагнерівці") == ["by-new"]


def convoys(count):
    """`count` matching claims, the newest last, whose ranks do not follow
    their recency (the word once, twice or three times)."""
    for n in range(count):
        ClaimFactory(
            text=" ".join(["Convoy"] * (1 + n * 7 % 3)) + f" number {n} reached the city.", slug=f"convoy-{n}"
        )


@postgresql_only
def test_a_page_ranks_only_the_tiers_it_shows_and_every_page_is_a_slice_of_one_order(monkeypatch):
    convoys(11)
    monkeypatch.setattr(query, "RANK_TIER", 3)
    monkeypatch.setattr(query, "RANK_WINDOW", 9)
    whole = slugs("convoy")
    assert len(whole) == 9
    # Tiers of three by recency (convoy-10 is the newest), best ranked first within each.
    assert [set(whole[i : i + 3]) for i in (0, 3, 6)] == [
        {"convoy-10", "convoy-9", "convoy-8"},
        {"convoy-7", "convoy-6", "convoy-5"},
        {"convoy-4", "convoy-3", "convoy-2"},
    ]
    assert whole[:3] == ["convoy-8", "convoy-10", "convoy-9"]  # three, two, one "convoy"
    for rows in range(1, 12):
        ranked = slugs("convoy", rows=rows)
        assert len(ranked) == min(-(-rows // 3) * 3, 9)  # whole tiers only
        assert ranked[:rows] == whole[:rows]


@postgresql_only
def test_every_results_page_of_the_claim_list_is_a_slice_of_one_order(client, monkeypatch):
    from claims.views import paging

    convoys(30)
    monkeypatch.setattr(query, "RANK_TIER", 7)
    whole = slugs("convoy")
    shown = []
    for number in (1, 2):
        html = client.get("/claims/", {"q": "convoy", "page": number}).content.decode()
        shown += re.findall(r'class="claim-row__text" href="/claims/([^/]+)/"', html)
    assert len(whole) == 30 and paging.PER_PAGE == 25
    assert shown == whole


@postgresql_only
def test_a_search_narrowed_by_another_filter_ranks_the_whole_window(monkeypatch):
    from claims.filters import ClaimListFilter
    from claims.vocabularies import Status

    convoys(9)
    Claim.objects.filter(slug__in=["convoy-1", "convoy-2"]).update(status=Status.REFUTED)
    monkeypatch.setattr(query, "RANK_TIER", 3)
    found = ClaimListFilter(
        {"q": "convoy", "status": Status.REFUTED}, queryset=Claim.objects.published(), rows=1
    )
    assert sorted(claim.slug for claim in found.qs) == ["convoy-1", "convoy-2"]
