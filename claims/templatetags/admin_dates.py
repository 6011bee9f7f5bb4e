"""The admin's date drill-down without scanning the list.

Django's `date_hierarchy` asks the database for the distinct years (months,
days) of every row the list matches: a scan of a million rows on every load
of the claim list. This one takes the years from the oldest and newest dates
(two index look-ups) and the months and days from the calendar. A link may
lead to an empty list; it never costs a scan.
"""

import calendar
import datetime

from django import template
from django.contrib.admin.utils import get_fields_from_path
from django.db.models import Max, Min
from django.utils import formats
from django.utils.text import capfirst

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def bounded_date_hierarchy(cl):
    field_name = cl.date_hierarchy
    fields = {part: f"{field_name}__{part}" for part in ("year", "month", "day")}
    year, month, day = (cl.params.get(fields[part]) for part in ("year", "month", "day"))

    def link(filters):
        return cl.get_query_string(filters, [f"{field_name}__"])

    result = {
        "show": True,
        "field_name": get_fields_from_path(cl.model, field_name)[-1].verbose_name,
    }
    try:
        year, month, day = (int(value) if value else None for value in (year, month, day))
        if year and month and day:
            chosen = datetime.date(year, month, day)
            return result | {
                "back": {
                    "link": link({fields["year"]: year, fields["month"]: month}),
                    "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT")),
                },
                "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}],
            }
        if year and month:
            days = calendar.monthrange(year, month)[1]
            return result | {
                "back": {"link": link({fields["year"]: year}), "title": str(year)},
                "choices": [
                    {
                        "link": link({fields["year"]: year, fields["month"]: month, fields["day"]: number}),
                        "title": capfirst(
                            formats.date_format(datetime.date(year, month, number), "MONTH_DAY_FORMAT")
                        ),
                    }
                    for number in range(1, days + 1)
                ],
            }
        if year:
            return result | {
                "back": {"link": link({}), "title": "All dates"},
                "choices": [
                    {
                        "link": link({fields["year"]: year, fields["month"]: number}),
                        "title": capfirst(
                            formats.date_format(datetime.date(year, number, 1), "YEAR_MONTH_FORMAT")
                        ),
                    }
                    for number in range(1, 13)
                ],
            }
    except (ValueError, OverflowError):
        return {"show": False}
    bounds = cl.root_queryset.order_by().aggregate(first=Min(field_name), last=Max(field_name))
    if not bounds["first"]:
        return {"show": False}
    return result | {
        "back": None,
        "choices": [
            {"link": link({fields["year"]: str(number)}), "title": str(number)}
            for number in range(bounds["first"].year, bounds["last"].year + 1)
        ],
    }
