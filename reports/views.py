"""Report pages and exports. Staff: /staff/<center>/reports/ (with the dates still lacking a
count and the breakdown categories); coordinators: /reports/organisations/<pk>/. Each view
first resolves what the user may see (404 otherwise), then parses the period and filters,
computes the report once and renders it or one of its exports."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from attendance.selectors import missing_counts as missing_counts_for
from centers.models import Center
from groups.models import Organisation

from . import charts as chart_module
from . import exports, pdf, selectors
from .forms import CategoryFormSet, ReportForm
from .permissions import access_center_report, access_organisation_report
from .scope import Scope
from .tables import Report

FORMATS = ("csv", "zip", "xlsx", "pdf")


def _prepare(request: HttpRequest, scope: Scope) -> tuple[ReportForm, Report | None]:
    form = ReportForm(request.GET or None, scope=scope)
    if form.is_bound and not form.is_valid():
        return form, None
    scope.filters = form.filters()
    return form, selectors.report(scope, form.selected_period())


def _details(report: Report) -> list[tuple[str, str]]:
    """What the report covers, in words (cover of the PDF, head of the page)."""
    scope, filters = report.scope, report.scope.filters
    details = []
    if scope.organisation is not None:
        details.append((_("Organisation"), scope.organisation.name))
    if scope.center is not None:
        details.append((_("Center"), scope.center.name))
    labels = [
        (_("Room"), filters.room and filters.room.name),
        (_("Group"), filters.group and filters.group.name),
        (_("Organisation"), filters.organisation and filters.organisation.name),
        (_("Kind of offer"), filters.kind and dict(_kind_choices()).get(filters.kind)),
        (_("Audience"), filters.audience and dict(_audience_choices()).get(filters.audience)),
        (_("Language"), filters.language and str(filters.language)),
    ]
    details += [(label, str(value)) for label, value in labels if value]
    return details


def _kind_choices() -> list[tuple[str, str]]:
    from groups.models import Group

    return [(k, str(v)) for k, v in Group.Kind.choices]


def _audience_choices() -> list[tuple[str, str]]:
    from groups.models import Group

    return [(k, str(v)) for k, v in Group.Audience.choices]


def _heading(report: Report) -> str:
    filters = report.scope.filters
    if filters.organisation is not None and report.scope.center is not None:
        return f"{filters.organisation.name} – {report.scope.center.name}"
    return report.scope.title


def _page(request: HttpRequest, scope: Scope, template: str, context: dict) -> HttpResponse:
    form, report = _prepare(request, scope)
    query = request.GET.urlencode()
    return render(
        request,
        template,
        {
            **context,
            "form": form,
            "report": report,
            "heading": _heading(report) if report else scope.title,
            "details": _details(report) if report else [],
            "charts": selectors.rendered_charts(report) if report else [],
            "tables": selectors.shown_tables(report) if report else [],
            "query": f"?{query}" if query else "",
        },
        status=200 if report is not None else 400,
    )


def _export(request: HttpRequest, scope: Scope, fmt: str, stem: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    language = request.GET.get("lang", "")
    if language not in ("de", "en"):
        language = translation.get_language() or "de"
    with translation.override(language):
        form, report = _prepare(request, scope)
        if report is None:
            errors = " ".join(str(e) for errors in form.errors.values() for e in errors)
            return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
        name = f"treffpunkt-{stem}-{report.period.slug}"
        if fmt == "csv":
            keys = [t.key for t in exports.exported(report)]
            key = request.GET.get("table", "")
            if key not in keys:
                return HttpResponse(
                    _("Choose a table: %(keys)s") % {"keys": ", ".join(keys)},
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
            body: bytes | str = exports.csv_table(report.table(key))
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
            filename = f"{name}-{key}.csv"
        elif fmt == "zip":
            response = HttpResponse(
                exports.csv_zip(report, stem=name), content_type="application/zip"
            )
            filename = f"{name}-csv.zip"
        elif fmt == "xlsx":
            response = HttpResponse(
                exports.xlsx(report, heading=_heading(report)),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            filename = f"{name}.xlsx"
        else:
            charts = chart_module.charts_for(report)
            response = HttpResponse(
                pdf.render(
                    report, heading=_heading(report), details=_details(report), charts=charts
                ),
                content_type="application/pdf",
            )
            filename = f"{name}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _staff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login, then the center (404 unless the user is its staff), whatever the method."""

    @login_required
    def wrapper(request: HttpRequest, slug: str, **kwargs: object) -> HttpResponse:
        return view(request, access_center_report(request.user, slug), **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# --- staff of a center ------------------------------------------------------------------------


@_staff
@require_GET
def center_report(request: HttpRequest, center: Center) -> HttpResponse:
    return _page(
        request,
        Scope(center=center),
        "reports/center.html",
        {"center": center, "section": "reports", "export_base": f"/staff/{center.slug}/reports/"},
    )


@_staff
@require_GET
def center_export(request: HttpRequest, center: Center, fmt: str) -> HttpResponse:
    return _export(request, Scope(center=center), fmt, center.slug)


@_staff
@require_GET
def missing_counts(request: HttpRequest, center: Center) -> HttpResponse:
    dates = list(missing_counts_for(centers=[center])[:200])
    return render(
        request,
        "reports/missing.html",
        {"center": center, "section": "reports", "dates": dates},
    )


@_staff
@require_http_methods(["GET", "POST"])
def categories(request: HttpRequest, center: Center) -> HttpResponse:
    formset = CategoryFormSet(request.POST or None, center=center)
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, _("Saved the categories."))
        return redirect("reports:categories", slug=center.slug)
    return render(
        request,
        "reports/categories.html",
        {"center": center, "section": "reports", "formset": formset},
        status=400 if formset.is_bound and not formset.is_valid() else 200,
    )


# --- coordinators ---------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    landing = selectors.landing(request.user)
    if landing.empty:
        raise Http404
    return render(request, "reports/index.html", {"landing": landing})


@login_required
@require_GET
def organisation_report(request: HttpRequest, pk: int) -> HttpResponse:
    organisation: Organisation = access_organisation_report(request.user, pk)
    return _page(
        request,
        Scope(organisation=organisation),
        "reports/organisation.html",
        {"organisation": organisation, "export_base": f"/reports/organisations/{pk}/"},
    )


@login_required
@require_GET
def organisation_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    organisation: Organisation = access_organisation_report(request.user, pk)
    return _export(request, Scope(organisation=organisation), fmt, f"organisation-{pk}")
