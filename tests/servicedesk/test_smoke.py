from servicedesk.history import LEAVES
from servicedesk.models import Category, SLAPolicy


def test_reference_data_is_installed(db):
    assert Category.objects.filter(level=3).count() == len(LEAVES)
    assert SLAPolicy.objects.filter(is_active=True).count() == 9
