"""Paging that never counts the whole table.

A page fetches one row more than it shows to know whether there is a next
page. Page numbers past MAX_PAGE are refused with a message (deep OFFSETs are
slow on a large table, and a reader that far down should narrow the list)."""

from dataclasses import dataclass, field

PER_PAGE = 25
MAX_PAGE = 200


@dataclass
class Window:
    items: list
    number: int
    has_next: bool
    messages: list = field(default_factory=list)

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def next_number(self):
        return self.number + 1

    @property
    def previous_number(self):
        return self.number - 1

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous


def parse_page(raw):
    """(page number, message or None) for a ?page= value; a bad one means page 1."""
    if raw in (None, ""):
        return 1, None
    raw = str(raw).strip()
    if not raw.isdigit() or int(raw) < 1:
        shown = raw if len(raw) <= 20 else raw[:19] + "…"
        return 1, f"Page: “{shown}” is not a page number, so this is page 1."
    number = int(raw)
    if number > MAX_PAGE:
        return 1, (
            f"Page: we show at most {MAX_PAGE} pages; narrow the list with a search or a filter. "
            "This is page 1."
        )
    return number, None


def rows_needed(raw_page, per_page=PER_PAGE):
    """How many rows of a list `window` reads for a ?page= value (the page and
    the row after it): a search ranks no more than that (claims.search)."""
    number, _ = parse_page(raw_page)
    return number * per_page + 1


def window(queryset, raw_page, per_page=PER_PAGE):
    number, message = parse_page(raw_page)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    result = Window(items=rows[:per_page], number=number, has_next=len(rows) > per_page)
    if message:
        result.messages.append(message)
    if number > 1 and not rows:
        result.messages.append(f"Page: there is no page {number} of this list.")
    return result
