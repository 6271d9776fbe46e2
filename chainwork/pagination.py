from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Page-number pagination with `next`; clients may ask for up to 200 rows a page. A view that knows
    the total already (the 问题台账 from its tally) sets `known_count` and nothing is counted again."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        self.known_count = getattr(view, "known_count", None)
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, object_list, per_page):  # called as DRF calls the class
        return counted_paginator(object_list, per_page, self.known_count)


def counted_paginator(object_list, per_page: int, count: int | None = None) -> Paginator:
    """A Paginator that, given the total already counted (None: count as usual), counts nothing again."""
    paginator = Paginator(object_list, per_page)
    if count is not None:
        paginator.count = count  # a cached property, set before anything reads it
    return paginator


def query_without_page(request, *also: str) -> str:
    """The page's query string without its page number (and the `also` keys): what a pagination or
    export link appends its own to."""
    query = request.GET.copy()
    for key in ("page", *also):
        query.pop(key, None)
    return query.urlencode()
