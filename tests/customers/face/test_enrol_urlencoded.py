"""A plain (urlencoded) POST to the face-enrol page is answered, never a server error."""

from urllib.parse import urlencode

from django.urls import reverse

from customers.models import FaceEnrolment
from tests.factories import make_customer

FORM = "application/x-www-form-urlencoded"  # what a plain HTML form sends (no file field)


def test_anyone_posting_a_plain_form_gets_an_answer_not_a_500(client, branch):
    customer = make_customer(branch=branch)
    response = client.post(reverse("face-enrol", args=[customer.pk]), urlencode({"source": "x"}),
                           content_type=FORM)
    assert response.status_code in (302, 403)


def test_a_teller_posting_a_plain_form_is_told_what_is_missing(client, teller, branch):
    customer = make_customer(branch=branch)
    client.force_login(teller)
    response = client.post(reverse("face-enrol", args=[customer.pk]),
                           urlencode({"source": "counter_webcam", "consent_captured": "on"}),
                           content_type=FORM)
    assert response.status_code == 400
    assert not FaceEnrolment.objects.exists()
