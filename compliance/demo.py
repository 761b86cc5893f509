"""Demo disclosure scripts (the texts regulators expect before a wealth or fund sale)."""

from compliance.models import DisclosureScript
from compliance.services import disclosure_script_save, disclosure_version_publish

SCRIPTS = [
    ("WEALTH_RISK", "理财产品风险揭示", "Wealth product risk disclosure", ["WEALTH_PRODUCT"],
     "理财非存款、产品有风险、投资须谨慎。本产品不保证本金和收益，过往业绩不代表未来表现。",
     "Wealth products are not deposits and carry risk; invest with care. Neither principal nor "
     "return is guaranteed, and past performance does not represent future returns."),
    ("FUND_RISK", "基金投资风险揭示", "Fund investment risk disclosure", ["FUND_PURCHASE"],
     "基金有风险，投资须谨慎。基金的过往业绩并不预示其未来表现，基金管理人管理的其他基金的业绩"
     "不构成本基金业绩表现的保证。",
     "Funds carry risk; invest with care. A fund's past performance does not predict its future "
     "performance, nor do other funds of the same manager guarantee this fund's results."),
]


def seed(*, stdout) -> None:
    for code, title_zh, title_en, services, text_zh, text_en in SCRIPTS:
        script = DisclosureScript.objects.filter(code=code).first()
        if script is None:
            script = disclosure_script_save(actor=None, script=DisclosureScript(
                code=code, title_zh_hans=title_zh, title_en=title_en, service_codes=services))
        if not script.versions.exists():
            disclosure_version_publish(actor=None, script=script, text_zh_hans=text_zh,
                                       text_en=text_en)
    stdout.write(f"compliance: {len(SCRIPTS)} disclosure scripts\n")
