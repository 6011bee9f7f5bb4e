"""The desk (/admin/desk/): what waits for a Reviewer. Each section lists the
right rows and not the others; only those who may publish see it; its
number of queries does not grow with the rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Assessment, Claim, Source, Statement
from claims.vocabularies import LinkState, SourceCaptureState, Status

from .factories import AssessmentFactory, ClaimFactory, SourceFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db

DESK = "/admin/desk/"


def ago(**delta):
    return timezone.now() - dt.timedelta(**delta)


def logged(obj, moment):
    """Pretend `obj` was logged at `moment` (created_at is set on insert)."""
    type(obj).objects.filter(pk=obj.pk).update(created_at=moment)


def listed(response, key):
    section = next(s for s in response.context["sections"] if s.key == key)
    return [row.label for row in section.rows]


def section(response, key):
    return next(s for s in response.context["sections"] if s.key == key)


# --- The QuerySets -------------------------------------------------------


def test_drafts_are_listed_oldest_first_and_published_claims_are_not(db):
    newer = ClaimFactory(text="A newer draft.", is_published=False)
    older = ClaimFactory(text="An older draft.", is_published=False)
    logged(older, ago(days=3))
    ClaimFactory(text="Published already.")
    assert list(Claim.objects.awaiting_publication()) == [older, newer]


def test_draft_assessments_are_listed_and_published_ones_are_not(db):
    draft = AssessmentFactory(is_published=False, rationale="Not yet public.")
    AssessmentFactory(is_published=True)
    assert list(Assessment.objects.awaiting_publication()) == [draft]


def test_claims_with_a_statement_newer_than_their_last_assessment(db):
    never_assessed = StatementFactory(claim__text="Never assessed.").claim
    caught_up = StatementFactory(claim__text="Assessed after its statements.").claim
    logged(caught_up.statements.get(), ago(days=2))
    AssessmentFactory(claim=caught_up)
    moved_on = StatementFactory(claim__text="A statement after the verdict.").claim
    verdict = AssessmentFactory(claim=moved_on, is_published=False)  # a draft verdict counts too
    logged(verdict, ago(days=2))
    logged(moved_on.statements.get(), ago(days=3))
    StatementFactory(claim=moved_on, actor__name="Someone new")  # logged now
    StatementFactory(claim__text="A draft, listed with the drafts.", claim__is_published=False)
    ClaimFactory(text="No statements at all.")

    found = Claim.objects.with_unassessed_statements()
    assert {claim.text for claim in found} == {never_assessed.text, moved_on.text}
    by_text = {claim.text: claim for claim in found}
    assert by_text[never_assessed.text].last_assessed_at is None
    assert by_text[moved_on.text].newest_statement_at > by_text[moved_on.text].last_assessed_at


def test_a_backdated_assessment_made_after_the_statement_counts_as_caught_up(db):
    claim = StatementFactory(claim__text="Assessed today, dated last month.").claim
    logged(claim.statements.get(), ago(days=1))
    AssessmentFactory(claim=claim, assessed_at=ago(days=30))
    assert not Claim.objects.with_unassessed_statements().exists()


def test_claims_disputed_for_more_than_30_days_without_a_new_assessment(db):
    stale = AssessmentFactory(claim__text="Disputed for 40 days.", assessed_at=ago(days=40)).claim
    AssessmentFactory(claim__text="Disputed for 10 days.", assessed_at=ago(days=10))
    looked_at = AssessmentFactory(claim__text="Disputed for 40 days, draft since.", assessed_at=ago(days=40))
    AssessmentFactory(claim=looked_at.claim, is_published=False, assessed_at=ago(days=2))
    AssessmentFactory(claim__text="Refuted 40 days ago.", status=Status.REFUTED, assessed_at=ago(days=40))
    AssessmentFactory(
        claim__text="A disputed draft claim.", claim__is_published=False, assessed_at=ago(days=40)
    )
    older = AssessmentFactory(claim__text="Disputed for 90 days.", assessed_at=ago(days=90)).claim

    found = list(Claim.objects.disputed_without_assessment_since(30))
    assert found == [older, stale]


# --- The page ------------------------------------------------------------


def test_each_section_lists_its_rows_and_not_the_others(reviewer_client):
    draft = ClaimFactory(text="A draft claim.", is_published=False)
    draft_assessment = AssessmentFactory(claim__text="Its assessment is a draft.", is_published=False)
    unassessed = StatementFactory(claim__text="Said, never assessed.").claim
    disputed = AssessmentFactory(claim__text="Disputed for long.", assessed_at=ago(days=45)).claim
    logged(disputed, ago(days=45))
    gone = SourceFactory(title="A page that is gone")
    never = SourceFactory(title="A page never captured")
    captured = SourceFactory(title="A captured page")
    Source.objects.filter(pk=gone.pk).update(link_state=LinkState.GONE, gone_since=dt.date(2024, 1, 2))
    Source.objects.filter(pk=captured.pk).update(capture_state=SourceCaptureState.CAPTURED)
    # A capture row for the captured one, so that it is not "never captured".
    from claims.models import Capture

    copy = Capture.objects.create(source=captured, requested_url=captured.url)
    Source.objects.filter(pk=captured.pk).update(latest_capture=copy)

    response = reviewer_client.get(DESK)
    assert response.status_code == 200
    assert listed(response, "drafts") == [str(draft)]
    assert listed(response, "draft-assessments") == [str(draft_assessment.claim)]
    assert str(unassessed) in listed(response, "unassessed")
    assert str(draft) not in listed(response, "unassessed")
    assert listed(response, "disputed") == [str(disputed)]
    sources = listed(response, "sources")
    assert str(Source.objects.get(pk=gone.pk)) in sources
    assert str(never) in sources
    assert str(captured) not in sources
    assert sources.index(str(Source.objects.get(pk=gone.pk))) < sources.index(str(never))  # gone first

    html = response.content.decode()
    assert reverse("admin:claims_claim_change", args=[draft.pk]) in html
    assert reverse("admin:claims_assessment_change", args=[draft_assessment.pk]) in html
    assert reverse("admin:claims_source_change", args=[never.pk]) in html
    assert reverse("admin:claims_source_at_risk") in html


def test_an_empty_desk_says_so(reviewer_client):
    response = reviewer_client.get(DESK)
    assert response.status_code == 200
    assert response.content.decode().count("Nothing waits here.") == 5


def test_counts_are_capped(reviewer_client, monkeypatch):
    from claims.admin import desk

    monkeypatch.setattr(desk, "COUNT_LIMIT", 3)
    monkeypatch.setattr(desk, "DESK_ROWS", 2)
    ClaimFactory.create_batch(5, is_published=False)
    response = reviewer_client.get(DESK)
    drafts = section(response, "drafts")
    assert len(drafts.rows) == 2
    assert drafts.count_label == "more than 3"
    assert "Showing 2 of more than 3." in response.content.decode()


def test_superusers_see_the_desk(client):
    admin_user = UserFactory(username="boss")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    assert client.get(DESK).status_code == 200


def test_editors_may_not_open_the_desk(editor_client):
    assert editor_client.get(DESK).status_code == 403


def test_the_admin_index_links_the_desk_for_reviewers_only(reviewer_client, client, editor):
    assert DESK in reviewer_client.get(reverse("admin:index")).content.decode()
    client.force_login(editor)
    assert DESK not in client.get(reverse("admin:index")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(DESK)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:login") + "?next=" + DESK


def test_the_desk_is_read_only(reviewer_client):
    assert reviewer_client.post(DESK).status_code == 405


# --- Queries do not grow with the rows -------------------------------------


def make_rows(n):
    """n rows in every section."""
    for i in range(n):
        ClaimFactory(text=f"Draft {i}.", is_published=False)
        AssessmentFactory(claim__text=f"Draft verdict {i}.", is_published=False)
        StatementFactory(claim__text=f"Said {i}.")
        AssessmentFactory(claim__text=f"Disputed {i}.", assessed_at=ago(days=40 + i))
        SourceFactory(title=f"Never captured {i}")
        gone = SourceFactory(title=f"Gone {i}")
        Source.objects.filter(pk=gone.pk).update(link_state=LinkState.GONE, gone_since=dt.date(2024, 1, 2))


def desk_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DESK)
    assert response.status_code == 200
    return len(queries), response


def clear_rows():
    Statement.objects.all().delete()
    Assessment.objects.all().delete()
    Claim.objects.all().delete()
    Source.objects.all().delete()


def test_queries_do_not_grow_with_the_rows(reviewer_client):
    make_rows(1)
    one, response = desk_queries(reviewer_client)
    assert all(len(s.rows) >= 1 for s in response.context["sections"])
    clear_rows()
    make_rows(20)
    twenty, response = desk_queries(reviewer_client)
    assert [len(s.rows) for s in response.context["sections"]] == [20, 20, 20, 20, 40]
    assert one == twenty
