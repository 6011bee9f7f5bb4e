"""Storing checked ClaimReviews (parse.py reads and
checks them), a chunk of records at a time.

Saving row by row, with its history and signals, cost about 47 queries a
record. Here a chunk of up to CHUNK records costs a fixed number: one lookup
per kind of row for what is stored already, one bulk insert per kind with its
history rows, then one refresh of search text and page versions for every
claim the chunk changed. Bulk inserts send no signals, so `refresh` does what
the receivers do on save.

Matching is the same as a record-by-record import's: a claim by its exact
text (one of our own pages by its slug first); an actor by Wikidata id, then
by name, then by alias (names compared upper-cased); a source by its
normalised URL; a statement by (claim, actor, asserts, date); a rating by
(claim, reviewer, day, rating as written, review URL), the ExternalReview's
unique key. A later record of the same import finds what an earlier one made.

Ratings are stored as ExternalReview rows, never as assessments: no import
changes a claim's status.
"""

from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone

from claims import bulk
from claims.caching import touch_actors, touch_claims, touch_claims_and_speakers
from claims.changes.recording import record_claim_trees
from claims.models import Actor, ActorAlias, Claim, ExternalReview, Source, Statement, StatementSource
from claims.search.document import refresh_search_documents
from claims.slugs import unique_slugs
from claims.vocabularies import SourceKind, Stance

CHUNK = 1000
CHANGE_REASON = "ClaimReview import"
APPEARANCE = "appearance (ClaimReview)"

# What happened to each record (the report's `outcome`): a new claim; an
# existing claim, something added to it (or one of our own pages: nothing
# added); nothing new at all; or refused (nothing of the import is stored).
CREATED, MATCHED, DUPLICATE, REFUSED = "created", "matched", "duplicate", "refused"
OUTCOMES = [CREATED, MATCHED, DUPLICATE, REFUSED]


