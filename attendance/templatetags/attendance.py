"""`{% leader_attendance_dates as dates %}`: the dashboard include's data, so the leaders'
dashboard needs no change beyond one include."""

from django import template

from ..selectors import LeaderDate, leader_dates

register = template.Library()


@register.simple_tag(takes_context=True)
def leader_attendance_dates(context: template.Context) -> list[LeaderDate]:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return leader_dates(request.user)
