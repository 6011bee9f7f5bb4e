"""Checking a claim set and resolving its references, before anything is written.

Every lookup is one query for the whole set, whatever its size: the actors
named by slug (statements' actors and sources' publishers), the sources named
by id or URL, the claims linked to, and on a replace the claim's stored rows.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from claims.models import Actor, Assessment, Claim, ClaimLink, Source, Statement, StatementSource
from claims.services import publication_refusal
from claims.slugs import unique_slugs
from claims.urls_normalise import normalise_url

STATEMENT_FIELDS = ("stance", "summary", "quote", "quote_language", "translation", "stated_on")
ASSESSMENT_FIELDS = (
    "status",
    "rationale",
    "assessed_at",
    "is_published",
    "internal_notes",
    "original_rating",
)
LINK_FIELDS = ("kind", "note")
ACTOR_FIELDS = ("name", "kind", "role", "country", "wikidata_id", "description")
SOURCE_FIELDS = ("title", "kind", "language", "published_on", "archive_url", "accessed_on")


class ClaimSetInvalid(Exception):
    """The set cannot be stored: `errors` maps each failing item's path to its messages."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


@dataclass
class RowPlan:
    """One row of the set: a new row (no pk yet) or a stored one, with its changes."""

    path: str
    row: object
    new: bool
    changed: bool = False
    refs: dict = field(default_factory=dict)  # attribute -> object whose pk it takes once written
    # A statement's sources [(source, how)] or an assessment's evidence [source];
    # None: leave a stored row's as they are.
    children: list | None = None


@dataclass
class ClaimSetPlan:
    user: object
    new_actors: list = field(default_factory=list)
    new_sources: list = field(default_factory=list)
    # [(new source, its publisher)]: a list, as a row without a pk is no dict key
    source_refs: list = field(default_factory=list)
    statements: list | None = None  # [RowPlan]; None: the list was not given
    assessments: list | None = None
    links: list | None = None
    deleted: list = field(default_factory=list)  # stored rows the set leaves out

    def counts(self):
        new = {
            "actors": len(self.new_actors),
            "sources": len(self.new_sources),
            "statements": sum(p.new for p in self.statements or []),
            "assessments": sum(p.new for p in self.assessments or []),
            "links": sum(p.new for p in self.links or []),
        }
        return new


