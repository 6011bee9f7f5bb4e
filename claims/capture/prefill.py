"""Suggested values for a source from its URL, for the form an editor is
filling in: the page is fetched through the guarded fetcher (the URL is
anyone's input) and read with extract.

    result = prefill("https://www.reuters.com/...")
    result.values   # {"title": ..., "publisher": <Actor>, "published_on": ..., "language": ...}
    result.reason   # "" or why nothing could be read: "timed out after 10 s"

Only what was found is suggested, and the publisher only when the page's site
name is the name or an alias of an actor we already have: a prefill never
creates one. A fetch that fails or a page that answers with an error gives
no values and a plain reason; prefill never raises for what the URL or the
page does.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Upper

from claims.models import Actor, ActorAlias
from claims.vocabularies import ActorKind

from .extract import extract
from .fetcher import FetchError, fetch


@dataclass(frozen=True)
class Prefill:
    values: dict  # Source field name -> suggested value
    reason: str = ""  # why nothing could be read; "" when it worked


def prefill(url, *, timeout=None):
    """Fetch `url` (within CAPTURE_PREFILL_TIMEOUT seconds, 10 unless set) and
    suggest Source values from it. Never raises for the URL or the page."""
    if timeout is None:
        timeout = getattr(settings, "CAPTURE_PREFILL_TIMEOUT", 10)
    try:
        fetched = fetch(url, timeout=timeout)
    except FetchError as error:
        return Prefill(values={}, reason=error.reason)
    except ValueError:  # the URL does not even split ("http://[::1", a host label over 63)
        return Prefill(values={}, reason="refused: the address is not a valid URL")
    if not _succeeded(fetched):
        return Prefill(values={}, reason=f"the page answered {fetched.status}")
    values = suggested_values(fetched)
    if not values:
        kind = fetched.content_type or "no content type"
        return Prefill(values={}, reason=f"found no title, date or language in the page ({kind})")
    return Prefill(values=values)


def suggested_values(fetched):
    """Source field name -> value read from a Fetched: "title", "publisher"
    (an Actor), "published_on", "language", each only where found. Nothing
    from an error page (a 404's title is not the article's)."""
    if not _succeeded(fetched):
        return {}
    facts = extract(fetched.body, fetched.content_type, fetched.final_url, fetched.headers)
    values = {
        "title": facts.title,
        "publisher": find_publisher(facts.publisher_name),
        "published_on": facts.published_on,
        "language": facts.language,
    }
    return {name: value for name, value in values.items() if value}


def find_publisher(name):
    """The actor whose name or alias is `name`, case aside; None if none is.
    A name before an alias, a media outlet before another kind, then the oldest."""
    name = " ".join((name or "").split())
    if not name:
        return None
    # Exact spellings and the upper-cased form, both indexed; SQLite's UPPER
    # knows ASCII only, hence the usual spellings too. Then compared here.
    spellings = {name, name.upper(), name.lower(), name.title(), name.capitalize()}
    named = Q(name__in=spellings) | Q(upper_name=name.upper())
    wanted = name.casefold()
    actors = [
        actor
        for actor in Actor.objects.annotate(upper_name=Upper("name")).filter(named)
        if actor.name.casefold() == wanted
    ]
    if not actors:
        aliases = ActorAlias.objects.annotate(upper_name=Upper("name")).filter(named).select_related("actor")
        actors = [alias.actor for alias in aliases if alias.name.casefold() == wanted]
    if not actors:
        return None
    return min(actors, key=lambda actor: (actor.kind != ActorKind.MEDIA_OUTLET, actor.pk))


def _succeeded(fetched):
    return 200 <= fetched.status < 300
