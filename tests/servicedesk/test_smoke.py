from servicedesk.defaults import POLICIES, SYSTEM_CATEGORIES
from servicedesk.history import LEAVES
from servicedesk.models import Category, SLAPolicy


def test_reference_data_is_installed(db):
    system_leaves = [code for code, *_ in SYSTEM_CATEGORIES if code.count(".") == 2]
    shipped = {leaf.code for leaf in LEAVES} | set(system_leaves)
    # Other apps add their own leaves (outreach's home visits and wealth alerts): the desk's own
    # reference data is all there, each leaf once.
    assert shipped <= set(Category.objects.filter(level=3).values_list("code", flat=True))
    assert Category.objects.filter(level=3, code__in=shipped).count() == len(shipped)
    assert Category.objects.get(code="branch.visit").department_kind == "customer_service"
    shipped_policies = [policy["name_zh_hans"] for policy in POLICIES]
    assert len(shipped_policies) == 9
    assert SLAPolicy.objects.filter(is_active=True, name_zh_hans__in=shipped_policies).count() == 9
