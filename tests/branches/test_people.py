from django.contrib.auth import get_user_model
from django.template import engines

from branches.people import person_name

User = get_user_model()


def test_chinese_names_are_written_family_name_first_without_a_space():
    assert person_name(User(username="teller1", first_name="娜", last_name="李")) == "李娜"
    assert person_name(User(username="w1", first_name="Na", last_name="Li")) == "Na Li"
    assert person_name(User(username="teller9")) == "teller9"
    assert person_name(None) == ""


def test_every_template_has_the_person_name_filter():
    template = engines["django"].from_string("{{ user|person_name }}")
    assert template.render({"user": User(username="x", first_name="伟", last_name="张")}) == "张伟"


def test_a_customer_account_reads_as_the_customers_masked_name_not_its_username(db):
    from tests.factories import make_customer_user

    user = make_customer_user(name="欧阳娜娜")
    text = engines["django"].from_string("{{ user|person_name }}").render({"user": user})
    assert text.startswith("欧") and "娜娜" not in text and user.username not in text
