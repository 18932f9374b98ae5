"""Personal API tokens on the profile page: make one (shown once), revoke one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..models import ApiToken
from ..services import api_token_create, api_token_revoke


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the token"),
        max_length=100,
        help_text=gettext_lazy("What uses it, e.g. “website of the Frauentreff”."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("What may it do?"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )


@never_cache
@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    token = ""
    if form.is_valid():
        try:
            _row, token = api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                form.add_error(field, errors)
    response = render(
        request,
        "api/token_created.html",
        {"form": form, "token": token},
        status=201 if token else 400,
    )
    # The plain token is on this page only: never keep it in a cache or history.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if api_token_revoke(user=request.user, token_id=pk):
        messages.success(request, _("The API token was revoked; it no longer works."))
    return redirect("accounts:profile")
