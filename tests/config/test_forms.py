"""Shared form fields (config.forms): whole numbers are written with ASCII digits."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from config.forms import BoundedIntegerField, StrictIntegerField


class _Form(forms.Form):
    people = StrictIntegerField(min_value=1, required=False)
    year = BoundedIntegerField(required=False)


@pytest.mark.parametrize("typed", ["1_000", "１２", "1.000", "1e3", "0x10", "12 people", "1,5"])
def test_numbers_python_would_read_are_refused_with_a_translated_message(typed: str) -> None:
    with translation.override("de"):
        form = _Form(data={"people": typed, "year": typed})
        assert not form.is_valid()
        assert form.errors["people"] == ["Bitte eine ganze Zahl eingeben."]
        assert "year" in form.errors


@pytest.mark.parametrize(("typed", "read"), [("25", 25), (" 25 ", 25), ("+7", 7), ("", None)])
def test_plain_whole_numbers_are_read(typed: str, read: int | None) -> None:
    form = _Form(data={"people": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["people"] == read
