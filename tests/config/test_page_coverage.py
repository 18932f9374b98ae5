"""Every URL pattern is either a page the responsive browser test visits (tests/browser/pages.py,
at 360 px and 1280 px, in both languages, with axe-core) or excluded there with a reason."""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.browser.pages import EXCLUDED, EXCLUDED_PREFIXES, PAGES


def _patterns(patterns: list, namespace: str = "", prefix: str = "") -> list[tuple[str, str]]:
    """(name with namespace, or None, address pattern) of every URL pattern."""
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += _patterns(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            found.append((name, prefix + str(pattern.pattern)))
    return found


def _uncovered() -> list[tuple[str, str]]:
    visited = {page.name.split("#")[0] for page in PAGES}
    return [
        (name, address)
        for name, address in _patterns(get_resolver().url_patterns)
        if name not in visited
        and name not in EXCLUDED
        and not address.startswith(tuple(EXCLUDED_PREFIXES))
    ]


def test_every_url_pattern_is_a_visited_page_or_excluded_with_a_reason():
    assert _uncovered() == []


def test_the_lists_name_only_patterns_that_exist_and_never_both():
    names = {name for name, _ in _patterns(get_resolver().url_patterns) if name}
    visited = {page.name.split("#")[0] for page in PAGES if not page.name.startswith("!")}
    assert visited - names == set()
    assert set(EXCLUDED) - names == set()
    assert visited & set(EXCLUDED) == set()
    assert all(reason.strip() for reason in EXCLUDED.values())


def test_a_new_pattern_would_be_caught(settings):
    from django.urls import clear_url_caches, path

    import config.urls

    extra = path("brand-new-page/", lambda request: None, name="brand_new")
    config.urls.urlpatterns.append(extra)
    clear_url_caches()
    try:
        assert ("brand_new", "brand-new-page/") in _uncovered()
    finally:
        config.urls.urlpatterns.remove(extra)
        clear_url_caches()
