"""The API's one request parser: JSON, nested at most MAX_JSON_DEPTH levels.

Python's json (and the serializers after it) recurse once per level, so a body
of `[[[…]]]` thousands deep would end in a RecursionError, a 500. The depth is
counted first, without recursion, and a deeper body is a 400 parse error.
Strings with a lone surrogate (`"\\ud800"`: valid JSON, but no text; no
database stores it and UTF-8 cannot write it back) are refused too, naming
where they are. The body's size is bounded before it is read by Django's
DATA_UPLOAD_MAX_MEMORY_SIZE (a 413, errors.py).
"""

import re

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.settings import api_settings
from rest_framework.utils import json

# Our deepest legitimate body (a ClaimReview @graph) is about six levels.
MAX_JSON_DEPTH = 32

# A JSON string (brackets inside one are text, not nesting), and a bracket.
STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
BRACKET = re.compile(r"[\[\]{}]")
# A lone surrogate can only come in as an escape (`"\\ud800"`); it is no text
# and cannot be stored or written back as UTF-8.
ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
SURROGATE = re.compile("[\ud800-\udfff]")


def too_deep(text, limit=MAX_JSON_DEPTH):
    """Whether `text` nests arrays and objects more than `limit` levels deep."""
    depth = 0
    for match in BRACKET.finditer(STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def lone_surrogate(data):
    """(where, character) of the first string or key in `data` with a lone
    surrogate in it, or None. Without recursion; `where` is like aliases[0].name."""
    stack = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if match := SURROGATE.search(value):
                return where, match.group()
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                place = f"{where}.{key}" if where else key
                if match := SURROGATE.search(key):
                    return SURROGATE.sub("\ufffd", place), match.group()
                stack.append((place, item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{index}]", item) for index, item in reversed(list(enumerate(value))))
    return None


def read_text(stream, parser_context):
    encoding = parsers.get_encoding(parser_context or {})
    try:
        return stream.read().decode(encoding)
    except UnicodeError as exc:
        raise ParseError(f"JSON parse error - {exc}") from exc


class JSONParser(parsers.JSONParser):
    strict = api_settings.STRICT_JSON
    too_deep_message = f"JSON parse error - JSON nested deeper than {MAX_JSON_DEPTH} levels."

    def parse(self, stream, media_type=None, parser_context=None):
        return self.parse_text(read_text(stream, parser_context))

    def parse_text(self, text):
        if too_deep(text):
            raise ParseError(self.too_deep_message)
        try:
            data = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except RecursionError as exc:
            raise ParseError(self.too_deep_message) from exc
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        found = lone_surrogate(data) if ESCAPED_SURROGATE.search(text) else None
        if found is not None:
            where, character = found
            raise ParseError(
                f"JSON parse error - a lone surrogate (U+{ord(character):04X}) is not text: "
                f"{where or 'the body'}."
            )
        return data


class NDJSONParser(JSONParser):
    """Newline-delimited JSON (one value a line, blank lines skipped) as a list,
    each line checked as a JSON body is; a bad line is a 400 naming it."""

    media_type = "application/x-ndjson"

    def parse(self, stream, media_type=None, parser_context=None):
        items = []
        for number, line in enumerate(read_text(stream, parser_context).splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append(self.parse_text(line))
            except ParseError as error:
                raise ParseError(f"Line {number}: {error.detail}") from error
        return items
