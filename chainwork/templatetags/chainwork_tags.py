import datetime as dt

from django import template

register = template.Library()


@register.filter
def minutes(value) -> int | str:
    """A timedelta as whole minutes (rounded up), for messages such as 请在30分钟后再试."""
    if isinstance(value, dt.timedelta):
        return max(1, -(-int(value.total_seconds()) // 60))
    return ""