class ReviewStore:
    def __init__(self, user):
        self.user = user
        self.now = timezone.now()
        self.note = bulk.HistoryNote(user, CHANGE_REASON, self.now)
        self.created = {"claims": 0, "actors": 0, "statements": 0, "sources": 0, "external_reviews": 0}

    def run(self, reviews):
        records = []
        for start in range(0, len(reviews), CHUNK):
            records += self.store(reviews[start : start + CHUNK])
        return {
            "created": self.created,
            "claims": [record["claim"] for record in records],
            "records": records,
        }

    def store(self, reviews):
        """The chunk's rows, and a report entry for each of its records."""
        claims, new_claims, creators = self.claims(reviews)
        stored_before = {claim.pk for claim in claims} - {claim.pk for claim in new_claims}
        actors = self.actors(reviews)
        sources = self.sources(reviews)
        stated, speakers, added = self.statements(reviews, claims, actors, sources, stored_before)
        rated, rated_claims = self.external_reviews(reviews, claims, stored_before)
        self.refresh({claim.pk for claim in new_claims}, stated, rated_claims, speakers)
        records = []
        for position, (review, claim) in enumerate(zip(reviews, claims, strict=True)):
            created = position in creators
            changed = created or position in rated or position in added
            if created:
                outcome = CREATED
            elif changed or review.ours:
                outcome = MATCHED
            else:
                outcome = DUPLICATE
            records.append(
                {
                    "index": review.index,
                    "outcome": outcome,
                    "claim": claim.slug,
                    "rating_added": position in rated,
                    "changed": changed,
                    "errors": [],
                }
            )
        return records

    def insert(self, model, objs, counter=None):
        """Insert new rows with one history row each (by the importing user)."""
        history_ids = bulk.insert_with_history(model, objs, self.note)
        if counter:
            self.created[counter] += len(objs)
        return history_ids

    # --- Rows ----------------------------------------------------------------

    def claims(self, reviews):
        """The claim of each review, those made now, and the positions of the
        reviews that made them (the first review of each new claim)."""
        texts = {review.text for review in reviews}
        our_slugs = {review.slug for review in reviews if review.ours and review.slug}
        condition = Q(text__in=texts) | Q(slug__in=our_slugs) if our_slugs else Q(text__in=texts)
        by_text, by_slug = {}, {}
        for claim in Claim.objects.filter(condition).order_by("-pk").only("text", "slug"):
            by_text[claim.text] = claim  # the oldest wins
            by_slug[claim.slug] = claim

        def found(review):
            # Our own page names its claim by slug, whatever its text is now.
            if review.ours and review.slug in by_slug:
                return by_slug[review.slug]
            return by_text.get(review.text)

        wanted = {}
        for position, review in enumerate(reviews):
            if found(review) is None:
                wanted.setdefault(review.text, (position, review))
        firsts = [review for _, review in wanted.values()]
        slugs = unique_slugs(Claim, [r.text for r in firsts], wanted=[r.slug for r in firsts])
        new = [
            Claim(
                text=review.text,
                slug=slug,
                first_claimed_on=review.claimed_on,
                # Both ways in publish: the API only lets Reviewers import.
                # The status stays unverified: their rating is not ours.
                is_published=True,
                published_at=self.now,
            )
            for review, slug in zip(firsts, slugs, strict=True)
        ]
        self.insert(Claim, new, "claims")
        by_text.update((claim.text, claim) for claim in new)
        creators = {position for position, _ in wanted.values()}
        return [found(review) for review in reviews], new, creators

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
        (titled by the first record that cites it). The review's own address
        is kept on its ExternalReview, not as a source."""
        titles = {}
        for review in reviews:
            for url, title in review.appearances:
                titles.setdefault(url, title)
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
        as its sources. Returns the claims whose statements changed, the actors
        of new statements, and the positions of the reviews that added one or
        a source to one."""
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
        added = set()
        for position, (review, claim, actor) in enumerate(zip(reviews, claims, actors, strict=True)):
            key = None if actor is None else (claim.pk, actor.pk, review.claimed_on or review.reviewed_on)
            keys.append(key)
            if key is not None and key not in statement_ids and key not in new:
                added.add(position)
                new[key] = Statement(
                    claim=claim, actor=actor, stance=Stance.ASSERTS, stated_on=key[2], summary=review.text
                )
        self.insert(Statement, list(new.values()), "statements")
        statement_ids.update((key, statement.pk) for key, statement in new.items())
        changed = {key[0] for key in new}
        links = []
        for position, (review, key) in enumerate(zip(reviews, keys, strict=True)):
            if key is None:
                continue
            for url, _ in review.appearances:
                pair = (statement_ids[key], sources[url].pk)
                if pair not in linked:
                    linked.add(pair)
                    links.append(StatementSource(statement_id=pair[0], source_id=pair[1], how=APPEARANCE))
                    changed.add(key[0])
                    added.add(position)
        self.insert(StatementSource, links)
        return changed, {key[1] for key in new}, added

    def external_reviews(self, reviews, claims, stored_before):
        """Each review's rating as an ExternalReview of its claim, unless that
        claim has it already; none for our own pages. Returns the positions of
        the reviews whose rating was added, and the claims rated."""
        seen = set()
        if stored_before:
            seen = set(
                ExternalReview.objects.filter(claim_id__in=stored_before).values_list(
                    "claim_id", "reviewer_name", "reviewed_on", "rating", "review_url"
                )
            )
        new, rated = [], set()
        for position, (review, claim) in enumerate(zip(reviews, claims, strict=True)):
            if review.ours:
                continue  # our own ClaimReview: our verdicts are our assessments
            rating = review.rating
            key = (claim.pk, review.reviewer, review.reviewed_on, rating.as_written, review.review_url)
            if key in seen:
                continue
            seen.add(key)
            rated.add(position)
            new.append(
                ExternalReview(
                    claim=claim,
                    reviewer_name=review.reviewer,
                    reviewer_url=review.reviewer_url,
                    rating=rating.as_written,
                    rating_value=rating.value,
                    suggested_status=rating.status,
                    review_url=review.review_url,
                    reviewed_on=review.reviewed_on,
                    imported_at=self.now,
                    imported_by=self.user,
                )
            )
        self.insert(ExternalReview, new, "external_reviews")
        return rated, {external.claim_id for external in new}

    # --- What saving would have done (the receivers) --------------------------------

    def refresh(self, new, stated, rated, speakers):
        refresh_search_documents(sorted(new | stated))
        # New claims' pages are new. The others' have changed: a new statement
        # shows on every page that shows the claim (topics, speakers, linked
        # claims) and on its actor's page; a rating elsewhere only on the
        # claim's own page (and its topics', which order claims by change).
        touch_claims_and_speakers(sorted(stated - new), self.now)
        touch_claims(sorted(rated - new - stated), self.now)
        touch_actors(sorted(speakers), self.now)
        # The change stream: new statements of published claims, new ratings elsewhere.
        record_claim_trees(sorted(new | stated | rated))
