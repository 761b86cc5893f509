from io import StringIO

from kiosk.demo import seed
from kiosk.models import DeviceStatus


def test_the_demo_lists_every_kiosk_and_vtm_as_offline_until_it_speaks(kiosk_device, vtm_device):
    out = StringIO()
    seed(stdout=out)
    assert DeviceStatus.objects.filter(online=False).count() == 2
    assert "teller5" in out.getvalue()
