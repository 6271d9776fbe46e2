"""The API's JSON parser: a body is one JSON object, parsed within bounds.

Every write of the API takes an object (design.md "Contract": the action bodies, the create and
update bodies), and views read it with `request.data.get(...)`: `null`, a list or a string would fail
there as a 500. Nesting deep enough to exhaust Python's recursion (5,000 `[`) fails inside `json`
the same way. Both are the client's error: 400, in the client's language.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONObjectParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON嵌套层数过多。")) from None
        if not isinstance(data, dict):
            raise ParseError(_("请求体应为一个JSON对象（{…}）。"))
        return data
