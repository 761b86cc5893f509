"""manage.py rotate_keys: every encrypted value and lookup digest moves to the newest key, in
batches, resumably; afterwards the old key can be removed and exact lookups still work."""

import base64

import pytest
from django.core.management import CommandError, call_command

from compliance import rotation
from customers.models import Customer
from tests.factories import make_customer

OLD = base64.urlsafe_b64encode(b"o" * 32).decode()
NEW = base64.urlsafe_b64encode(b"n" * 32).decode()


@pytest.fixture
def customers(settings, branch):
    settings.FIELD_ENCRYPTION_KEY = [OLD]
    made = [make_customer(branch=branch, phone=f"1391234567{n}") for n in range(3)]
    settings.FIELD_ENCRYPTION_KEY = [NEW, OLD]
    return made


def test_lookups_work_during_a_rotation_with_both_keys(customers):
    assert Customer.objects.by_phone("13912345671").get() == customers[1]
    assert Customer.objects.by_id_number(customers[2].id_number).get() == customers[2]
    assert rotation.rotation_pending()["customers.Customer"] == 3


def test_after_a_rotation_the_new_key_alone_reads_and_finds_everything(customers, settings, tmp_path):
    ids = [customer.id_number for customer in customers]
    call_command("rotate_keys", state=tmp_path / "state.json", batch_size=2)
    settings.FIELD_ENCRYPTION_KEY = [NEW]
    assert rotation.rotation_pending() == {}
    assert Customer.objects.by_phone("13912345670").get() == customers[0]
    assert Customer.objects.by_id_number(ids[1]).get().phone == "13912345671"
    settings.FIELD_ENCRYPTION_KEY = [OLD]
    with pytest.raises(ValueError, match="cannot be read"):
        Customer.objects.get(pk=customers[0].pk)


def test_check_reports_rows_still_needing_the_old_key(customers, tmp_path):
    with pytest.raises(CommandError, match="customers.Customer 3"):
        call_command("rotate_keys", check=True)


def test_an_interrupted_rotation_resumes_where_it_stopped(customers, settings, tmp_path, monkeypatch):
    state = tmp_path / "state.json"
    real_batch, batches = rotation._rewrite_batch, []

    def fail_on_second_customer_batch(model, names, pks):
        if model is Customer and batches.count(Customer) == 1:
            raise RuntimeError("the machine went down")
        batches.append(model)
        real_batch(model, names, pks)

    monkeypatch.setattr(rotation, "_rewrite_batch", fail_on_second_customer_batch)
    with pytest.raises(RuntimeError):
        rotation.rotate_keys(batch_size=2, state_path=state)
    assert state.exists() and rotation.rotation_pending() == {"customers.Customer": 1}
    monkeypatch.setattr(rotation, "_rewrite_batch", real_batch)
    rewritten = rotation.rotate_keys(batch_size=2, state_path=state)
    assert rewritten["customers.Customer"] == 1  # only what was left
    settings.FIELD_ENCRYPTION_KEY = [NEW]
    assert rotation.rotation_pending() == {}
