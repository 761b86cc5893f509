import datetime as dt

import pytest

from fees.models import Basis, Category, FeeItem, Group, Method
from fees.services import fee_version_publish

RULES = "《商业银行服务价格管理办法》"


def publish(item, effective_from=dt.date(2024, 1, 1), **values):
    return fee_version_publish(actor=None, item=item, seeding=True,
                               values={"legal_basis": RULES, "effective_from": effective_from, **values})


@pytest.fixture
def cross_bank(db):
    item = FeeItem.objects.create(code="cross-bank-transfer", name_zh_hans="跨行转账（柜台）",
                                  name_en="Cross-bank transfer (counter)", category=Category.TRANSFER,
                                  basis=Basis.PER_TRANSACTION)
    publish(item, method=Method.RATE, rate="0.5", minimum="2.00", maximum="50.00", waivers=[Group.DISABLED])
    return item


@pytest.fixture
def card_replacement(db):
    item = FeeItem.objects.create(code="card-replacement", name_zh_hans="借记卡补换卡",
                                  name_en="Debit card replacement", category=Category.CARD,
                                  basis=Basis.PER_CARD)
    publish(item, method=Method.FIXED, price="5.00", waivers=[Group.ELDERLY, Group.LOW_INCOME])
    return item
