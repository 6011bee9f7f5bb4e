"""The evidence bundle of a published claim: a zip a third party can check
offline.

    claim.json          the published record: statements, sources, assessments
    captures/*.warc.gz  every capture of every source the record cites
    manifest.json       each file's SHA-256 and size, and each capture's body SHA-256
    SHA256SUMS          the same hashes, for `sha256sum -c SHA256SUMS`

Only what a reader may see goes in: published claims, their statements,
published assessments and the sources those cite (public.py).
"""

import hashlib
import json
import tempfile
import zipfile

from django.conf import settings
from django.utils import timezone

from claims.models import Capture

from .public import sources_cited_by

MANIFEST_FORMAT = "counterclaim-evidence-bundle/1"


def _capture_entry(capture, path):
    return {
        "id": capture.pk,
        "url": capture.requested_url,
        "final_url": capture.final_url,
        "http_status": capture.http_status,
        "content_type": capture.content_type,
        "fetched_at": capture.fetched_at.isoformat(),
        "sha256": capture.sha256,
        "size": capture.size,
        "warc": path,
        "warc_sha256": capture.warc_sha256,
    }


def claim_record(claim, captures_by_source):
    """The published record of `claim`, as JSON-ready data."""

    def source_entry(source):
        return {
            "id": source.pk,
            "url": source.url,
            "title": source.title,
            "publisher": source.publisher.name if source.publisher else None,
            "published_on": source.published_on.isoformat() if source.published_on else None,
            "archive_url": source.archive_url or None,
            "link_state": source.link_state,
            "gone_since": source.gone_since.isoformat() if source.gone_since else None,
            "captures": [capture.pk for capture in captures_by_source.get(source.pk, [])],
        }

    return {
        "url": settings.SITE_URL + claim.get_absolute_url(),
        "slug": claim.slug,
        "text": claim.text,
        "status": claim.status,
        "first_claimed_on": claim.first_claimed_on.isoformat() if claim.first_claimed_on else None,
        "statements": [
            {
                "actor": statement.actor.name,
                "stance": statement.stance,
                "stated_on": statement.stated_on.isoformat(),
                "quote": statement.quote,
                "quote_language": statement.quote_language,
                "translation": statement.translation,
                "summary": statement.summary,
                "sources": [
                    {"how": link.how, **source_entry(link.source)}
                    for link in statement.statement_sources.all()
                ],
            }
            for statement in claim.statements.all()
        ],
        "assessments": [
            {
                "status": assessment.status,
                "assessed_at": assessment.assessed_at.isoformat(),
                "rationale": assessment.rationale,
                "evidence": [source_entry(source) for source in assessment.evidence.all()],
            }
            for assessment in claim.published_assessments
        ],
    }


def build_bundle(claim):
    """A temporary file holding the zip (spooled to disk past 10 MB: WARCs
    can be large); the caller streams and closes it."""
    captures = list(
        Capture.objects.captured()
        .filter(source__in=sources_cited_by(claim))
        .exclude(warc="")
        .defer("text")
        .order_by("source_id", "requested_at", "pk")
    )
    captures_by_source = {}
    for capture in captures:
        captures_by_source.setdefault(capture.source_id, []).append(capture)

    files = []  # (path, sha256, size)
    entries = []
    out = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 (the response closes it)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for capture in captures:
            path = f"captures/capture-{capture.pk}.warc.gz"
            digest, size = hashlib.sha256(), 0
            with capture.warc.open("rb") as stored, bundle.open(path, "w") as packed:
                while chunk := stored.read(1024 * 1024):
                    digest.update(chunk)
                    size += len(chunk)
                    packed.write(chunk)
            files.append((path, digest.hexdigest(), size))
            entries.append(_capture_entry(capture, path))

        record = json.dumps(claim_record(claim, captures_by_source), indent=2, ensure_ascii=False).encode()
        bundle.writestr("claim.json", record)
        files.insert(0, ("claim.json", hashlib.sha256(record).hexdigest(), len(record)))

        manifest = {
            "format": MANIFEST_FORMAT,
            "claim": settings.SITE_URL + claim.get_absolute_url(),
            "generated_at": timezone.now().isoformat(),
            "files": [{"path": path, "sha256": sha, "size": size} for path, sha, size in files],
            "captures": entries,
        }
        bundle.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        bundle.writestr("SHA256SUMS", "".join(f"{sha}  {path}\n" for path, sha, _ in files))
    out.seek(0)
    return out
