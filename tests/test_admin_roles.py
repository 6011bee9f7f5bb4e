"""Editors log claims; only reviewers assess and publish. The admin enforces both."""

import pytest
from django.urls import reverse

from claims.models import Assessment, Claim
from claims.vocabularies import Stance, Status

from .admin_forms import add_inline_rows, form_data
from .factories import ActorFactory, ClaimFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:claims_claim_add")


def new_claim_data(client, **overrides):
    data = form_data(client.get(ADD_URL))
    data.update(
        text="Russian forces hold the Bakhmut railway station.",
        slug="russian-forces-hold-bakhmut-railway-station",
        context="Logged from a live blog.",
        first_claimed_on="2023-04-03",
        is_published="on",
        **overrides,
    )
    asserting, denying = ActorFactory(), ActorFactory()
    add_inline_rows(
        data,
        "statements",
        [
            {"actor": asserting.pk, "stance": Stance.ASSERTS, "stated_on": "2023-04-03", "summary": "Yes."},
            {
                "actor": denying.pk,
                "stance": Stance.DENIES,
                "stated_on": "2023-04-03",
                "quote": "No.",
                "quote_language": "uk",
                "translation": "No.",
            },
        ],
    )
    return data


def test_anonymous_user_is_sent_to_the_login_page(client):
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_editor_adds_a_claim_with_both_sides_but_it_stays_a_draft(editor_client):
    data = new_claim_data(editor_client)
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    claim = Claim.objects.get(slug="russian-forces-hold-bakhmut-railway-station")
    assert not claim.is_published
    assert sorted(claim.statements.values_list("stance", flat=True)) == [Stance.ASSERTS, Stance.DENIES]


def test_editor_cannot_add_an_assessment_even_by_posting_one(editor_client):
    data = new_claim_data(editor_client)
    data.update(
        {
            "assessments-TOTAL_FORMS": 1,
            "assessments-INITIAL_FORMS": 0,
            "assessments-0-status": Status.CONFIRMED,
            "assessments-0-rationale": "Sure.",
            "assessments-0-assessed_at_0": "2023-04-04",
            "assessments-0-assessed_at_1": "10:00",
        }
    )
    editor_client.post(ADD_URL, data)
    assert not Assessment.objects.exists()


def test_editor_cannot_publish_with_the_action(editor_client):
    claim = ClaimFactory(is_published=False)
    changelist = reverse("admin:claims_claim_changelist")
    action_form = editor_client.get(changelist).context["action_form"]
    assert action_form is None or "publish" not in dict(action_form.fields["action"].choices)
    editor_client.post(changelist, {"action": "publish", "_selected_action": [claim.pk]})
    claim.refresh_from_db()
    assert not claim.is_published


def test_editor_cannot_open_the_assessment_add_form(editor_client):
    assert editor_client.get(reverse("admin:claims_assessment_add")).status_code == 403


def test_reviewer_publishes_and_assesses(reviewer_client):
    data = new_claim_data(reviewer_client)
    add_inline_rows(
        data,
        "assessments",
        [
            {
                "status": Status.DISPUTED,
                "rationale": "Both sides disagree.",
                "is_published": "on",
                "assessed_at_0": "2023-04-03",
                "assessed_at_1": "18:00",
            }
        ],
    )
    response = reviewer_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["errors"]
    claim = Claim.objects.get(slug="russian-forces-hold-bakhmut-railway-station")
    assert claim.is_published
    assert claim.status == Status.DISPUTED
    assessment = claim.assessments.get()
    assert assessment.author.username == "rev"


def test_reviewer_publishes_and_unpublishes_with_the_actions(reviewer_client):
    draft, published = ClaimFactory(is_published=False), ClaimFactory(is_published=True)
    changelist = reverse("admin:claims_claim_changelist")
    reviewer_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    reviewer_client.post(changelist, {"action": "unpublish", "_selected_action": [published.pk]})
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.is_published and draft.published_at
    assert not published.is_published
