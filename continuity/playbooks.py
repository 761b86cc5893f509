"""The seeded emergency plans (data migration 0003 through `seed`); head office edits them."""

SEED = [
    {
        "kind": "system_failure",
        "level": 3,
        "ticketing": "limited",
        "ticket_limit": 30,
        "lobby_message_zh": "系统故障，部分业务暂停办理，现金存取等业务请耐心等候。",
        "lobby_message_en": (
            "A system failure: some services are paused; cash services continue, please wait."
        ),
        "steps": [
            {"minutes": 5, "text": "报告总行科技部并记录故障现象"},
            {"minutes": 10, "text": "启用手工登记簿，告知柜员离线办理规则"},
            {"minutes": 15, "text": "大堂经理向排队客户说明情况并分流"},
            {"minutes": 60, "text": "恢复后核对手工登记簿并补录"},
        ],
    },
    {
        "kind": "fire",
        "level": 1,
        "ticketing": "paused",
        "ticket_limit": 0,
        "lobby_message_zh": "火警！请听从工作人员指挥，沿安全出口有序撤离，不要使用电梯。",
        "lobby_message_en": (
            "Fire alarm! Follow the staff and leave by the emergency exits. Do not use the lifts."
        ),
        "steps": [
            {"minutes": 1, "text": "拨打119并启动消防报警"},
            {"minutes": 2, "text": "柜员锁闭现金尾箱和凭证，关闭系统"},
            {"minutes": 5, "text": "引导客户和员工从安全出口撤离"},
            {"minutes": 10, "text": "在集合点清点人数"},
            {"minutes": 15, "text": "报告总行安全保卫部"},
        ],
    },
    {
        "kind": "robbery",
        "level": 1,
        "ticketing": "paused",
        "ticket_limit": 0,
        "lobby_message_zh": "网点暂停营业，请听从工作人员指引。",
        "lobby_message_en": "The branch is closed for now. Please follow the staff's instructions.",
        "steps": [
            {"minutes": 1, "text": "按下紧急报警按钮，拨打110"},
            {"minutes": 5, "text": "确保客户和员工安全，不与歹徒对抗"},
            {"minutes": 10, "text": "保护现场，保存监控录像"},
            {"minutes": 15, "text": "报告总行安全保卫部"},
            {"minutes": 60, "text": "登记目击者联系方式，配合公安调查"},
        ],
    },
    {
        "kind": "crowding",
        "level": 4,
        "ticketing": "limited",
        "ticket_limit": 40,
        "lobby_message_zh": "当前客流较大，取号暂时限量，可使用手机银行或预约其他时段。",
        "lobby_message_en": (
            "The branch is very busy: tickets are limited for now. Try mobile banking or book a later slot."
        ),
        "steps": [
            {"minutes": 5, "text": "增开窗口，调配弹性柜员"},
            {"minutes": 10, "text": "大堂经理引导客户使用自助设备和手机银行"},
            {"minutes": 15, "text": "维持排队秩序，关注老年客户"},
        ],
    },
    {
        "kind": "health",
        "level": 3,
        "ticketing": "normal",
        "ticket_limit": 0,
        "lobby_message_zh": "大堂正在处理紧急情况，请为救护让出通道，业务照常办理。",
        "lobby_message_en": (
            "We are helping someone who is unwell: please keep the way clear. Service continues."
        ),
        "steps": [
            {"minutes": 1, "text": "拨打120，说明网点地址"},
            {"minutes": 2, "text": "取出急救箱/AED，由持证员工施救"},
            {"minutes": 5, "text": "疏散围观人员，留出急救通道"},
            {"minutes": 10, "text": "到门口引导救护人员"},
            {"minutes": 30, "text": "联系客户家属并记录经过"},
        ],
    },
    {
        "kind": "fraud",
        "level": 2,
        "ticketing": "normal",
        "ticket_limit": 0,
        "lobby_message_zh": "提醒：不要向陌生人转账，警惕冒充公检法、客服的诈骗。",
        "lobby_message_en": (
            "Reminder: never transfer money to strangers; beware of callers posing as police or bank staff."
        ),
        "steps": [
            {"minutes": 5, "text": "暂缓可疑交易，安抚客户"},
            {"minutes": 10, "text": "为客户提交冻卡和争议止付（欺诈案件）"},
            {"minutes": 15, "text": "拨打110或96110报警"},
            {"minutes": 60, "text": "填写可疑交易线索报告"},
        ],
    },
]


def seed(playbook_model) -> None:
    """Create any of the six plans that is missing; plans head office already edited stay as they are."""
    for plan in SEED:
        playbook_model.objects.get_or_create(
            kind=plan["kind"], defaults={key: value for key, value in plan.items() if key != "kind"}
        )
