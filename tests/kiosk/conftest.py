import pytest
from django.test import Client

from branches.models import FormSchema
from branches.roles import Role
from tests.counter.schemas import ACCOUNT_OPENING
from tests.factories import make_counter, make_customer, make_device, make_service_type, make_staff

# The queueing tests' fresh caches and learned times before and after each test (an autouse
# fixture), their time zone and their morning (the shared `clock` starts there, the branch open).
from tests.queueing.conftest import OPEN_MORNING, SHANGHAI, _fresh_service_times  # noqa: F401


@pytest.fixture
def deposit(db):
    return make_service_type("DEPOSIT", name_zh_hans="存款", name_en="Deposit", target_minutes=5,
                             allow_kiosk=True, keywords="cash 现金")


@pytest.fixture
def account_open(db):
    service = make_service_type("ACCOUNT_OPEN", name_zh_hans="开立借记卡账户",
                                name_en="Open a debit card account",
                                category="account", complexity="complex", target_minutes=15,
                                zone_kind="non_cash", allow_vtm=True)
    FormSchema.objects.create(service_type=service, version=1, fields=ACCOUNT_OPENING)
    return service


@pytest.fixture
def kiosk_point(branch, deposit):
    return make_counter(branch, "K1", zone_kind="self_service", kind="kiosk", services=[deposit],
                        status="open", capabilities={"camera": True, "printer": True})


@pytest.fixture
def vtm_point(branch, account_open):
    return make_counter(branch, "V1", zone_kind="self_service", kind="vtm", services=[account_open],
                        capabilities={"camera": True, "printer": True})


@pytest.fixture
def kiosk_device(branch, kiosk_point, branch_admin):
    return make_device(branch, "kiosk", actor=branch_admin, service_point=kiosk_point)


@pytest.fixture
def vtm_device(branch, vtm_point, branch_admin):
    return make_device(branch, "vtm", actor=branch_admin, service_point=vtm_point)


def device_client(token: str) -> Client:
    """A browser signed in as the device (session), like the kiosk's Chromium."""
    client = Client()
    response = client.post("/device/login/", {"token": token})
    assert response.status_code == 302
    return client


@pytest.fixture
def kiosk(kiosk_device):
    return device_client(kiosk_device[1])


@pytest.fixture
def vtm(vtm_device):
    return device_client(vtm_device[1])


@pytest.fixture
def remote_teller(branch):
    return make_staff(Role.TELLER, branch, username="remote", is_remote_teller=True)


@pytest.fixture
def customer(branch):
    return make_customer(branch=branch)


def start(client, **settings) -> dict:
    response = client.post("/api/kiosk/session/", {"language": "zh-hans", **settings},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def asgi_application():
    """The project's ASGI stack (HTTP + websockets with the device and auth middleware)."""
    from branchsvc.asgi import application

    return application
