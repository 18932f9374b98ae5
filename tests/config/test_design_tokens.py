"""The stylesheet's design tokens: colours meet WCAG AA (text ≥ 4.5:1 on every background it is
used on, focus ring ≥ 3:1), keyboard focus is visible on links, buttons and inputs, and the
rules use the tokens instead of hard-coded colours."""

import re
from itertools import product
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "treffpunkt.css"

TEXT = [
    "--color-text",
    "--color-muted",
    "--color-accent",
    "--color-ok",
    "--color-warn",
    "--color-bad",
    "--color-moved",
    "--color-holiday",
    "--color-school",
]
BACKGROUNDS = [
    "--color-bg",
    "--color-bg-subtle",
    "--color-bg-closed",
    "--color-bg-info",
    "--color-bg-ok",
    "--color-bg-warn",
    "--color-bg-bad",
    "--color-bg-moved",
    "--color-bg-holiday",
]
# White text on filled buttons and tags.
FILLED = [("--color-on-accent", "--color-accent"), ("--color-on-accent", "--color-bad")]


def _css() -> str:
    return CSS.read_text(encoding="utf-8")


def tokens() -> dict[str, str]:
    """The custom properties of :root, with var() aliases resolved."""
    root = re.search(r":root\s*\{(.*?)\}", _css(), re.S).group(1)
    root = re.sub(r"/\*.*?\*/", "", root, flags=re.S)
    found = dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", root))
    for name, value in found.items():
        while (alias := re.fullmatch(r"var\((--[\w-]+)\)", value.strip())) is not None:
            value = found[alias.group(1)]
        found[name] = value.strip()
    return found


def luminance(hex_colour: str) -> float:
    """Relative luminance by WCAG 2.x."""
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#0b57d0", "#0b57d0") == pytest.approx(1)


@pytest.mark.parametrize(("text", "background"), [*product(TEXT, BACKGROUNDS), *FILLED])
def test_text_colours_meet_wcag_aa_on_every_background(text, background):
    found = tokens()

    ratio = contrast(found[text], found[background])

    assert ratio >= 4.5, f"{text} on {background}: {ratio:.2f}:1"


@pytest.mark.parametrize("background", [*BACKGROUNDS, "--color-accent", "--color-focus"])
def test_the_focus_ring_stands_out_from_what_it_surrounds(background):
    found = tokens()

    assert contrast(found["--color-focus-ring"], found[background]) >= 3


def test_a_focused_link_keeps_its_text_readable():
    found = tokens()

    assert contrast(found["--color-focus-ring"], found["--color-focus"]) >= 4.5


def test_the_scales_are_tokens():
    found = tokens()

    assert [found[f"--space-{n}"] for n in range(1, 7)] == [
        ".25rem",
        ".5rem",
        ".75rem",
        "1rem",
        "1.5rem",
        "2rem",
    ]
    sizes = ["xs", "sm", "base", "md", "lg", "xl"]
    values = [float(found[f"--font-size-{s}"].removesuffix("rem")) for s in sizes]
    assert values == sorted(values) and len(set(values)) == len(values)


@pytest.mark.parametrize("element", ["a", "button", "input", "select", "textarea"])
def test_keyboard_focus_is_visible_on_links_buttons_and_inputs(element):
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", _css(), flags=re.S))

    focus = [
        body
        for selectors, body in rules
        if any(s.strip() == f"{element}:focus-visible" for s in selectors.split(","))
    ]

    assert focus, f"no :focus-visible rule for {element}"
    width, colour = re.search(r"outline:\s*(\d+)px solid var\((--[\w-]+)\)", focus[0]).groups()
    assert int(width) >= 3
    assert contrast(tokens()[colour], tokens()["--color-bg"]) >= 3


def test_screen_rules_use_colour_tokens_not_hex_values():
    css = re.sub(r"/\*.*?\*/", "", _css(), flags=re.S)
    css = re.sub(r":root\s*\{.*?\}", "", css, count=1, flags=re.S)
    css = re.sub(r"@media print\s*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css)

    assert re.findall(r"#[0-9a-fA-F]{3,6}\b", css) == []


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _status_tags(source: str) -> list[str]:
    """The inner markup of every <span class="tag …"> / <span class="badge …">."""
    found = []
    for match in re.finditer(r'<span class="(?:tag|badge)[ "][^>]*>', source):
        depth = 1
        for inner in re.finditer(r"<span\b|</span>", source[match.end() :]):
            depth += 1 if inner.group(0) == "<span" else -1
            if depth == 0:
                found.append(source[match.end() : match.end() + inner.start()])
                break
    return found


def test_status_tags_say_their_status_in_words_not_colour_alone():
    empty = []
    for template in TEMPLATES.rglob("*.html"):
        for inner in _status_tags(template.read_text(encoding="utf-8")):
            visible = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>.*?</span>', "", inner)
            words = re.sub(r"<[^>]+>", "", visible).strip()
            if not words:
                empty.append(f"{template.relative_to(TEMPLATES)}: {inner!r}")

    assert empty == []
