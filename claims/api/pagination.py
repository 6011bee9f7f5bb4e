"""Cursor pagination for every list: stable while rows are added, page size capped.

A view says which orderings it offers (`ordering_fields`: public name to
queryset expression or annotation) and its default (`default_ordering`);
`?ordering=-first_claimed_on` picks one. The primary key breaks ties.
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination


class CursorPagination(pagination.CursorPagination):
    page_size = 25
    page_size_query_param = "page_size"
    ordering_param = "ordering"

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        """`page_size` as asked, or a 400 saying the range: a page quietly
        shorter (or longer) than asked for misleads a client that counts."""
        asked = request.query_params.get(self.page_size_query_param)
        if asked is None:
            return self.page_size
        if not (asked.isascii() and asked.isdigit()) or not 1 <= int(asked) <= self.max_page_size:
            allowed = f"Give a whole number from 1 to {self.max_page_size} (the default is {self.page_size})."
            raise exceptions.ValidationError({self.page_size_query_param: [allowed]})
        return int(asked)

    def get_ordering(self, request, queryset, view):
        fields = getattr(view, "ordering_fields", {"updated_at": "updated_at"})
        default = getattr(view, "default_ordering", "-updated_at")
        asked = request.query_params.get(self.ordering_param, default) or default
        name = asked.removeprefix("-")
        if name not in fields:
            choices = ", ".join(f"{name}, -{name}" for name in fields)
            raise exceptions.ValidationError({self.ordering_param: [f"Order by one of: {choices}."]})
        sign = "-" if asked.startswith("-") else ""
        return (f"{sign}{fields[name]}", f"{sign}pk")

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError, OverflowError) as error:
            # A cursor that decodes but holds a position of the wrong type.
            raise exceptions.NotFound(self.invalid_cursor_message) from error

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Rows per page (default {self.page_size}, at most {self.max_page_size})."
                )
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        fields = getattr(view, "ordering_fields", {"updated_at": "updated_at"})
        parameters.append(
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort order; a leading minus sorts descending.",
                "schema": {
                    "type": "string",
                    "enum": [f"{sign}{name}" for name in fields for sign in ("", "-")],
                    "default": getattr(view, "default_ordering", "-updated_at"),
                },
            }
        )
        return parameters
