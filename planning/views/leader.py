"""Leaders' pages under /me/planning/: the proposals for their groups (confirm, change, end)
and new wishes for the next term, until the deadline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import selectors, services
from ..forms import AnswerForm, WishForm
from ..models import Round
from ..permissions import access_leader_round, access_wish, leader_groups
from ._common import add_errors


@login_required
@require_GET
def rounds(request: HttpRequest) -> HttpResponse:
    groups = leader_groups(request.user)
    return render(
        request, "planning/leader_rounds.html", {"rounds": selectors.leader_rounds(groups)}
    )


def _render_round(request: HttpRequest, round: Round, *, status: int = 200, **forms: Any):
    groups = leader_groups(request.user, round.center)
    wishes = selectors.group_wishes(round, groups)
    reports = selectors.wish_reports(round) if wishes else {}
    answer_forms = {
        wish.pk: (
            forms["answer_form"]
            if forms.get("answer_pk") == wish.pk
            else AnswerForm(
                center=round.center, prefix=f"w{wish.pk}", initial=AnswerForm.initial_for(wish)
            )
        )
        for wish in wishes
    }
    lines = [(wish, reports.get(wish.pk), answer_forms[wish.pk]) for wish in wishes]
    return render(
        request,
        "planning/leader_round.html",
        {
            "round": round,
            "lines": lines,
            "wish_form": forms.get("wish_form")
            or WishForm(center=round.center, groups=groups, prefix="new"),
        },
        status=status,
    )


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_round(request, access_leader_round(request.user, pk))


@login_required
@require_POST
def answer(request: HttpRequest, pk: int, wish: int) -> HttpResponse:
    round = access_leader_round(request.user, pk)
    target = access_wish(request.user, round, wish)
    form = AnswerForm(request.POST, center=round.center, prefix=f"w{target.pk}")
    if form.is_valid():
        try:
            services.wish_answer(
                user=request.user,
                wish=target,
                answer=form.cleaned_data["answer"],
                slot=form.slot(),
            )
        except PermissionDenied:
            form.add_error(None, _("You cannot answer for this group."))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you, your answer was saved."))
            return redirect("planning:round", pk=round.pk)
    return _render_round(request, round, status=400, answer_form=form, answer_pk=target.pk)


@login_required
@require_POST
def wish_new(request: HttpRequest, pk: int) -> HttpResponse:
    round = access_leader_round(request.user, pk)
    groups = leader_groups(request.user, round.center)
    form = WishForm(request.POST, center=round.center, groups=groups, prefix="new")
    if form.is_valid():
        try:
            services.wish_create(user=request.user, round=round, **form.wish())
        except PermissionDenied:
            form.add_error(None, _("You cannot wish for this group."))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your wish was saved. Staff allocate after the deadline."))
            return redirect("planning:round", pk=round.pk)
    return _render_round(request, round, status=400, wish_form=form)
