"""The demo fee catalogue: the common counter services with prices of the kind Chinese banks
publish under the 2014 service-price rules, and their waivers for special groups."""

import datetime as dt

from branches.models import ServiceType
from fees.models import Basis, Category, FeeItem, Group, Method
from fees.services import fee_version_publish

RULES = "《商业银行服务价格管理办法》（中国银监会、国家发展改革委令2014年第1号）"
ITEMS = [
    ("cross-bank-transfer", "跨行转账（柜台）", "Cross-bank transfer (counter)", Category.TRANSFER,
     Basis.PER_TRANSACTION, {"method": Method.RATE, "rate": "0.5", "minimum": "2.00", "maximum": "50.00",
                             "waivers": [Group.ELDERLY, Group.DISABLED]}),
    ("overseas-transfer", "境外汇款", "Overseas remittance", Category.TRANSFER, Basis.PER_TRANSACTION,
     {"method": Method.RATE, "rate": "0.1", "minimum": "50.00", "maximum": "260.00", "waivers": []}),
    ("card-replacement", "借记卡补换卡", "Debit card replacement", Category.CARD, Basis.PER_CARD,
     {"method": Method.FIXED, "price": "5.00",
      "waivers": [Group.ELDERLY, Group.DISABLED, Group.LOW_INCOME, Group.SOLDIER]}),
    ("paper-statement", "纸质对账单补打", "Paper statement reprint", Category.STATEMENT, Basis.PER_COPY,
     {"method": Method.FIXED, "price": "10.00", "waivers": [Group.ELDERLY]}),
    ("deposit-certificate", "存款证明", "Certificate of deposit", Category.STATEMENT, Basis.PER_COPY,
     {"method": Method.FIXED, "price": "20.00", "waivers": []}),
    ("small-account-fee", "小额账户管理费", "Small-balance account fee", Category.ACCOUNT, Basis.PER_YEAR,
     {"method": Method.FIXED, "price": "0.00", "waivers": []}),
]


SERVICE_TYPES = {"cross-bank-transfer": ["TRANSFER"], "overseas-transfer": ["CROSS_BORDER_REMITTANCE"],
                 "card-replacement": ["CARD_REPLACEMENT"]}


# Head office's rates for every branch (demo figures of the kind a Chinese bank posts in its lobby).
RATES = [
    ("deposit", "demand", "活期存款", "Demand deposit", "0.10", None),
    ("deposit", "deposit-1y", "一年期定期存款", "1-year time deposit", "0.95", None),
    ("deposit", "deposit-3y", "三年期定期存款", "3-year time deposit", "1.25", None),
    ("loan", "lpr-1y", "一年期贷款市场报价利率", "1-year loan prime rate", "3.00", None),
    ("loan", "lpr-5y", "五年期以上贷款市场报价利率", "5-year+ loan prime rate", "3.50", None),
    ("exchange", "usd", "美元", "US dollar", "710.52", "713.52"),
    ("exchange", "eur", "欧元", "Euro", "826.40", "832.50"),
    ("exchange", "hkd", "港币", "Hong Kong dollar", "91.30", "91.66"),
]


def seed_rates() -> None:
    from fees.rates import rate_publish

    for kind, code, zh, en, rate, selling in RATES:
        rate_publish(actor=None, branch=None, seeding=True, values={
            "kind": kind, "code": code, "name_zh_hans": zh, "name_en": en, "rate": rate, "selling": selling,
            "effective_from": dt.date(2024, 1, 1)})


def seed(*, stdout) -> None:
    for sort, (code, zh, en, category, basis, price) in enumerate(ITEMS):
        item = FeeItem.objects.create(code=code, name_zh_hans=zh, name_en=en, category=category, basis=basis,
                                      sort=sort)
        item.service_types.set(ServiceType.objects.filter(code__in=SERVICE_TYPES.get(code, [])))
        fee_version_publish(actor=None, item=item, seeding=True, values={
            "legal_basis": RULES, "effective_from": dt.date(2024, 1, 1), **price})
    seed_rates()
    stdout.write(f"fees: {len(ITEMS)} published fees at /fees/ "
                 "(head office requests changes at /fees/manage/); "
                 f"{len(RATES)} rates on the lobby screens (/fees/rates/)")
