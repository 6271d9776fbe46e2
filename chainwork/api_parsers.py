"""The API's JSON parser: JSON parsed within bounds.

Nesting deep enough to exhaust Python's recursion (5,000 `[`) fails inside `json` with a RecursionError,
which DRF's parser lets through as a 500: it is the client's error, a 400 in the client's language. A
body that is valid JSON but not an object passes: each view answers it in the Contract's order (a
problem's action checks the scope first, so such a body from outside the scope is still a 404).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON嵌套层数过多。")) from None
