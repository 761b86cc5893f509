"""The standard checklist, written from the Chinese banking association's branch service standards
(《银行营业网点服务基本规范》 and the civilised-service evaluation of the 千佳/百佳 programme):
greeting and etiquette, environment, process, compliance, special groups. Weights run 1–10; the
heavier an item, the more a failure costs the score.

`seed` is shared by the data migration and the tests' fixtures (transactional tests flush the
migration's rows)."""

STANDARD_CODE = "branch-service"
STANDARD_NAME = ("网点服务质量检查表", "Branch service quality checklist")

# (code, section, Chinese, English, weight)
ITEMS = [
    (
        "greet-stand",
        "greeting",
        "客户临柜时起身或点头微笑迎接，使用“您好”等文明用语",
        "Stands or nods and smiles when the customer reaches the counter, greets them politely",
        5,
    ),
    (
        "greet-lobby",
        "greeting",
        "大堂经理主动迎候、询问需求并引导分流",
        "Lobby manager greets arriving customers, asks what they need and directs them",
        6,
    ),
    (
        "dress-badge",
        "greeting",
        "员工统一着装、佩戴工号牌，仪容整洁",
        "Staff in uniform with name badge, neat appearance",
        4,
    ),
    (
        "farewell",
        "greeting",
        "服务结束时使用“请慢走”等送别用语",
        "Says a polite goodbye at the end of the service",
        3,
    ),
    (
        "no-private",
        "greeting",
        "柜员服务时不接打私人电话、不闲聊、不做与业务无关的事",
        "No private calls, chatting or unrelated work while serving",
        5,
    ),
    (
        "env-clean",
        "environment",
        "营业厅地面、柜台、座椅清洁无杂物",
        "Floor, counters and seats clean and tidy",
        4,
    ),
    (
        "env-signs",
        "environment",
        "功能分区标识、窗口业务指示牌清晰准确",
        "Zone signs and counter service signs clear and correct",
        4,
    ),
    (
        "env-notices",
        "environment",
        "营业时间、服务价格、投诉电话等信息公示齐全",
        "Opening hours, service prices and complaint hotline on display",
        6,
    ),
    (
        "env-devices",
        "environment",
        "自助设备运行正常，故障设备有停用提示",
        "Self-service machines working; out-of-order ones marked",
        5,
    ),
    (
        "env-waiting",
        "environment",
        "等候区座椅充足，配备饮水、老花镜、笔等便民设施",
        "Enough seats; water, reading glasses and pens in the waiting area",
        3,
    ),
    (
        "proc-queue",
        "process",
        "叫号有序，无插队，客户等候时间符合承诺",
        "Calls in order, no queue jumping, waits within the published promise",
        6,
    ),
    (
        "proc-id",
        "process",
        "按规定核验客户身份证件，并告知核验目的",
        "Checks the customer's ID as required and says why",
        8,
    ),
    (
        "proc-explain",
        "process",
        "主动说明业务办理流程、所需材料和办理时长",
        "Explains the steps, documents needed and how long it takes",
        4,
    ),
    (
        "proc-accuracy",
        "process",
        "业务办理准确高效，单据填写有指导",
        "Handles the transaction correctly and quickly, helps with the form",
        5,
    ),
    (
        "proc-receipt",
        "process",
        "办理完毕提醒客户核对回单并妥善保管凭证与证件",
        "Asks the customer to check the receipt and keep documents safe",
        4,
    ),
    (
        "comp-risk",
        "compliance",
        "销售理财产品前完成风险测评并双录",
        "Risk assessment and audio-video recording before selling wealth products",
        10,
    ),
    (
        "comp-disclose",
        "compliance",
        "主动披露产品风险及收费，不夸大收益",
        "Discloses product risks and fees, no exaggerated returns",
        9,
    ),
    (
        "comp-privacy",
        "compliance",
        "客户信息保密，屏幕与单据不被他人窥视",
        "Customer information kept private; screens and forms not visible to others",
        8,
    ),
    (
        "comp-antifraud",
        "compliance",
        "大额转账、异常交易进行反诈风险提示",
        "Anti-fraud warning for large or unusual transfers",
        8,
    ),
    (
        "comp-complaint",
        "compliance",
        "投诉受理渠道畅通，首问负责",
        "Complaints taken and owned by the first person asked",
        6,
    ),
    (
        "sg-priority",
        "special_groups",
        "老年人、残障人士、孕妇等享受优先办理",
        "Priority service for elderly, disabled and pregnant customers",
        7,
    ),
    (
        "sg-access",
        "special_groups",
        "无障碍通道畅通，配备轮椅、爱心座椅",
        "Step-free access clear; wheelchair and priority seats available",
        6,
    ),
    (
        "sg-cash",
        "special_groups",
        "不拒收现金，保留人工服务渠道",
        "Cash accepted; a staffed counter kept for those who cannot use machines",
        7,
    ),
    (
        "sg-patient",
        "special_groups",
        "耐心协助老年客户使用智能设备，不代客操作密码",
        "Patient help for elderly customers with machines; never types their PIN for them",
        6,
    ),
    (
        "sg-home",
        "special_groups",
        "对行动不便客户提供上门或绿色通道服务",
        "Home visits or a fast lane for customers who cannot come in",
        5,
    ),
]


def seed(checklist_model, version_model, item_model, *, now) -> None:
    """Create the standard checklist's first version unless head office already has one."""
    zh, en = STANDARD_NAME
    checklist, _created = checklist_model.objects.get_or_create(
        code=STANDARD_CODE, defaults={"name_zh_hans": zh, "name_en": en}
    )
    if version_model.objects.filter(checklist=checklist).exists():
        return
    version = version_model.objects.create(
        checklist=checklist, number=1, published_at=now, note="《银行营业网点服务基本规范》"
    )
    item_model.objects.bulk_create(
        item_model(
            version=version,
            code=code,
            section=section,
            text_zh_hans=text_zh,
            text_en=text_en,
            weight=weight,
            sort=sort,
        )
        for sort, (code, section, text_zh, text_en, weight) in enumerate(ITEMS)
    )
