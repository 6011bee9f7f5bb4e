"""What a fetched page says about itself, read once per capture and for the
source form's prefill: title, site name, day of publication, language and
main text.

    facts = extract(fetched.body, fetched.content_type, fetched.final_url, fetched.headers)

The body is anyone's bytes, so this never raises: a page that breaks the
parser gives what was read before it broke, or an empty PageFacts. Only HTML
and XHTML are parsed (plain text gives its text; a PDF or an image gives
nothing). trafilatura reads the metadata (with htmldate for the date) and the
main text; the page's own <title>, og: and article: tags are the fallback,
and the language comes from what the page declares, never from a guess.
Huge pages are cut to MAX_ELEMENTS elements before trafilatura sees them: its
cost grows with the tree, and a hostile 10 MB page should cost a second or
two, not half a minute. A 100 KB news page takes some 15 to 30 ms.
"""

import codecs
import datetime as dt
import html
import logging
import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import trafilatura
from django.core.exceptions import ValidationError
from django.utils import timezone
from htmldate import find_date
from lxml import html as lxml_html

from claims.models import not_in_future
from claims.vocabularies import Language

try:  # the steps of trafilatura's extract_metadata (2.x), to take only those we need
    from trafilatura.metadata import (
        examine_meta,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )
except ImportError:  # a later trafilatura that moved them: _read_metadata makes the whole call
    examine_meta = None

logger = logging.getLogger(__name__)

TITLE_LIMIT = 500  # Source.title
NAME_LIMIT = 200  # Actor.name
TEXT_LIMIT = 200_000
# Past these, the rest of the page is dropped before extraction (an article
# page has a few thousand elements; 10,000 short paragraphs cost trafilatura
# about a second).
MAX_ELEMENTS = 10_000
MAX_TREE_TEXT = 5 * TEXT_LIMIT
HTML_TYPES = {"text/html", "application/xhtml+xml"}
# How an HTML body starts when the server does not say (WHATWG MIME sniffing).
HTML_STARTS = re.compile(
    rb"<(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[\s>]"
)
XML_DECLARATION = re.compile(rb"<\?xml[^>]*encoding\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# libxml2 refuses these in text, and PostgreSQL refuses NUL in a text column.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LANGUAGE_TAG = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9-_]*)?")
ISO_DAY = re.compile(r"\s*(\d{4}-\d{2}-\d{2})")
LANGUAGES = frozenset(Language.values)
NOT_TEXT = {"script", "style", "noscript", "template"}


@dataclass(frozen=True)
class PageFacts:
    title: str = ""  # at most TITLE_LIMIT characters
    publisher_name: str = ""  # the site's own name for itself (og:site_name and the like)
    published_on: dt.date | None = None
    language: str = ""  # a code of claims.vocabularies.Language, or ""
    text: str = ""  # the main text, at most TEXT_LIMIT characters


def extract(body, content_type, url="", headers=()):
    """The PageFacts of a response body. Never raises."""
    facts = PageFacts()
    try:
        headers = list(headers or ())
        kind = _kind(body, content_type)
        if kind == "text":  # no more bytes decoded than TEXT_LIMIT characters can take
            text = _decode(body[: 4 * TEXT_LIMIT], content_type, headers)
            return replace(facts, text=_clean(text, TEXT_LIMIT, flat=False))
        if kind != "html":
            return facts
        markup = _decode(body, content_type, headers)
        tree = _parse(markup)
        if tree is None:
            return facts
        facts = _declared(tree, headers)
        _trim(tree, len(markup))
        facts = _with_metadata(facts, tree, url)
        facts = _with_text(facts, tree, url)
    except Exception:  # hostile input must not stop a capture: keep what was read
        logger.warning("page facts: extraction stopped early for %s", url or "(no URL)", exc_info=True)
    return facts


def _kind(body, content_type):
    media_type = (content_type or "").split(";")[0].strip().lower()
    start = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n\f").lower()
    if start.startswith(b"%pdf-"):  # a PDF served as text/html is still a PDF
        return "other"
    if media_type in HTML_TYPES:
        return "html"
    if media_type == "text/plain":
        return "text"
    if not media_type and HTML_STARTS.match(start):
        return "html"
    return "other"


