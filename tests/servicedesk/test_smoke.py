from servicedesk.defaults import SYSTEM_CATEGORIES
from servicedesk.history import LEAVES
from servicedesk.models import Category, SLAPolicy


def test_reference_data_is_installed(db):
    system_leaves = [code for code, *_ in SYSTEM_CATEGORIES if code.count(".") == 2]
    assert Category.objects.filter(level=3).count() == len(LEAVES) + len(system_leaves)
    assert Category.objects.get(code="branch.visit").department_kind == "customer_service"
    assert SLAPolicy.objects.filter(is_active=True).count() == 9
