"""Keyset (cursor) pagination that never skips nor repeats a row.

DRF's CursorPagination keys pages on the first ordering field plus an offset,
which repeats or skips rows when several share that value, and restarts from
the top when the value is null. Here a cursor holds the whole sort key of the
row it follows (every ordering field and the id), so a page is "the next N
rows after this key": rows inserted or edited elsewhere in the order do not
shift it, and no query counts the table.
"""

import base64
import binascii
import datetime as dt
import json

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param


class KeysetPagination(CursorPagination):
    """`?cursor=` from the `next`/`previous` links, `?page_size=` up to a maximum.

    The view gives its default `ordering` (a tuple ending with a unique field,
    or one is added) and, optionally, `ordering_param`: the name of its
    filterset's OrderingFilter, whose choices then set the order.
    """

    page_size_query_param = "page_size"
    cursor_query_description = _(
        "Opaque position from a `next` or `previous` link; do not build it yourself."
    )
    invalid_cursor_message = _("Invalid cursor: use a `next` or `previous` link.")
    tiebreaker = "id"

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    @property
    def page_size_query_description(self):
        text = _("Rows per page, 1 to %(max)s (default %(default)s).")
        return text % {"max": self.max_page_size, "default": self.page_size}

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.keys = self._keys(request, queryset, view)
        self.cursor = self.decode_cursor(request)
        forward = not (self.cursor and self.cursor.reverse)

        queryset = queryset.order_by(*self._order_by(forward))
        if self.cursor:
            queryset = queryset.filter(
                self._after(self.cursor.position, forward, self.cursor.offset == 1)
            )
        rows = list(queryset[: self.page_size + 1])
        has_more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if not forward:
            rows.reverse()
        self.page = rows
        position = self.cursor.position if self.cursor else None
        if forward:
            self.has_next, self.has_previous = has_more, position is not None
        else:
            self.has_next, self.has_previous = True, has_more
        return rows

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return settings.REST_FRAMEWORK["PAGE_SIZE"]
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)s.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_next_link(self):
        if not self.has_next:
            return None
        if self.page:
            return self._link(self._key_of(self.page[-1]), reverse=False)
        # An empty page reached backwards: continue from the cursor itself.
        return self._link(self.cursor.position, reverse=False, inclusive=True)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if self.page:
            return self._link(self._key_of(self.page[0]), reverse=True)
        # An empty last page: go back to the rows up to the cursor's row.
        return self._link(self.cursor.position, reverse=True, inclusive=True)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(self.cursor_query_description),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(self.page_size_query_description),
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                },
            },
        ]

    # The cursor: base64url JSON {"p": [key values], "r": 1 if backwards,
    # "i": 1 if the row at the key itself belongs to the page}.

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")))
            raw = data["p"]
            if not isinstance(raw, list) or len(raw) != len(self.keys):
                raise ValueError
            if any(isinstance(value, str) and "\x00" in value for value in raw):
                raise ValueError  # no column holds it; PostgreSQL would refuse it
            position = [
                None if value is None else field.to_python(value)
                for value, (_name, _desc, field) in zip(raw, self.keys, strict=True)
            ]
            reverse, inclusive = bool(data.get("r")), bool(data.get("i"))
        except (
            ValueError,
            TypeError,
            KeyError,
            UnicodeError,
            binascii.Error,
            DjangoValidationError,
        ):
            raise ValidationError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            ) from None
        return self._cursor(position, reverse, inclusive)

    def _cursor(self, position, reverse, inclusive=False):
        return Cursor(offset=1 if inclusive else 0, reverse=reverse, position=position)

    def _link(self, position, *, reverse, inclusive=False):
        data = {"p": [_jsonable(v) for v in position]}
        if reverse:
            data["r"] = 1
        if inclusive:
            data["i"] = 1
        encoded = base64.urlsafe_b64encode(
            json.dumps(data, separators=(",", ":")).encode()
        ).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    # The sort key: [(field name, descending, model field), ...], unique at the end.

    def _keys(self, request, queryset, view):
        ordering = list(getattr(view, "ordering", None) or ("-" + self.tiebreaker,))
        param = getattr(view, "ordering_param", None)
        if param and request.query_params.get(param):
            choices = view.filterset_class.base_filters[param].param_map
            asked = []
            for item in request.query_params[param].split(","):
                item = item.strip()
                name = choices.get(item.lstrip("-"))
                if name:
                    asked.append(("-" if item.startswith("-") else "") + name)
            ordering = asked or ordering
        names = [item.lstrip("-") for item in ordering]
        if self.tiebreaker not in names:
            ordering.append(("-" if ordering[0].startswith("-") else "") + "id")
        keys, seen = [], set()
        for item in ordering:
            name = item.lstrip("-")
            if name in seen:
                continue
            seen.add(name)
            keys.append(
                (name, item.startswith("-"), queryset.model._meta.get_field(name))
            )
            if name == self.tiebreaker:
                break
        return keys

    def _order_by(self, forward):
        order = []
        for name, desc, field in self.keys:
            descending = desc if forward else not desc
            # Unknown counts sort after known ones when read forwards.
            nulls = {}
            if field.null:
                nulls = {"nulls_last": True} if forward else {"nulls_first": True}
            expression = F(name).desc(**nulls) if descending else F(name).asc(**nulls)
            order.append(expression)
        return order

    def _after(self, position, forward, inclusive):
        """Rows after `position` in the reading direction (or at it, if inclusive)."""
        condition, equal = Q(pk__in=[]), Q()
        for (name, desc, field), value in zip(self.keys, position, strict=True):
            descending = desc if forward else not desc
            beyond = None
            if value is None:
                if not forward:
                    beyond = Q(**{f"{name}__isnull": False})
            else:
                beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
                if field.null and forward:
                    beyond |= Q(**{f"{name}__isnull": True})
            if beyond is not None:
                condition |= equal & beyond
            equal &= (
                Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
            )
        if inclusive:
            condition |= equal
        return condition

    def _key_of(self, row):
        return [getattr(row, name) for name, _desc, _field in self.keys]


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value
