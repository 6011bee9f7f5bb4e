"""Two editors on the same row: the second save is refused with who changed it,
when and what, the second editor's input stays on the form, and a save after
that (knowingly) goes through. Edits through the API count as well."""

import pytest
from django.test import Client
from django.urls import reverse

from claims.caching import touch_claims
from claims.models import Assessment, Claim, Source, Statement, StatementSource

from .admin_forms import add_inline_rows, form_data
from .factories import (
    ActorFactory,
    AssessmentFactory,
    ClaimFactory,
    SourceFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:claims_{obj._meta.model_name}_change", args=[obj.pk])


def logged_in(username, role):
    client = Client()
    client.force_login(UserFactory(username=username, role=role))
    return client


@pytest.fixture
def first():
    return logged_in("first", "Reviewer")


@pytest.fixture
def second():
    return logged_in("second", "Reviewer")


def open_form(client, obj):
    response = client.get(change_url(obj))
    assert response.status_code == 200
    data = form_data(response)
    if moment := data.pop("assessed_at", None):  # a date and a time box in the browser
        data |= {"assessed_at_0": f"{moment:%Y-%m-%d}", "assessed_at_1": f"{moment:%H:%M:%S}"}
    return data


def save(client, obj, data, **values):
    return client.post(change_url(obj), {**data, **values})


def refusal(response):
    assert response.status_code == 200, "the save was accepted"
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1, errors
    return errors[0]


def test_second_save_of_a_claim_is_refused_saying_who_when_and_what(first, second):
    claim = ClaimFactory(text="Wagner took the town hall.", context="Old context.")
    mine, theirs = open_form(first, claim), open_form(second, claim)

    assert save(first, claim, mine, text="Wagner says it took the town hall.").status_code == 302
    response = save(second, claim, theirs, context="Second editor's careful context.")

    message = refusal(response)
    assert "changed after you opened this form" in message
    assert "first" in message and "changed: text" in message
    # Nothing of the first editor's was lost; nothing of the second's stored...
    claim.refresh_from_db()
    assert (claim.text, claim.context) == ("Wagner says it took the town hall.", "Old context.")
    # ...but it is still on the form, to compare and keep.
    assert "Second editor&#x27;s careful context." in response.content.decode()


def test_saving_again_after_the_refusal_keeps_the_second_editors_version(first, second):
    claim = ClaimFactory(context="Old context.")
    mine, theirs = open_form(first, claim), open_form(second, claim)
    save(first, claim, mine, text="Changed by the first editor.")
    refused = save(second, claim, theirs, context="Kept on purpose.")

    now_current = refused.context["adminform"].form["edit_version"].value()
    assert now_current != theirs["edit_version"]
    assert f'value="{now_current}"' in refused.content.decode()  # what the browser sends back
    resent = save(second, claim, theirs, edit_version=now_current, context="Kept on purpose.")
    assert resent.status_code == 302
    claim.refresh_from_db()
    assert claim.context == "Kept on purpose."


def test_a_statement_added_to_the_claim_meanwhile_is_named(first, second):
    claim = ClaimFactory()
    theirs = open_form(second, claim)
    actor = ActorFactory(name="Yevgeny Prigozhin")
    data = add_inline_rows(
        open_form(first, claim),
        "statements",
        [
            {
                "actor": actor.pk,
                "stance": "asserts",
                "stated_on": "2023-04-03",
                "summary": "Says Wagner holds the building.",
            }
        ],
    )
    assert save(first, claim, data).status_code == 302

    message = refusal(save(second, claim, theirs, context="Meanwhile."))
    assert "statement “Yevgeny Prigozhin asserts” added by first" in message
    assert Statement.objects.filter(claim=claim).count() == 1


def test_a_statement_whose_sources_changed_meanwhile_is_refused(first, second):
    statement = StatementFactory(summary="Said so.")
    theirs = open_form(second, statement)
    StatementSource.objects.create(statement=statement, source=SourceFactory(title="Reuters report"))

    message = refusal(save(second, statement, theirs, summary="Reworded."))
    assert "statement source “Reuters report" in message
    statement.refresh_from_db()
    assert statement.summary == "Said so."


def test_two_reviewers_on_one_assessment(first, second):
    assessment = AssessmentFactory(rationale="First rationale.")
    mine, theirs = open_form(first, assessment), open_form(second, assessment)
    assert save(first, assessment, mine, rationale="Rewritten by the first.").status_code == 302

    message = refusal(save(second, assessment, theirs, rationale="Rewritten by the second."))
    assert "rationale" in message and "by first" in message
    assert Assessment.objects.get(pk=assessment.pk).rationale == "Rewritten by the first."


def test_two_editors_on_one_source(first, second):
    source = SourceFactory(title="Original title")
    mine, theirs = open_form(first, source), open_form(second, source)
    assert save(first, source, mine, title="Corrected title").status_code == 302

    assert "changed: title" in refusal(save(second, source, theirs, title="Another title"))
    assert Source.objects.get(pk=source.pk).title == "Corrected title"


def test_an_api_write_meanwhile_is_a_conflict_too(second, api_client_for):
    claim = ClaimFactory(slug="town-hall", context="Old context.")
    theirs = open_form(second, claim)
    client = api_client_for("Reviewer")
    assert client.patch("/api/v1/claims/town-hall/", {"context": "From the API."}).status_code == 200

    message = refusal(save(second, claim, theirs, context="From the admin."))
    assert "api-reviewer" in message and "changed: context" in message
    assert Claim.objects.get(pk=claim.pk).context == "From the API."


def test_a_version_moved_without_an_edit_is_no_conflict(second):
    """A capture or a link check touches the claims citing a source: no history, no conflict."""
    claim = ClaimFactory(context="Old context.")
    theirs = open_form(second, claim)
    touch_claims([claim.pk])

    assert save(second, claim, theirs, context="Saved.").status_code == 302
    assert Claim.objects.get(pk=claim.pk).context == "Saved."


def test_one_editor_saving_twice_in_a_row_is_no_conflict(first):
    claim = ClaimFactory()
    assert save(first, claim, open_form(first, claim), context="One.").status_code == 302
    assert save(first, claim, open_form(first, claim), context="Two.").status_code == 302
    assert Claim.objects.get(pk=claim.pk).context == "Two."


@pytest.mark.parametrize("sent", ["", "nonsense", "claim.1.2@not-a-time", "@1e400", "x@-1e30"])
def test_a_missing_or_malformed_version_is_no_500(first, sent):
    claim = ClaimFactory()
    response = save(first, claim, open_form(first, claim), edit_version=sent, context="Saved.")
    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).context == "Saved."


def test_a_view_only_page_has_no_version_field(editor_client):
    """Editors may only view assessments: their page renders, read-only, as before."""
    assessment = AssessmentFactory()
    response = editor_client.get(change_url(assessment))
    assert response.status_code == 200
    assert b"edit_version" not in response.content
