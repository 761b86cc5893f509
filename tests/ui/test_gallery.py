import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]")


def test_staff_see_every_component_in_the_gallery(client, teller):
    client.force_login(teller)
    page = client.get(reverse("design-gallery"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "设计系统" in page
    for component in ['class="badge ok"', "<table", "<dialog", 'class="steps"', 'class="toast',
                      'aria-invalid="true"', "disabled>", 'aria-disabled="true"']:
        assert component in page, component
    assert page.count('class="icon') > 40


def test_elderly_and_contrast_modes_are_shown_on_request(client, teller):
    client.force_login(teller)
    assert 'class="gallery elderly"' in client.get("/staff/design/?mode=elderly").content.decode()
    assert 'class="gallery contrast"' in client.get("/staff/design/?mode=contrast").content.decode()


def test_customers_and_strangers_cannot_open_the_gallery(client, customer_user):
    assert client.get("/staff/design/").status_code == 302
    client.force_login(customer_user)
    assert client.get("/staff/design/").status_code == 403


def test_public_pages_draw_icons_as_inline_svg_not_emoji(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'class="icon" aria-hidden="true"' in page
    assert not EMOJI.search(page)
    assert "design.css" in page