def _decode(body, content_type, headers):
    """The body as text: the byte order mark, then the charset the server sent,
    then the page's own declaration; UTF-8 (with replacement) failing those."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(encoding, errors="replace").lstrip("\ufeff")
    sent = [_header_charset(content_type)]
    sent += [_header_charset(value) for name, value in headers if name.lower() == "content-type"]
    head = body[:4096]
    in_page = [
        match.group(1).decode("ascii", "replace") for match in (XML_DECLARATION.search(head),) if match
    ]
    in_page += [match.group(1).decode("ascii", "replace") for match in (META_CHARSET.search(head),) if match]
    candidates = [(name, False) for name in sent] + [(name, True) for name in in_page]
    for name, declared_in_page in candidates:
        encoding = name and _text_encoding(name, declared_in_page)
        if encoding:
            return body.decode(encoding, errors="replace")
    return body.decode("utf-8", errors="replace")


def _header_charset(value):
    match = HEADER_CHARSET.search(value or "")
    return match.group(1) if match else ""


def _text_encoding(name, in_page):
    """Python's codec for a declared charset, or None for one it lacks or that
    is no text encoding ("zlib", "rot13")."""
    try:
        info = codecs.lookup(name.strip().lower())
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    # Browsers read Latin-1 and ASCII as windows-1252, and a page whose charset
    # could be read as ASCII from inside it is not UTF-16 (WHATWG Encoding).
    if info.name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if in_page and info.name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return info.name


def _parse(text):
    text = CONTROL_CHARACTERS.sub("", text)
    if not text.strip():
        return None
    # Bytes with the encoding given: lxml refuses a str with an XML declaration,
    # and the charset named inside the page was already applied.
    return lxml_html.document_fromstring(
        text.encode("utf-8", errors="replace"), parser=lxml_html.HTMLParser(encoding="utf-8")
    )


def _declared(tree, headers):
    """What the page declares in its own tags: the fallbacks for trafilatura's reading."""
    return PageFacts(
        title=_clean(_meta(tree, "og:title") or tree.findtext("head/title") or "", TITLE_LIMIT),
        publisher_name=_clean(_meta(tree, "og:site_name"), NAME_LIMIT),
        published_on=_day(_meta(tree, "article:published_time")),
        language=_language(tree, headers),
    )


def _meta(tree, name):
    for value in tree.xpath("//meta[@property=$name or @name=$name]/@content", name=name):
        if value.strip():
            return value
    return ""


