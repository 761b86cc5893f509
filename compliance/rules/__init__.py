from . import builtin  # noqa: F401  (registers the rules)
from .engine import register_service_rules

# Which rules each service type runs. Higher apps may add their own service codes with
# register_service_rules(); compliance officers add rules per branch/product with RuleSetting.
WEALTH_SALE = ("suitability", "disclosure", "dual_recording", "cooling_off")
ACCOUNT_SERVICE = ("id_expiry",)

# Service codes are those of the branch catalogue (branches/demo.py). Reporting a lost card and
# updating personal details stay open with an expired ID: they are how the customer fixes things.
DEFAULT_SERVICE_RULES = {
    "WEALTH_PRODUCT": WEALTH_SALE,
    "FUND_PURCHASE": WEALTH_SALE,
    "CASH_WITHDRAWAL": ("large_cash_withdrawal", *ACCOUNT_SERVICE),
    "LARGE_CASH_WITHDRAWAL": ("large_cash_withdrawal", *ACCOUNT_SERVICE),
    "CASH_DEPOSIT": ("cdd_cash_deposit", *ACCOUNT_SERVICE),
    "TIME_DEPOSIT": ACCOUNT_SERVICE,
    "LARGE_CD": ACCOUNT_SERVICE,
    "TRANSFER": ACCOUNT_SERVICE,
    "CARD_REPLACEMENT": ACCOUNT_SERVICE,
    "ACCOUNT_OPENING": ACCOUNT_SERVICE,
    "ACCOUNT_CLOSURE": ACCOUNT_SERVICE,
    "PASSWORD_RESET": ACCOUNT_SERVICE,
    "FX_EXCHANGE": ACCOUNT_SERVICE,
    "CROSS_BORDER_REMITTANCE": ACCOUNT_SERVICE,
    "SOCIAL_SECURITY_CARD": ACCOUNT_SERVICE,
    "MORTGAGE": ACCOUNT_SERVICE,
    "CONSUMER_LOAN": ACCOUNT_SERVICE,
}

for _code, _rules in DEFAULT_SERVICE_RULES.items():
    register_service_rules(_code, *_rules)
