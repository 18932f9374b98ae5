"""`{% planning_notice user %}`: on the leaders' dashboard, the proposals waiting for an answer."""

from __future__ import annotations

from typing import Any

from django import template

from ..permissions import leader_groups
from ..selectors import leader_rounds, pending_answers

register = template.Library()


@register.inclusion_tag("planning/_notice.html")
def planning_notice(user: Any) -> dict[str, Any]:
    groups = leader_groups(user)
    rounds = leader_rounds(groups) if user.is_authenticated else []
    return {"rounds": rounds, "pending": pending_answers(groups) if rounds else 0}
