"""Reference data every installation starts with: the category tree's handling departments and
SLA policies reflecting the bank's practice (see docs/servicedesk.md)."""

BUSINESS_HOURS_PER_DAY = 8

# Business line → kind of department that usually handles it.
LINE_DEPARTMENTS = {
    "card": "operations",
    "loan": "credit",
    "wealth": "wealth",
    "fx": "fx",
    "branch": "customer_service",
    "digital": "operations",
}

_DAY = BUSINESS_HOURS_PER_DAY * 60

# Tried in `order`; blank criteria match anything. Minutes are business minutes unless
# resolution_clock is "calendar".
POLICIES = [
    {
        "order": 10,
        "name_zh_hans": "重大投诉（紧急处理）",
        "name_en": "Major complaint (emergency handling)",
        "work_order_kind": "complaint",
        "priority": "major",
        "first_response_minutes": 30,
        "update_cadence_hours": 48,
        "resolution_minutes": 5 * _DAY,
        "escalate_at_once": True,
    },
    {
        "order": 20,
        "name_zh_hans": "复杂投诉",
        "name_en": "Complex complaint",
        "work_order_kind": "complaint",
        "complex_case": True,
        "first_response_minutes": 4 * 60,
        "update_cadence_hours": 48,
        "resolution_minutes": 5 * _DAY,
    },
    {
        "order": 30,
        "name_zh_hans": "简单投诉",
        "name_en": "Simple complaint",
        "work_order_kind": "complaint",
        "first_response_minutes": 4 * 60,
        "update_cadence_hours": 48,
        "resolution_minutes": 24 * 60,
        "resolution_clock": "calendar",
    },
    {
        "order": 40,
        "name_zh_hans": "跨部门协助（重大）",
        "name_en": "Cross-department request (major)",
        "work_order_kind": "request",
        "priority": "major",
        "first_response_minutes": 15,
        "resolution_minutes": 60,
    },
    {
        "order": 41,
        "name_zh_hans": "跨部门协助（紧急）",
        "name_en": "Cross-department request (urgent)",
        "work_order_kind": "request",
        "priority": "urgent",
        "first_response_minutes": 15,
        "resolution_minutes": 60,
    },
    {
        "order": 50,
        "name_zh_hans": "跨部门协助（一般）",
        "name_en": "Cross-department request (normal)",
        "work_order_kind": "request",
        "first_response_minutes": 60,
        "resolution_minutes": 4 * 60,
    },
    {
        "order": 60,
        "name_zh_hans": "客户回访",
        "name_en": "Follow-up visit",
        "work_order_kind": "follow_up",
        "first_response_minutes": _DAY,
        "resolution_minutes": 3 * _DAY,
    },
    {
        "order": 70,
        "name_zh_hans": "改进措施",
        "name_en": "Improvement action",
        "work_order_kind": "improvement",
        "first_response_minutes": 2 * _DAY,
        "resolution_minutes": 10 * _DAY,
    },
    {
        "order": 99,
        "name_zh_hans": "其他工单",
        "name_en": "Any other work order",
        "first_response_minutes": _DAY,
        "resolution_minutes": 5 * _DAY,
    },
]


# Categories outside the classifier's tree (no customer writes them): work orders the system opens.
SYSTEM_CATEGORIES = [
    # (code, Chinese, English, handling department kind)
    ("branch.visit", "到店服务评价", "Service visit rating", "customer_service"),
    ("branch.visit.low_score", "到店服务低分回访", "Low score after a visit", ""),
]


def install(category_model, policy_model) -> None:
    """Create the category tree and, on a fresh installation, the default SLA policies.

    Takes the model classes so the data migration can pass its historical models.
    """
    from servicedesk.history import TREE

    by_code = {}
    for node in TREE:
        by_code[node.code], _ = category_model.objects.update_or_create(
            code=node.code,
            defaults={
                "name_zh_hans": node.name_zh_hans,
                "name_en": node.name_en,
                "level": node.level,
                "parent": by_code.get(node.parent_code),
                "department_kind": LINE_DEPARTMENTS.get(node.code, ""),
            },
        )
    for code, name_zh_hans, name_en, kind in SYSTEM_CATEGORIES:
        by_code[code], _ = category_model.objects.update_or_create(
            code=code,
            defaults={
                "name_zh_hans": name_zh_hans,
                "name_en": name_en,
                "level": code.count(".") + 1,
                "parent": by_code[code.rsplit(".", 1)[0]],
                "department_kind": kind,
            },
        )
    if not policy_model.objects.exists():
        for policy in POLICIES:
            policy_model.objects.create(**policy)
