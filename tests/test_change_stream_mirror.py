"""A mirror that follows the change stream ends identical to the public API,
after a random sequence of edits, publishes, unpublishes and deletes; and
positions are handed out in commit order (PostgreSQL, two transactions)."""

import datetime as dt
import random
import threading

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.test import override_settings
from rest_framework.test import APIClient

from claims.models import Change, Claim, ClaimLink, Statement, StatementSource
from claims.services import restore_claim
from claims.vocabularies import LinkKind, Stance, Status

from .factories import (
    ActorFactory,
    AssessmentFactory,
    ClaimFactory,
    ClaimLinkFactory,
    SourceFactory,
    StatementFactory,
    UserFactory,
)
from .mirror_support import public_api

OPERATIONS = 500
NO_THROTTLE = override_settings(
    REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
)


class Mirror:
    """What a mirror keeps: each row's detail by (subject, key), and its position."""

    def __init__(self, client):
        self.client, self.rows, self.position, self.fetched = client, {}, 0, 0

    def sync(self, limit):
        url = f"/api/v1/changes/?since={self.position}&limit={limit}"
        while url:
            page = self.client.get(url).json()
            positions = [entry["position"] for entry in page["results"]]
            assert positions == list(range(self.position + 1, self.position + 1 + len(positions)))
            for entry in page["results"]:
                row = (entry["subject"], entry["key"])
                if entry["removed"]:
                    self.rows.pop(row, None)
                    continue
                response = self.client.get(entry["url"])
                self.fetched += 1
                if response.status_code == 404:  # removed by a later entry of the stream
                    self.rows.pop(row, None)
                else:
                    assert response.status_code == 200
                    self.rows[row] = response.json()
            self.position = page["position"]
            url = page["next"]


