def test_start_page_lists_every_center(client, make_center):
    make_center(name="Kultur- und Begegnungszentrum am Brunnenplatz")
    make_center(name="Haus der Kulturen")
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kultur- und Begegnungszentrum am Brunnenplatz" in body
    assert "Haus der Kulturen" in body


def test_unknown_page_gets_the_translated_404(client, db):
    response = client.get("/centers/does-not-exist/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404


def test_public_pages_follow_the_language_switch(client, make_center):
    make_center(name="Haus der Kulturen", slug="haus-der-kulturen")
    german = client.get("/centers/haus-der-kulturen/program/").content.decode()
    assert '<html lang="de">' in german
    client.post("/i18n/setlang/", {"language": "en", "next": "/centers/haus-der-kulturen/"})
    english = client.get("/centers/haus-der-kulturen/program/").content.decode()
    assert '<html lang="en">' in english
    assert "Show offers" in english


def test_program_of_unknown_center_is_404(client, db):
    assert client.get("/centers/nirgendwo/program/").status_code == 404
