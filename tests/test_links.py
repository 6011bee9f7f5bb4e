"""Page addresses built by claims.links.slug_url match Django's reverse()."""

import pytest
from django.urls import reverse, set_script_prefix

from claims.links import slug_url

from .factories import ActorFactory, ClaimFactory, TopicFactory


@pytest.mark.parametrize("name", ["claims:claim-detail", "claims:actor-detail", "claims:topic-detail"])
@pytest.mark.parametrize("slug", ["town-hall", "a", "2023-04-05_x", "Bakhmut-UA"])
def test_slug_url_is_what_reverse_gives(name, slug):
    assert slug_url(name, slug) == reverse(name, kwargs={"slug": slug})


def test_slug_url_follows_the_script_prefix():
    try:
        set_script_prefix("/tracker/")
        assert slug_url("claims:claim-detail", "town-hall") == "/tracker/claims/town-hall/"
        assert reverse("claims:claim-detail", kwargs={"slug": "town-hall"}) == "/tracker/claims/town-hall/"
    finally:
        set_script_prefix("/")
    assert slug_url("claims:claim-detail", "town-hall") == "/claims/town-hall/"


def test_a_slug_with_unsafe_characters_is_quoted_not_broken():
    assert slug_url("claims:claim-detail", "a/b?c") == "/claims/a%2Fb%3Fc/"


@pytest.mark.django_db
def test_pages_link_to_their_rows_by_slug():
    claim, actor, topic = (
        ClaimFactory(slug="town-hall"),
        ActorFactory(slug="prigozhin"),
        TopicFactory(slug="bakhmut"),
    )
    assert claim.get_absolute_url() == "/claims/town-hall/"
    assert actor.get_absolute_url() == "/actors/prigozhin/"
    assert topic.get_absolute_url() == "/topics/bakhmut/"