class Editor:
    """Random writes, as the admin and the services make them."""

    def __init__(self, rng):
        self.rng = rng
        self.actors = ActorFactory.create_batch(3)
        self.sources = SourceFactory.create_batch(3)
        self.user = UserFactory(is_superuser=True)
        self.deleted_claims = []
        self.counter = 0

    def pick(self, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        return queryset.model.objects.get(pk=self.rng.choice(ids)) if ids else None

    def run(self):
        operation = self.rng.choice(
            [
                *["new_claim"] * 4,
                "edit_claim",
                *["toggle_claim"] * 3,
                "rename_claim",
                "delete_claim",
                "restore_claim",
                *["new_statement"] * 4,
                "edit_statement",
                "move_statement",
                "delete_statement",
                "cite_source",
                *["new_assessment"] * 3,
                *["toggle_assessment"] * 2,
                "delete_assessment",
                *["new_link"] * 2,
                "edit_link",
                "delete_link",
                "edit_actor",
                "edit_source",
            ]
        )
        getattr(self, operation)()

    def name(self):
        self.counter += 1
        return f"mirror-claim-{self.counter}"

    def new_claim(self):
        ClaimFactory(slug=self.name(), is_published=self.rng.random() < 0.7)

    def edit_claim(self):
        if claim := self.pick(Claim.objects.all()):
            claim.text = f"{claim.text} Again."
            claim.save()

    def toggle_claim(self):
        if claim := self.pick(Claim.objects.all()):
            claim.is_published = not claim.is_published
            claim.save()

    def rename_claim(self):
        if claim := self.pick(Claim.objects.all()):
            claim.slug = self.name()
            claim.save()

    def delete_claim(self):
        if claim := self.pick(Claim.objects.all()):
            self.deleted_claims.append(claim.pk)
            claim.delete()

    def restore_claim(self):
        if self.deleted_claims:
            claim_id = self.deleted_claims.pop(self.rng.randrange(len(self.deleted_claims)))
            if not Claim.objects.filter(pk=claim_id).exists():
                restore_claim(claim_id, self.user)

    def new_statement(self):
        if claim := self.pick(Claim.objects.all()):
            # A day of its own: a statement may move to any claim without a clash.
            day = dt.date(2024, 1, 1) - dt.timedelta(days=self.counter)
            self.counter += 1
            actor, stance = self.rng.choice(self.actors), self.rng.choice(Stance.values)
            StatementFactory(claim=claim, actor=actor, stance=stance, stated_on=day)

    def edit_statement(self):
        if statement := self.pick(Statement.objects.all()):
            statement.summary = f"{statement.summary} More."
            statement.save()

    def move_statement(self):
        statement, claim = self.pick(Statement.objects.all()), self.pick(Claim.objects.all())
        if statement and claim:
            statement.claim = claim
            statement.save()

    def delete_statement(self):
        if statement := self.pick(Statement.objects.all()):
            statement.delete()

    def cite_source(self):
        if statement := self.pick(Statement.objects.all()):
            source = self.rng.choice(self.sources)
            link = StatementSource.objects.filter(statement=statement, source=source).first()
            if link:
                link.delete()
            else:
                StatementSource.objects.create(statement=statement, source=source, how="reported")

    def new_assessment(self):
        if claim := self.pick(Claim.objects.all()):
            AssessmentFactory(
                claim=claim, status=self.rng.choice(Status.values), is_published=self.rng.random() < 0.6
            )

    def toggle_assessment(self):
        from claims.models import Assessment

        if assessment := self.pick(Assessment.objects.all()):
            assessment.is_published = not assessment.is_published
            assessment.save()

    def delete_assessment(self):
        from claims.models import Assessment

        if assessment := self.pick(Assessment.objects.all()):
            assessment.delete()

    def new_link(self):
        ends = list(Claim.objects.values_list("pk", flat=True))
        if len(ends) >= 2:
            first, second = self.rng.sample(ends, 2)
            kind = self.rng.choice(LinkKind.values)
            if not ClaimLink.objects.filter(from_claim_id=first, to_claim_id=second, kind=kind).exists():
                ClaimLinkFactory(from_claim_id=first, to_claim_id=second, kind=kind)

    def edit_link(self):
        if link := self.pick(ClaimLink.objects.all()):
            link.note = f"{link.note} note"[:300]
            link.save()

    def edit_actor(self):
        actor = self.rng.choice(self.actors)
        actor.name = f"{actor.name}!"
        actor.save()

    def edit_source(self):
        source = self.rng.choice(self.sources)
        source.title = f"{source.title}!"
        source.save()

    def delete_link(self):
        if link := self.pick(ClaimLink.objects.all()):
            link.delete()


def assert_same(mirror, api):
    """The mirror equals the API; else the first rows and fields that differ."""
    assert sorted(set(mirror) ^ set(api)) == []
    differing = {
        row: {name: (value, api[row][name]) for name, value in mirror[row].items() if value != api[row][name]}
        for row in mirror
        if mirror[row] != api[row]
    }
    assert differing == {}


@pytest.mark.django_db
@NO_THROTTLE
def test_a_mirror_following_the_stream_ends_identical_to_the_public_api():
    rng = random.Random(15_2)
    client = APIClient()
    editor, mirror = Editor(rng), Mirror(client)
    for step in range(OPERATIONS):
        editor.run()
        if rng.random() < 0.05:
            mirror.sync(limit=rng.choice([1, 7, 100, 1000]))
        if step in (OPERATIONS // 2, OPERATIONS - 1):
            mirror.sync(limit=rng.choice([3, 1000]))
            assert_same(mirror.rows, public_api(client))
    assert len(mirror.rows) > 50  # the sequence left something to compare
    assert Change.objects.filter(kind="removed").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between two connections: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_reader_never_sees_a_later_position_before_an_earlier_one():
    """T1 records first and commits last-but-one; T2, started meanwhile, waits for
    T1's commit to take its position: a reader sees 1, then 1 and 2, never 2 alone."""
    events = {name: threading.Event() for name in ("t1_recorded", "t1_go", "t2_recorded", "t2_go")}
    errors = []

    def writer(slug, recorded, go):
        try:
            with transaction.atomic():
                ClaimFactory(slug=slug)
                events[recorded].set()
                assert events[go].wait(30)
        except Exception as error:
            errors.append(error)
            events[recorded].set()
        finally:
            connections.close_all()

    def reader():
        return list(Change.objects.order_by("position").values_list("position", "key"))

    first = threading.Thread(target=writer, args=("first", "t1_recorded", "t1_go"))
    first.start()
    assert events["t1_recorded"].wait(30)
    second = threading.Thread(target=writer, args=("second", "t2_recorded", "t2_go"))
    second.start()
    with connection.cursor() as cursor:  # T2 is waiting for the head's lock
        for _ in range(3000):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.01)
        else:
            pytest.fail("the second writer never waited for the head")
    assert reader() == []
    events["t1_go"].set()
    first.join(30)
    assert events["t2_recorded"].wait(30)
    assert reader() == [(1, "first")]
    events["t2_go"].set()
    second.join(30)
    assert errors == []
    assert reader() == [(1, "first"), (2, "second")]
