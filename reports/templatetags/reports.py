"""Template helpers of the report pages: a cell as text, and export addresses that keep the
period and filters of the page."""

from django import template

from ..formatting import display, is_number

register = template.Library()


@register.filter
def cell(value: object) -> str:
    return display(value)


@register.filter
def numeric(value: object) -> bool:
    return is_number(value)


@register.simple_tag(takes_context=True)
def export_url(context: template.Context, fmt: str, **params: str) -> str:
    request = context["request"]
    query = request.GET.copy()
    for name in ("lang", "table"):
        query.pop(name, None)
    for name, value in params.items():
        query[name] = value
    encoded = query.urlencode()
    return f"{context['export_base']}export.{fmt}" + (f"?{encoded}" if encoded else "")
