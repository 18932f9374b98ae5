"""Template helper of the report pages: export addresses that keep the page's period and
filters."""

from django import template

register = template.Library()


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
