"""Storing checked ClaimReviews (claims/api/claimreview_import.py reads and
checks them), a chunk of records at a time.

Saving row by row, with its history and signals, cost about 47 queries a
record. Here a chunk of up to CHUNK records costs a fixed number: one lookup
per kind of row for what is stored already, one bulk insert per kind with its
history rows, then one refresh of statuses, search text and page versions for
every claim the chunk changed. Bulk inserts send no signals, so `refresh`
does what claims/signals.py does on save.

Matching is the same as a record-by-record import's: a claim by its exact
text; an actor by Wikidata id, then by name, then by alias (names compared
upper-cased); a source by its normalised URL; a statement by (claim, actor,
asserts, date); an assessment by (claim, status, day). A later record of the
same import finds what an earlier one made.
"""

import datetime as dt

from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone

from claims import bulk, services
from claims.caching import touch_actors, touch_claims_and_speakers
from claims.models import Actor, ActorAlias, Assessment, Claim, Source, Statement, StatementSource
from claims.vocabularies import SourceKind, Stance

from .slugs import unique_slugs

CHUNK = 1000
CHANGE_REASON = "ClaimReview import"
APPEARANCE = "appearance (ClaimReview)"


def reviewer_phrase(review):
    return f" by {review.reviewer}" if review.reviewer else ""