def _language(tree, headers):
    """The first language the page declares, if it is one of ours. A declared
    code we do not know gives "": a less careful declaration further down
    (a theme's og:locale) is no better guess."""
    declared = [
        tree.get("lang"),
        tree.get("xml:lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        _meta(tree, "og:locale"),
        *(meta.get("content") for meta in tree.iter("meta") if _is_content_language(meta)),
        *(value for name, value in headers if name.lower() == "content-language"),
    ]
    for value in declared:
        match = LANGUAGE_TAG.fullmatch((value or "").split(",")[0].strip().lower())
        if match:
            return match.group(1) if match.group(1) in LANGUAGES else ""
    return ""


def _is_content_language(meta):
    return (meta.get("http-equiv") or "").strip().lower() == "content-language"


def _day(value):
    """The day of an ISO 8601 date or moment as written (the publisher's own
    day), or None if there is none or it is in the future."""
    match = ISO_DAY.match(value or "")
    if not match:
        return None
    try:
        day = dt.date.fromisoformat(match.group(1))
        not_in_future(day)
    except (ValueError, ValidationError):
        return None
    return day


def _clean(value, limit, *, flat=True):
    """`value` tidied and cut to `limit`; "" if it is mostly bytes that did
    not decode (garbage, or a charset the page did not declare)."""
    value = CONTROL_CHARACTERS.sub("", value or "")
    value = " ".join(value.split()) if flat else value.strip()
    if value.count("\ufffd") * 20 > len(value):
        return ""
    return value[:limit].rstrip()


def _trim(tree, size):
    """Drop everything after MAX_ELEMENTS elements or MAX_TREE_TEXT characters
    of text, in document order; cut any one text over TEXT_LIMIT."""
    if size <= MAX_TREE_TEXT and tree.xpath("count(//* | //comment())") <= MAX_ELEMENTS:
        return  # the usual page, counted in C: walking it in Python costs more than reading it
    text = 0
    for count, element in enumerate(tree.iter(), start=1):
        if count > MAX_ELEMENTS or text > MAX_TREE_TEXT:
            _cut_from(element)
            return
        for attribute in ("text", "tail"):
            value = getattr(element, attribute) or ""
            if len(value) > TEXT_LIMIT:
                value = value[:TEXT_LIMIT]
                setattr(element, attribute, value)
            if attribute == "tail" or element.tag not in NOT_TEXT:
                text += len(value)


def _cut_from(element):
    """Remove `element` and all that follows it in the document."""
    node = element
    while (parent := node.getparent()) is not None:
        # A slice deleted in one go: no Python object made per removed element.
        index = parent.index(node)
        del parent[index if node is element else index + 1 :]
        node = parent


def _with_metadata(facts, tree, url):
    """`facts` with trafilatura's title, site name and date where it finds
    them. Read apart from the text, so that a failure in one keeps the other."""
    dates = {
        "original_date": True,  # the first publication, not the last edit
        "extensive_search": False,  # no guessing from dates in the running text
        # Past its limit (today by default) htmldate moves a date to the 1st
        # of its month, a day the page never gave: so a limit a year ahead,
        # and _day drops whatever is later than the not_in_future rule allows.
        "max_date": (timezone.now() + dt.timedelta(days=366)).date().isoformat(),
    }
    try:
        title, site_name, day, page_url = _read_metadata(tree, url or None, dates)
        facts = replace(
            facts,
            title=_clean(html.unescape(title or ""), TITLE_LIMIT) or facts.title,
            publisher_name=_site_name(site_name, url, page_url) or facts.publisher_name,
            published_on=_day(day) or facts.published_on,
        )
    except Exception:  # a bug in the metadata reading, on a page it did not expect
        logger.warning("page facts: trafilatura metadata failed for %s", url or "(no URL)", exc_info=True)
    return facts


def _read_metadata(tree, url, dates):
    """(title, site name, date, URL) as trafilatura's extract_metadata reads
    them, in its order and with its own steps, less its searches for authors,
    categories, tags and licence: we use none of them, and on a news page they
    are nearly all of its time. A trafilatura that has moved those steps gets
    the whole public call."""
    if examine_meta is None:
        found = trafilatura.extract_metadata(tree, url, dates)
        return found.title, found.sitename, found.date, found.url
    found = examine_meta(tree)
    try:
        found = extract_meta_json(tree, found)
    except Exception:  # trafilatura guards its JSON-LD reading the same way
        logger.debug("page facts: JSON-LD not read for %s", url, exc_info=True)
    page_url = found.url or extract_url(tree, url)
    return (
        found.title or extract_title(tree),
        found.sitename or extract_sitename(tree),
        find_date(tree, url=page_url, **dates),
        page_url,
    )


def _with_text(facts, tree, url):
    """`facts` with the main text: what trafilatura keeps once navigation,
    comments and boilerplate are gone (it works on a copy of the tree)."""
    # fast: no second opinion from readability and jusText, which on a page of
    # many short blocks (a listing, a live blog) costs more than the first one.
    document = trafilatura.bare_extraction(tree, url=url or None, include_comments=False, fast=True)
    if document is not None and document.text:
        facts = replace(facts, text=_clean(document.text, TEXT_LIMIT, flat=False))
    return facts


def _site_name(name, url, page_url):
    """The site's name for itself; not a URL (article:publisher is often the
    publisher's Facebook page) nor the host name (a page title "Report -
    example.org" gives one)."""
    name = _clean(html.unescape(name or ""), NAME_LIMIT).lstrip("@")  # twitter:site is "@handle"
    if "://" in name or name.lower().startswith("www.") or name.lower() in {_host(url), _host(page_url)}:
        return ""
    return name


def _host(url):
    try:
        netloc = urlsplit(url or "").netloc.lower()
    except ValueError:
        return ""
    return re.sub(r"^(?:www|w[0-9]+)\.", "", netloc)
