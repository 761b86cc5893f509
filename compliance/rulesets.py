"""The RuleSet in force for a branch, service and product, read from the admin's settings."""

from compliance.models import DisclosureScript, RuleSetting
from compliance.rules.engine import DisclosureRequirement, RuleConfig, RuleSet


def ruleset_for(*, branch_code: str, service_code: str, product_code: str = "") -> RuleSet:
    """For each rule the most specific matching RuleSetting wins (product > service > branch);
    a setting naming this service also adds its rule to the service."""
    rows = RuleSetting.objects.filter(
        branch_code__in=["", branch_code], service_code__in=["", service_code],
        product_code__in=["", product_code],
    )
    chosen: dict[str, RuleSetting] = {}
    for row in sorted(rows, key=lambda row: row.specificity):
        chosen[row.rule] = row
    return RuleSet(
        rules={
            code: RuleConfig(enabled=row.enabled, severity=row.severity,
                             overridable=row.overridable, params=row.params or {})
            for code, row in chosen.items()
        },
        disclosures=_disclosures(service_code, product_code),
        extra_rules=tuple(sorted(code for code, row in chosen.items() if row.service_code)),
    )


def _disclosures(service_code: str, product_code: str) -> tuple[DisclosureRequirement, ...]:
    required = []
    for script in DisclosureScript.objects.filter(active=True).prefetch_related("versions"):
        applies = service_code in script.service_codes or (
            product_code and product_code in script.product_codes)
        newest = max(script.versions.all(), key=lambda version: version.version, default=None)
        if applies and newest is not None:
            required.append(DisclosureRequirement(script.code, newest.version,
                                                  script.title_zh_hans, script.title_en))
    return tuple(required)
