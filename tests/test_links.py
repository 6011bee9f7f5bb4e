"""Page addresses built by claims.links.slug_url match Django's reverse()."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from claims.links import slug_url, url_for

from .factories import ActorFactory, ClaimFactory, TopicFactory


@pytest.mark.parametrize("name", ["claims:claim-detail", "claims:actor-detail", "claims:topic-detail"])
@pytest.mark.parametrize("slug", ["town-hall", "a", "2023-04-05_x", "Bakhmut-UA"])
def test_slug_url_is_what_reverse_gives(name, slug):
    assert slug_url(name, slug) == reverse(name, kwargs={"slug": slug})


@pytest.mark.parametrize(
    ("name", "kwarg", "value"),
    [
        ("api:claim-detail", "slug", "town-hall"),
        ("api:statement-detail", "pk", 42),
        ("api:source-detail", "pk", 7),
    ],
)
def test_api_addresses_are_what_reverse_gives(name, kwarg, value):
    assert url_for(name, kwarg, value) == reverse(name, kwargs={kwarg: value})


def test_a_route_that_takes_no_such_argument_is_an_error_as_with_reverse():
    with pytest.raises(NoReverseMatch):
        url_for("claims:claim-detail", "pk", 1)


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


def test_fixed_url_gives_what_the_url_tag_gives_under_each_script_prefix():
    names = ["claims:home", "claims:claim-list", "claims:methodology", "claims:feed-rss", "claims:sitemap"]
    both = Template(
        "{% load reader %}" + "".join(f"{{% url '{n}' %}}|{{% fixed_url '{n}' %}}\n" for n in names)
    )
    try:
        for prefix in ["/", "/tracker/", "/a b&c/"]:
            set_script_prefix(prefix)
            for line in both.render(Context()).splitlines():
                url, fixed = line.split("|")
                assert fixed == url and url.startswith(prefix.replace(" ", "%20").replace("&", "&amp;"))
    finally:
        set_script_prefix("/")