class Planner:
    def __init__(self, rows, user, claim, slug):
        self.rows = rows
        self.user = user
        self.claim = claim if claim is not None and claim.pk else None
        self.slug = slug
        self.errors = {}
        self.plan = ClaimSetPlan(user=user)

    def refuse(self, path, message):
        self.errors.setdefault(path, []).append(message)

    def need(self, permission, path, message):
        if self.user is not None and not self.user.has_perm(f"claims.{permission}"):
            self.refuse(path, message)
            return False
        return True

    # --- References, in bulk --------------------------------------------------

    def source_refs(self):
        """(path, ref) of every source the set names, statements' and evidence."""
        for i, statement in enumerate(self.rows.get("statements") or []):
            for j, ref in enumerate(statement.get("sources") or []):
                yield f"statements[{i}].sources[{j}]", ref
        for i, assessment in enumerate(self.rows.get("assessments") or []):
            for j, ref in enumerate(assessment.get("evidence") or []):
                yield f"assessments[{i}].evidence[{j}]", ref

    def load_actors(self):
        slugs = set()
        for statement in self.rows.get("statements") or []:
            actor = statement["actor"]
            slugs.add(actor if isinstance(actor, str) else actor.get("slug") or "")
        for _, ref in self.source_refs():
            if ref.get("publisher"):
                slugs.add(ref["publisher"])
        slugs.discard("")
        self.actors = {a.slug: a for a in Actor.objects.filter(slug__in=slugs).only("pk", "slug", "name")}
        self.inline = {}  # key -> new Actor

    def actor_for(self, path, value):
        """The statement's actor: a stored one by slug, or a new one (once per set)."""
        if isinstance(value, str):
            actor = self.actors.get(value)
            if actor is None:
                self.refuse(path, f"No actor has the slug “{value}”.")
            return actor
        slug = value.get("slug") or ""
        if slug and slug in self.actors:
            self.refuse(f"{path}.slug", f'An actor has this slug already: give "actor": "{slug}" to use it.')
            return None
        key = ("slug", slug) if slug else ("name", value["name"].casefold(), value.get("kind", ""))
        if key not in self.inline:
            if not self.need("add_actor", path, "Your role may not add actors."):
                return None
            actor = Actor(slug=slug, **{name: value[name] for name in ACTOR_FIELDS if name in value})
            self.inline[key] = actor
            self.plan.new_actors.append(actor)
        return self.inline[key]

    def publisher_for(self, path, slug):
        if not slug:
            return None
        actor = self.actors.get(slug) or self.inline.get(("slug", slug))
        if actor is None:
            self.refuse(path, f"No actor has the slug “{slug}”.")
        return actor

    def load_sources(self):
        ids, urls = set(), set()
        for _, ref in self.source_refs():
            if "id" in ref:
                ids.add(ref["id"])
            elif ref.get("url"):
                urls.add(normalise_url(ref["url"]))
        stored = Source.objects.filter(Q(pk__in=ids) | Q(url__in=urls)) if ids or urls else []
        self.sources_by_id = {s.pk: s for s in stored}
        self.sources_by_url = {s.url: s for s in self.sources_by_id.values() if s.url}

    def source_for(self, path, ref):
        if "id" in ref:
            source = self.sources_by_id.get(ref["id"])
            if source is None:
                self.refuse(f"{path}.id", f"No source has the id {ref['id']}.")
            return source
        url = normalise_url(ref["url"])
        source = self.sources_by_url.get(url)
        if source is not None:
            return source  # stored already (or new in this set): reused as it is
        if not ref.get("title"):
            self.refuse(f"{path}.title", "Give a title: no source with this URL is stored yet.")
            return None
        if not self.need("add_source", path, "Your role may not add sources."):
            return None
        source = Source(url=url, **{name: ref[name] for name in SOURCE_FIELDS if name in ref})
        publisher = self.publisher_for(f"{path}.publisher", ref.get("publisher"))
        if publisher is not None:
            self.plan.source_refs.append((source, publisher))
        self.sources_by_url[url] = source
        self.plan.new_sources.append(source)
        return source

    def sources_of(self, path, refs):
        """[(source, ref)] of a list of references, each source once."""
        found, seen = [], {}
        for j, ref in enumerate(refs):
            source = self.source_for(f"{path}[{j}]", ref)
            if source is None:
                continue
            if id(source) in seen:
                self.refuse(
                    f"{path}[{j}]", f"This source is given twice (as {path}[{seen[id(source)]}] too)."
                )
                continue
            seen[id(source)] = j
            found.append((source, ref))
        return found

    # --- The rows ---------------------------------------------------------------

    def stored(self, path, rows, stored_rows, noun):
        """The stored row each item names by id (None for a new row)."""
        out = []
        for i, item in enumerate(rows):
            if "id" not in item:
                out.append(None)
                continue
            row = stored_rows.get(item["id"])
            if row is None:
                self.refuse(f"{path}[{i}].id", f"This claim has no {noun} with the id {item['id']}.")
            out.append(row)
        return out

    def leave_out(self, stored_rows, kept, permission, path, noun):
        for row in stored_rows.values():
            message = f"Your role may not delete {noun}s (#{row.pk} is left out)."
            if row.pk not in kept and self.need(permission, path, message):
                self.plan.deleted.append(row)

    def statements(self):
        rows = self.rows["statements"]
        stored_rows = {}
        if self.claim is not None:
            statement_sources = StatementSource.objects.select_related("source")
            stored_rows = {
                s.pk: s
                for s in Statement.objects.filter(claim=self.claim).prefetch_related(
                    Prefetch("statement_sources", statement_sources)
                )
            }
        plans, seen = [], {}
        for i, (item, stored) in enumerate(
            zip(rows, self.stored("statements", rows, stored_rows, "statement"), strict=True)
        ):
            path = f"statements[{i}]"
            if "id" in item and stored is None:
                continue
            actor = self.actor_for(f"{path}.actor", item["actor"])
            sources = self.sources_of(f"{path}.sources", item.get("sources") or [])
            if actor is None:
                continue
            key = (id(actor), item["stance"], item["stated_on"])
            if key in seen:
                self.refuse(
                    path,
                    f"The same actor, stance and day as statements[{seen[key]}]: "
                    "one statement a day per actor and stance.",
                )
                continue
            seen[key] = i
            values = {name: item[name] for name in STATEMENT_FIELDS if name in item}
            if stored is None:
                if not self.need("add_statement", path, "Your role may not add statements."):
                    continue
                plan = RowPlan(path, Statement(**values), new=True, refs={"claim": None, "actor": actor})
            else:
                changed = any(getattr(stored, name) != value for name, value in values.items())
                changed |= stored.actor_id != actor.pk
                if changed and not self.need(
                    "change_statement", path, "Your role may not change statements."
                ):
                    continue
                for name, value in values.items():
                    setattr(stored, name, value)
                plan = RowPlan(path, stored, new=False, changed=changed, refs={"actor": actor})
            if "sources" in item or stored is None:
                plan.children = [(source, ref.get("how", "")) for source, ref in sources]
            plans.append(plan)
        self.leave_out(
            stored_rows, {p.row.pk for p in plans if not p.new}, "delete_statement", "statements", "statement"
        )
        self.plan.statements = plans

    def assessments(self):
        rows = self.rows["assessments"]
        stored_rows = {}
        if self.claim is not None:
            stored_rows = {
                a.pk: a
                for a in Assessment.objects.filter(claim=self.claim).prefetch_related(
                    Prefetch("evidence", Source.objects.in_evidence_order())
                )
            }
        plans = []
        for i, (item, stored) in enumerate(
            zip(rows, self.stored("assessments", rows, stored_rows, "assessment"), strict=True)
        ):
            path = f"assessments[{i}]"
            if "id" in item and stored is None:
                continue
            evidence = [
                source for source, _ in self.sources_of(f"{path}.evidence", item.get("evidence") or [])
            ]
            values = {name: item[name] for name in ASSESSMENT_FIELDS if name in item}
            candidate = stored if stored is not None else Assessment(claim=self.claim)
            if refusal := publication_refusal(candidate, self.user, values):
                self.refuse(f"{path}.is_published", refusal)
                continue
            if stored is None:
                if not self.need("add_assessment", path, "Only reviewers can add assessments."):
                    continue
                assessment = Assessment(author=self.user, **values)
                plans.append(RowPlan(path, assessment, new=True, refs={"claim": None}, children=evidence))
                continue
            changed = any(getattr(stored, name) != value for name, value in values.items())
            if "evidence" in item:
                # The order counts: evidence is read back in the order given.
                wanted = list({s.pk: s for s in evidence})
                changed |= [s.pk for s in stored.evidence.all()] != wanted
            if changed and not self.need("change_assessment", path, "Only reviewers can change assessments."):
                continue
            for name, value in values.items():
                setattr(stored, name, value)
            plan = RowPlan(path, stored, new=False, changed=changed)
            if "evidence" in item:
                plan.children = evidence
            plans.append(plan)
        kept = {p.row.pk for p in plans if not p.new}
        for row in stored_rows.values():
            if row.pk not in kept and (
                refusal := publication_refusal(row, self.user, {"is_published": False})
            ):
                self.refuse("assessments", f"{refusal} (#{row.pk} is left out)")
        self.leave_out(stored_rows, kept, "delete_assessment", "assessments", "assessment")
        self.plan.assessments = plans

    def links(self):
        rows = self.rows["links"]
        stored_rows = {}
        if self.claim is not None:
            stored_rows = {link.pk: link for link in ClaimLink.objects.filter(from_claim=self.claim)}
        slugs = {item["claim"] for item in rows}
        claims = {c.slug: c for c in Claim.objects.filter(slug__in=slugs).only("pk", "slug")}
        plans, seen = [], {}
        for i, (item, stored) in enumerate(
            zip(rows, self.stored("links", rows, stored_rows, "link"), strict=True)
        ):
            path = f"links[{i}]"
            if "id" in item and stored is None:
                continue
            if item["claim"] == self.slug:
                self.refuse(f"{path}.claim", "A claim cannot be linked to itself.")
                continue
            other = claims.get(item["claim"])
            if other is None:
                self.refuse(f"{path}.claim", f"No claim has the slug “{item['claim']}”.")
                continue
            key = (other.pk, item["kind"])
            if key in seen:
                self.refuse(path, f"The same claim and kind as links[{seen[key]}].")
                continue
            seen[key] = i
            values = {name: item[name] for name in LINK_FIELDS if name in item}
            if stored is None:
                if self.need("add_claimlink", path, "Your role may not link claims."):
                    plans.append(
                        RowPlan(
                            path, ClaimLink(**values), new=True, refs={"from_claim": None, "to_claim": other}
                        )
                    )
                continue
            changed = stored.to_claim_id != other.pk or any(
                getattr(stored, n) != v for n, v in values.items()
            )
            if changed and not self.need("change_claimlink", path, "Your role may not change links."):
                continue
            for name, value in values.items():
                setattr(stored, name, value)
            plans.append(RowPlan(path, stored, new=False, changed=changed, refs={"to_claim": other}))
        self.leave_out(
            stored_rows, {p.row.pk for p in plans if not p.new}, "delete_claimlink", "links", "link"
        )
        self.plan.links = plans

    def run(self):
        self.load_actors()
        self.load_sources()
        if "statements" in self.rows:
            self.statements()
        if "assessments" in self.rows:
            self.assessments()
        if "links" in self.rows:
            self.links()
        if self.errors:
            raise ClaimSetInvalid(self.errors)
        actors = self.plan.new_actors
        slugs = unique_slugs(
            Actor, [a.name for a in actors], fallback="actor", wanted=[a.slug for a in actors]
        )
        for actor, slug in zip(actors, slugs, strict=True):
            actor.slug = slug
        return self.plan


def plan_claim_set(rows, user, claim=None, slug=""):
    """Check `rows` ({"statements": [...], "assessments": [...], "links": [...]},
    each list optional) for `claim` (None or unsaved: a new claim, whose slug is
    `slug`); the plan to write, or ClaimSetInvalid naming every failing item."""
    return Planner(rows, user, claim, slug or getattr(claim, "slug", "")).run()
