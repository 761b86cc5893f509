"""Demo data: the demo customer has already pre-filled the account-opening form at home."""

from django.db import transaction

from branches.models import ServiceType
from customers.demo import DEMO_CUSTOMER_PHONE
from customers.models import Customer


def seed(*, stdout) -> None:
    from counter import services
    from counter.models import FormSource

    customer = Customer.objects.by_phone(DEMO_CUSTOMER_PHONE).first()
    service = ServiceType.objects.filter(code="ACCOUNT_OPENING").first()
    if customer is None or service is None or service.current_form_schema() is None:
        return
    values = {
        "full_name": customer.name,
        "id_number": customer.id_number,
        "phone": customer.phone,
        "address": "北京市东城区东长安街1号",
        "occupation": "employee",
    }
    with transaction.atomic():
        form = services.form_start(
            actor=customer.user,
            service_type=service,
            source=FormSource.CUSTOMER,
            customer=customer,
            branch=customer.home_branch,
        )
        services.form_save(actor=customer.user, form=form, values=values, submit=True)
    stdout.write(
        "counter: the demo customer has a submitted pre-filled form for 个人开户 (ACCOUNT_OPENING); "
        "take a remote ticket for it and call it at a counter to verify it."
    )
