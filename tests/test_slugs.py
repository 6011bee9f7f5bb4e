"""Slugs made from a claim's text when a client gives none: whole words only."""

import pytest
from django.utils.text import slugify

from claims.models import Claim
from claims.slugs import SLUG_WORDS_LENGTH, slug_base

MH17 = (
    "A Buk missile launcher of the Russian army's 53rd anti-aircraft brigade was in eastern Ukraine "
    "on 17 July 2014 and back in Russia the day after the airliner was downed"
)


def test_a_long_text_is_cut_between_words():
    slug = slug_base(MH17, "claim")
    whole = slugify(MH17).split("-")
    words = slug.split("-")
    assert len(slug) <= SLUG_WORDS_LENGTH
    assert words == whole[: len(words)]  # every word whole, in order
    assert len("-".join(whole[: len(words) + 1])) > SLUG_WORDS_LENGTH  # as many as fit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Short claim.", "short-claim"),
        ("x" * 100, "x" * SLUG_WORDS_LENGTH),  # one word longer than the limit: cut where it must be
        ("word " * 16, "-".join(["word"] * 16)),  # 79 characters: nothing to cut
        ("word " * 17, "-".join(["word"] * 16)),  # 84: the last whole word goes
        ("!!!", "claim"),
    ],
)
def test_slug_base(text, expected):
    assert slug_base(text, "claim") == expected


def test_the_api_makes_a_slug_of_whole_words(api_client_for):
    text = "The Ukrainian air force shot down the Russian Ka-52 helicopter over Bakhmut before it was downed"
    response = api_client_for("Editor").post("/api/v1/claims/", {"text": text})
    assert response.status_code == 201, response.json()
    slug = response.json()["slug"]
    assert slug == "the-ukrainian-air-force-shot-down-the-russian-ka-52-helicopter-over-bakhmut"
    assert Claim.objects.filter(slug=slug).exists()