class ReviewStore:
    def __init__(self, user):
        self.user = user
        self.now = timezone.now()
        self.note = bulk.HistoryNote(user, CHANGE_REASON, self.now)
        self.created = {"claims": 0, "actors": 0, "statements": 0, "sources": 0, "assessments": 0}

    def run(self, reviews):
        slugs = []
        for start in range(0, len(reviews), CHUNK):
            slugs += self.store(reviews[start : start + CHUNK])
        return {"created": self.created, "claims": slugs}

    def store(self, reviews):
        claims, new_claims = self.claims(reviews)
        stored_before = {claim.pk for claim in claims} - {claim.pk for claim in new_claims}
        actors = self.actors(reviews)
        sources = self.sources(reviews)
        stated, speakers = self.statements(reviews, claims, actors, sources, stored_before)
        assessed = self.assessments(reviews, claims, sources, stored_before)
        self.refresh({claim.pk for claim in new_claims}, stated, assessed, speakers)
        return [claim.slug for claim in claims]

    def insert(self, model, objs, counter=None):
        """Insert new rows with one history row each (by the importing user)."""
        history_ids = bulk.insert_with_history(model, objs, self.note)
        if counter:
            self.created[counter] += len(objs)
        return history_ids

    # --- Rows ----------------------------------------------------------------

    def claims(self, reviews):
        """The claim of each review, and those made now."""
        by_text = {}
        for claim in (
            Claim.objects.filter(text__in={r.text for r in reviews}).order_by("-pk").only("text", "slug")
        ):
            by_text[claim.text] = claim  # the oldest wins
        wanted = {}
        for review in reviews:
            if review.text not in by_text:
                wanted.setdefault(review.text, review)
        firsts = list(wanted.values())
        slugs = unique_slugs(Claim, [r.text for r in firsts], wanted=[r.slug for r in firsts])
        new = [
            Claim(
                text=review.text,
                slug=slug,
                first_claimed_on=review.claimed_on,
                # Both ways in publish: the API only lets Reviewers import.
                is_published=True,
                published_at=self.now,
            )
            for review, slug in zip(firsts, slugs, strict=True)
        ]
        self.insert(Claim, new, "claims")
        by_text.update((claim.text, claim) for claim in new)
        return [by_text[review.text] for review in reviews], new

    def actors(self, reviews):
        """The actor of each review's author (None where it names none)."""
        authors = [review.author for review in reviews if review.author is not None]
        names = {author.name for author in authors}
        # Rows named exactly so, or so upper-cased (SQLite's UPPER knows ASCII
        # only), indexed both ways; then compared upper-cased here.
        named = Q(name__in=names) | Q(upper_name__in={name.upper() for name in names})
        by_wikidata, by_name, by_alias = {}, {}, {}
        # Newest first, so that the oldest of several matches wins.
        wikidata_ids = {author.wikidata_id for author in authors if author.wikidata_id}
        for actor in Actor.objects.filter(wikidata_id__in=wikidata_ids).order_by("-pk"):
            by_wikidata[actor.wikidata_id] = actor
        for actor in Actor.objects.annotate(upper_name=Upper("name")).filter(named).order_by("-pk"):
            by_name[actor.name.upper()] = actor
        aliases = ActorAlias.objects.annotate(upper_name=Upper("name")).filter(named).select_related("actor")
        for alias in aliases.order_by("-pk"):
            by_alias[alias.name.upper()] = alias.actor
        new = []
        found = []
        for review in reviews:
            author = review.author
            if author is None:
                found.append(None)
                continue
            name = author.name.upper()
            actor = (by_wikidata.get(author.wikidata_id) if author.wikidata_id else None) or by_name.get(
                name, by_alias.get(name)
            )
            if actor is None:
                actor = Actor(name=author.name, kind=author.kind, wikidata_id=author.wikidata_id)
                new.append(actor)
                by_name[name] = actor
                if author.wikidata_id:
                    by_wikidata[author.wikidata_id] = actor
            found.append(actor)
        for actor, slug in zip(
            new, unique_slugs(Actor, [a.name for a in new], fallback="actor"), strict=True
        ):
            actor.slug = slug
        self.insert(Actor, new, "actors")
        return found

    def sources(self, reviews):
        """Every source the reviews cite, by URL: the stored one or a new one
        (titled by the first record that cites it)."""
        titles = {}
        for review in reviews:
            for url, title in review.appearances:
                titles.setdefault(url, title)
            if review.review_url:
                titles.setdefault(review.review_url, f"ClaimReview{reviewer_phrase(review)}"[:500])
        by_url = {source.url: source for source in Source.objects.filter(url__in=titles).only("url")}
        new = [
            Source(url=url, title=title, kind=SourceKind.NEWS_REPORT)
            for url, title in titles.items()
            if url not in by_url
        ]
        self.insert(Source, new, "sources")
        by_url.update((source.url, source) for source in new)
        return by_url

    def statements(self, reviews, claims, actors, sources, stored_before):
        """The author's asserting statement on each claim, with the appearances
        as its sources. Returns the claims whose statements changed, and the
        actors of new statements."""
        statement_ids, linked = {}, set()
        if stored_before:
            stored = Statement.objects.filter(claim_id__in=stored_before, stance=Stance.ASSERTS).order_by(
                "-pk"
            )
            for pk, claim_id, actor_id, stated_on in stored.values_list(
                "pk", "claim_id", "actor_id", "stated_on"
            ):
                statement_ids[claim_id, actor_id, stated_on] = pk
            linked = set(
                StatementSource.objects.filter(statement_id__in=statement_ids.values()).values_list(
                    "statement_id", "source_id"
                )
            )
        keys = []
        new = {}
        for review, claim, actor in zip(reviews, claims, actors, strict=True):
            key = None if actor is None else (claim.pk, actor.pk, review.claimed_on or review.reviewed_on)
            keys.append(key)
            if key is not None and key not in statement_ids and key not in new:
                new[key] = Statement(
                    claim=claim, actor=actor, stance=Stance.ASSERTS, stated_on=key[2], summary=review.text
                )
        self.insert(Statement, list(new.values()), "statements")
        statement_ids.update((key, statement.pk) for key, statement in new.items())
        changed = {key[0] for key in new}
        links = []
        for review, key in zip(reviews, keys, strict=True):
            if key is None:
                continue
            for url, _ in review.appearances:
                pair = (statement_ids[key], sources[url].pk)
                if pair not in linked:
                    linked.add(pair)
                    links.append(StatementSource(statement_id=pair[0], source_id=pair[1], how=APPEARANCE))
                    changed.add(key[0])
        self.insert(StatementSource, links)
        return changed, {key[1] for key in new}

    def assessments(self, reviews, claims, sources, stored_before):
        """An assessment from each review's rating, unless the claim has one
        with that status on that day. Returns the claims assessed."""
        seen = set()
        if stored_before:
            stored = Assessment.objects.filter(claim_id__in=stored_before).values_list(
                "claim_id", "status", "assessed_at"
            )
            seen = {(claim_id, status, timezone.localdate(at)) for claim_id, status, at in stored}
        new, evidence = [], []
        for review, claim in zip(reviews, claims, strict=True):
            key = (claim.pk, review.status, review.reviewed_on)
            if key in seen:
                continue
            seen.add(key)
            rating = f" (rated “{review.original_rating}”)" if review.original_rating else ""
            new.append(
                Assessment(
                    claim=claim,
                    status=review.status,
                    rationale=f"Imported from a ClaimReview{reviewer_phrase(review)}{rating}.",
                    original_rating=review.original_rating,
                    assessed_at=dt.datetime.combine(review.reviewed_on, dt.time(0, 0), tzinfo=dt.UTC),
                    author=self.user,
                    is_published=True,
                )
            )
            evidence.append(sources[review.review_url] if review.review_url else None)
        if not new:
            return set()
        history_ids = self.insert(Assessment, new, "assessments")
        # Each history row records the evidence it was made with.
        through = [
            Assessment.evidence.through(assessment_id=assessment.pk, source_id=source.pk)
            for assessment, source in zip(new, evidence, strict=True)
            if source is not None
        ]
        bulk.insert(Assessment.evidence.through, through)
        history_of = {
            assessment.pk: history_id for assessment, history_id in zip(new, history_ids, strict=True)
        }
        evidence_history = Assessment.history.model._meta.get_field(
            "historicalassessment_evidence"
        ).related_model
        bulk.insert(
            evidence_history,
            [
                evidence_history(
                    history_id=history_of[row.assessment_id],
                    id=row.pk,
                    assessment_id=row.assessment_id,
                    source_id=row.source_id,
                )
                for row in through
            ],
        )
        return {assessment.claim_id for assessment in new}

    # --- What saving would have done (claims/signals.py) -----------------------

    def refresh(self, new, stated, assessed, speakers):
        services.refresh_claim_statuses(assessed)
        services.refresh_search_documents(sorted(new | stated))
        # New claims' pages are new. The others' have changed, and so have the
        # pages that show them (topics, speakers, linked claims); a new
        # statement shows on its actor's page.
        touch_claims_and_speakers(sorted((stated | assessed) - new), self.now)
        touch_actors(sorted(speakers), self.now)
