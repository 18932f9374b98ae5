def test_start_page_lists_centers_and_is_accessible(
    page, make_center, screenshot, assert_accessible
):
    make_center(name="Haus der Kulturen")
    page.goto("/")
    assert page.get_by_role("heading", name="Haus der Kulturen").is_visible()
    screenshot(page, "start")
    assert_accessible(page, "start page")
