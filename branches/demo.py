"""Demo branch network: two branches, zones, counters, kiosks, a VTM, a lobby screen, ~20
services with their business forms, departments and staff for every role."""

import datetime as dt
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from branches.demo_floorplan import seed_floor_plan
from branches.models import (
    Branch,
    Department,
    Device,
    FormSchema,
    OpeningHours,
    ServicePoint,
    ServiceType,
    StaffProfile,
    Zone,
)
from branches.roles import Role, sync_role_groups
from branches.services import device_issue_token

DEMO_PASSWORD = "Demo#2026"
DEMO_TOKENS_FILE = settings.BASE_DIR / "var" / "demo_device_tokens.json"
DEMO_BRANCH = "DEMO01"  # the demo branch open 24 hours (Branch.is_demo)

# Short, as branches sign them: the lobby screen shows each beside its counts, read from 5 m.
ZONES = [("cash", "现金区", "Cash", "A"), ("non_cash", "非现金区", "Non-cash", "B"),
         ("vip", "贵宾区", "VIP", "V"), ("wealth", "理财区", "Wealth", "W"),
         ("self_service", "自助区", "Self-service", "S")]


def _f(name, type_, zh, en, *, required=True, pii=False, **extra):
    return {"name": name, "type": type_, "label": {"zh-hans": zh, "en": en},
            "help": extra.pop("help", {"zh-hans": "", "en": ""}), "required": required,
            "pii": pii, **extra}


def _choices(*pairs):
    return [{"value": value, "label": {"zh-hans": zh, "en": en}} for value, zh, en in pairs]


IDENTITY = [
    _f("full_name", "text", "姓名", "Full name"),
    _f("id_number", "resident_id", "身份证号码", "Resident ID number", pii=True,
       help={"zh-hans": "18位，末位可能为X", "en": "18 characters; the last may be X"}),
    _f("phone", "phone", "手机号码", "Mobile number", pii=True),
]
ACCOUNT = _f("account_number", "card_number", "银行卡号/账号", "Card or account number", pii=True)
AMOUNT = _f("amount", "money", "金额", "Amount", currency="CNY")

# code, zh, en, category, complexity, minutes, kiosk, vtm, counter, zone, risk, appointment,
# keywords, extra form fields
SERVICES = [
    ("CASH_DEPOSIT", "现金存款", "Cash deposit", "deposit", "instant", 5, True, False, True,
     "cash", "", False, "存钱 存款 现金", [ACCOUNT, AMOUNT]),
    ("CASH_WITHDRAWAL", "现金取款", "Cash withdrawal", "deposit", "instant", 5, True, False, True,
     "cash", "", False, "取钱 取款 现金", [ACCOUNT, AMOUNT]),
    ("LARGE_CASH_WITHDRAWAL", "大额现金取款（5万元及以上）", "Large cash withdrawal (≥ 50,000 CNY)",
     "deposit", "complex", 15, False, False, True, "cash", "", True, "大额 取现 预约",
     [ACCOUNT, AMOUNT, _f("purpose", "choice", "用途", "Purpose", choices=_choices(
         ("purchase", "购房购车", "Home or car purchase"), ("business", "经营周转", "Business"),
         ("medical", "医疗", "Medical"), ("other", "其他", "Other"))),
      _f("purpose_detail", "text", "其他用途说明", "Other purpose", required=True,
         when={"field": "purpose", "equals": "other"})]),
    ("TRANSFER", "转账汇款", "Transfer", "transfer", "instant", 5, True, True, True, "non_cash", "",
     False, "转账 汇款 打款", [ACCOUNT, _f("payee_name", "text", "收款人姓名", "Payee name"),
                            _f("payee_account", "card_number", "收款账号", "Payee account",
                               pii=True), AMOUNT]),
    ("CARD_LOSS", "挂失", "Report a lost card", "card", "instant", 5, True, True, True, "non_cash",
     "", False, "挂失 丢卡 卡丢了", [ACCOUNT, _f("loss_type", "choice", "挂失类型", "Type",
                                         choices=_choices(("card", "卡片挂失", "Card"),
                                                          ("password", "密码挂失", "Password")))]),
    ("CARD_REPLACEMENT", "补换卡", "Replace a card", "card", "complex", 10, False, True, True,
     "non_cash", "", False, "补卡 换卡 芯片卡", [ACCOUNT]),
    ("ACCOUNT_OPENING", "个人开户", "Open a personal account", "account", "complex", 15, False, True,
     True, "non_cash", "", False, "开户 办卡 新卡",
     [_f("address", "address", "联系地址", "Address"),
      _f("occupation", "choice", "职业", "Occupation", choices=_choices(
          ("employee", "企业职工", "Employee"), ("civil", "公务员/事业单位", "Civil service"),
          ("self", "个体工商户", "Self-employed"), ("retired", "退休", "Retired"),
          ("student", "学生", "Student"))),
      _f("id_photo", "document_photo", "身份证照片", "Photo of ID card", required=False)]),
    ("ACCOUNT_CLOSURE", "销户", "Close an account", "account", "complex", 15, False, False, True,
     "non_cash", "", False, "销户 注销 注销账户", [ACCOUNT]),
    ("PASSWORD_RESET", "密码重置", "Reset a password", "card", "instant", 5, True, True, True,
     "non_cash", "", False, "忘记密码 重置密码", [ACCOUNT]),
    ("PROFILE_UPDATE", "客户信息变更", "Update personal details", "account", "instant", 5, True,
     True, True, "non_cash", "", False, "改手机号 变更信息 地址",
     [_f("new_phone", "phone", "新手机号码", "New mobile number", required=False, pii=True),
      _f("new_address", "address", "新地址", "New address", required=False)]),
    ("TIME_DEPOSIT", "定期存款", "Time deposit", "deposit", "instant", 5, True, False, True,
     "non_cash", "", False, "定期 存定期 利息",
     [ACCOUNT, AMOUNT, _f("term", "choice", "存期", "Term", choices=_choices(
         ("3m", "三个月", "3 months"), ("1y", "一年", "1 year"), ("3y", "三年", "3 years")))]),
    ("LARGE_CD", "大额存单", "Large certificate of deposit", "wealth", "complex", 10, False, False,
     True, "wealth", "R1", False, "大额存单 存单", [ACCOUNT, AMOUNT]),
    ("WEALTH_PRODUCT", "理财产品购买", "Buy a wealth management product", "wealth", "complex", 15,
     False, False, True, "wealth", "R3", False, "理财 买理财 净值",
     [ACCOUNT, AMOUNT, _f("product_code", "text", "产品代码", "Product code")]),
    ("FUND_PURCHASE", "基金申购", "Buy a mutual fund", "wealth", "complex", 15, False, False, True,
     "wealth", "R4", False, "基金 申购 定投",
     [ACCOUNT, AMOUNT, _f("fund_code", "text", "基金代码", "Fund code")]),
    ("RISK_ASSESSMENT", "风险承受能力评估", "Risk tolerance assessment", "wealth", "complex", 10,
     False, True, True, "wealth", "", False, "风险测评 风评 评估", []),
    ("MORTGAGE", "个人住房贷款", "Home loan", "loan", "special", 30, False, False, True, "wealth",
     "", False, "房贷 按揭 首套房 LPR",
     [AMOUNT, _f("property_address", "address", "房产地址", "Property address"),
      _f("first_home", "choice", "是否首套房", "First home?", choices=_choices(
          ("yes", "是", "Yes"), ("no", "否", "No")))]),
    ("CONSUMER_LOAN", "个人消费贷款", "Personal consumer loan", "loan", "special", 30, False, False,
     True, "non_cash", "", False, "消费贷 贷款 借钱", [AMOUNT]),
    ("FX_EXCHANGE", "外币兑换", "Currency exchange", "fx", "complex", 10, False, False, True,
     "non_cash", "", False, "换汇 美元 美金 外币",
     [ACCOUNT, _f("currency", "choice", "币种", "Currency", choices=_choices(
         ("USD", "美元", "US dollar"), ("EUR", "欧元", "Euro"), ("HKD", "港币", "HK dollar"),
         ("JPY", "日元", "Yen"))), AMOUNT]),
    ("CROSS_BORDER_REMITTANCE", "跨境汇款", "Cross-border remittance", "remittance", "special", 30,
     False, False, True, "non_cash", "", False, "境外汇款 留学汇款 SWIFT",
     [ACCOUNT, AMOUNT, _f("beneficiary_name", "text", "收款人姓名（英文）", "Beneficiary name"),
      _f("swift_code", "text", "SWIFT代码", "SWIFT code"),
      _f("purpose", "choice", "汇款用途", "Purpose", choices=_choices(
          ("tuition", "留学学费", "Tuition"), ("living", "生活费", "Living costs"),
          ("travel", "旅游", "Travel")))]),
    ("STATEMENT_PRINT", "流水打印", "Print a statement", "account", "instant", 3, True, True, True,
     "self_service", "", False, "流水 对账单 打印", [ACCOUNT]),
    ("BILL_PAYMENT", "生活缴费", "Pay a utility bill", "transfer", "instant", 3, True, False, True,
     "self_service", "", False, "缴费 水电煤 话费", [ACCOUNT, AMOUNT]),
    ("SOCIAL_SECURITY_CARD", "社保卡业务", "Social security card", "card", "complex", 15, False,
     False, True, "non_cash", "", False, "社保卡 医保 养老金", []),
]

COUNTERS = [  # code, zone, services (None = everything a counter can do)
    ("01", "cash", ["CASH_DEPOSIT", "CASH_WITHDRAWAL", "LARGE_CASH_WITHDRAWAL", "TRANSFER",
                    "BILL_PAYMENT"]),
    ("02", "cash", ["CASH_DEPOSIT", "CASH_WITHDRAWAL", "LARGE_CASH_WITHDRAWAL", "TRANSFER",
                    "FX_EXCHANGE"]),
    ("03", "non_cash", ["TRANSFER", "CARD_LOSS", "CARD_REPLACEMENT", "ACCOUNT_OPENING",
                        "ACCOUNT_CLOSURE", "PASSWORD_RESET", "PROFILE_UPDATE", "TIME_DEPOSIT",
                        "STATEMENT_PRINT", "SOCIAL_SECURITY_CARD", "CONSUMER_LOAN"]),
    ("04", "non_cash", ["TRANSFER", "CARD_LOSS", "CARD_REPLACEMENT", "ACCOUNT_OPENING",
                        "PASSWORD_RESET", "PROFILE_UPDATE", "FX_EXCHANGE",
                        "CROSS_BORDER_REMITTANCE", "TIME_DEPOSIT"]),
    ("05", "vip", None),
    ("06", "wealth", ["LARGE_CD", "WEALTH_PRODUCT", "FUND_PURCHASE", "RISK_ASSESSMENT",
                      "MORTGAGE", "CONSUMER_LOAN", "TIME_DEPOSIT"]),
]

# Work profiles: the queues each counter calls from, in this order (its own zone's queue first;
# V before the secondary queue so a VIP never waits behind it; S for self-service business a
# customer chose to do at a counter; W only at the VIP and wealth desks).
WORK_PROFILES = {"01": ["A", "V", "B", "S"], "02": ["A", "V", "B", "S"],
                 "03": ["B", "V", "A", "S"], "04": ["B", "V", "A", "S"],
                 "05": ["V", "W", "A", "B"], "06": ["W", "V", "A", "B"]}

DEPARTMENTS = [("HO-CREDIT", "credit", "信贷管理部", "Credit"),
               ("HO-FX", "fx", "国际业务部", "International banking"),
               ("HO-WEALTH", "wealth", "财富管理部", "Wealth management"),
               ("HO-RISK", "risk_compliance", "风险合规部", "Risk and compliance"),
               ("HO-CS", "customer_service", "客户服务中心", "Customer service centre"),
               ("HO-OPS", "operations", "运营管理部", "Operations")]


def _user(username, first, last, role, **profile):
    User = get_user_model()
    user = User.objects.create_user(username, password=DEMO_PASSWORD, first_name=first,
                                    last_name=last, email=f"{username}@bank.example")
    user.groups.add(Group.objects.get(name=role))
    skills = profile.pop("skills", [])
    staff = StaffProfile.objects.create(user=user, role=role, **profile)
    staff.skills.set(skills)
    return user


def _branch(code, zh, en, region, address, lat, lon):
    branch = Branch.objects.create(code=code, name_zh_hans=zh, name_en=en, region=region,
                                   address_zh_hans=address[0], address_en=address[1],
                                   latitude=lat, longitude=lon,
                                   phone="95588")
    for kind, zone_zh, zone_en, prefix in ZONES:
        Zone.objects.create(branch=branch, kind=kind, name_zh_hans=zone_zh, name_en=zone_en,
                            ticket_prefix=prefix)
    for weekday in range(5):
        OpeningHours.objects.create(branch=branch, weekday=weekday, opens=dt.time(9),
                                    closes=dt.time(17))
    for weekday in (5, 6):
        OpeningHours.objects.create(branch=branch, weekday=weekday, opens=dt.time(9, 30),
                                    closes=dt.time(16))
    return branch


def _service_points(branch, services, counters):
    zones = {zone.kind: zone for zone in branch.zones.all()}
    counter_capable = [s for s in services.values() if s.allow_counter]
    for code, zone, codes in counters:
        point = ServicePoint.objects.create(branch=branch, zone=zones[zone], kind="counter",
                                            code=code, name_zh_hans=f"{int(code)}号窗口",
                                            name_en=f"Counter {int(code)}",
                                            work_queues=WORK_PROFILES.get(code, []))
        point.service_types.set(counter_capable if codes is None else
                                [services[c] for c in codes])
    kiosk_services = [s for s in services.values() if s.allow_kiosk]
    vtm_services = [s for s in services.values() if s.allow_vtm]
    points = []
    for code, kind, zh, en, offered, caps in [
        ("K1", "kiosk", "1号智能柜员机", "Kiosk 1", kiosk_services,
         {"camera": True, "printer": True, "card_reader": True}),
        ("K2", "kiosk", "2号智能柜员机", "Kiosk 2", kiosk_services,
         {"camera": True, "printer": True, "card_reader": True}),
        ("VTM1", "vtm", "远程视频柜员机", "Video teller", vtm_services,
         {"camera": True, "printer": True, "id_reader": True, "microphone": True}),
    ]:
        point = ServicePoint.objects.create(branch=branch, zone=zones["self_service"], kind=kind,
                                            code=code, name_zh_hans=zh, name_en=en,
                                            status="open", capabilities=caps)
        point.service_types.set(offered)
        points.append(point)
    return points


@transaction.atomic
def seed(*, stdout) -> None:
    sync_role_groups()
    services = {}
    for order, (code, zh, en, category, complexity, minutes, kiosk, vtm, counter, zone, risk,
                appointment, keywords, fields) in enumerate(SERVICES):
        services[code] = ServiceType.objects.create(
            code=code, name_zh_hans=zh, name_en=en, category=category, complexity=complexity,
            target_minutes=minutes, allow_kiosk=kiosk, allow_vtm=vtm, allow_counter=counter,
            zone_kind=zone, risk_level=risk, needs_appointment=appointment, keywords=keywords,
            sort_order=order * 10)
        FormSchema.objects.create(service_type=services[code], version=1,
                                  fields=[*IDENTITY, *fields])

    bj = _branch("BJ001", "北京朝阳门支行", "Beijing Chaoyangmen Branch", "华北",
                 ("北京市东城区朝阳门北大街8号", "8 Chaoyangmen North Street, Dongcheng, Beijing"),
                 "39.924300", "116.434500")
    sh = _branch("SH001", "上海陆家嘴支行", "Shanghai Lujiazui Branch", "华东",
                 ("上海市浦东新区陆家嘴环路1000号", "1000 Lujiazui Ring Road, Pudong, Shanghai"),
                 "31.238500", "121.501700")
    bj_devices = _service_points(bj, services, COUNTERS)
    # Real branches keep real hours; this one is open around the clock so a newcomer (in any
    # time zone) can walk through tickets, the kiosk and the counter whenever they try.
    demo = _branch(DEMO_BRANCH, "演示网点（24小时营业）", "Demo branch (open 24 hours)", "演示",
                   ("仅供演示，非真实网点", "For demonstration only, not a real branch"), None, None)
    demo.is_demo = True
    demo.save(update_fields=["is_demo"])
    demo_devices = _service_points(demo, services, COUNTERS[:3] + COUNTERS[4:5])
    _service_points(sh, services, COUNTERS[:3] + COUNTERS[4:5])

    departments = {code: Department.objects.create(code=code, kind=kind, name_zh_hans=zh,
                                                   name_en=en)
                   for code, kind, zh, en in DEPARTMENTS}
    all_services = list(services.values())
    cash_services = [services[c] for c in COUNTERS[0][2]]
    non_cash = [services[c] for c in COUNTERS[2][2] + COUNTERS[3][2]]
    wealth = [services[c] for c in COUNTERS[5][2]]
    head = _user("hoadmin", "总行", "管理员", Role.HEAD_OFFICE_ADMIN, employee_no="H0001")
    head.is_staff = head.is_superuser = True
    head.save(update_fields=["is_staff", "is_superuser"])
    tellers = [("teller1", "王", "芳", cash_services, ["zh-hans"]),
               ("teller2", "李", "娜", cash_services + non_cash, ["zh-hans", "en"]),
               ("teller3", "张", "伟", non_cash, ["zh-hans"]),
               ("teller4", "刘", "洋", non_cash, ["zh-hans", "en"]),
               ("teller5", "陈", "静", all_services, ["zh-hans", "en"])]
    for index, (username, last, first, skills, languages) in enumerate(tellers, start=1):
        _user(username, first, last, Role.TELLER, employee_no=f"B{index:04d}", branch=bj,
              skills=skills, languages=languages, is_remote_teller=username == "teller5",
              seniority="senior" if index in (2, 5) else "junior")
    _user("wealth1", "敏", "赵", Role.WEALTH_MANAGER, employee_no="B0101", branch=bj,
          skills=wealth, languages=["zh-hans", "en"], seniority="senior")
    _user("lobby1", "磊", "孙", Role.LOBBY_MANAGER, employee_no="B0201", branch=bj,
          languages=["zh-hans", "en"])
    _user("badmin1", "强", "周", Role.BRANCH_ADMIN, employee_no="B0301", branch=bj)
    _user("compliance1", "丽", "吴", Role.COMPLIANCE_OFFICER, employee_no="H0101",
          department=departments["HO-RISK"])
    _user("dept_fx1", "军", "郑", Role.DEPARTMENT_STAFF, employee_no="H0201",
          department=departments["HO-FX"], seniority="senior",
          skills=[services["FX_EXCHANGE"], services["CROSS_BORDER_REMITTANCE"]])
    _user("dept_credit1", "杰", "冯", Role.DEPARTMENT_STAFF, employee_no="H0202",
          department=departments["HO-CREDIT"],
          skills=[services["MORTGAGE"], services["CONSUMER_LOAN"]])
    cs_head = _user("dept_head_cs", "梅", "何", Role.DEPARTMENT_HEAD, employee_no="H0301",
                    department=departments["HO-CS"])
    departments["HO-CS"].head = cs_head
    departments["HO-CS"].save(update_fields=["head"])
    for username, first, last, role, number in [
            ("teller_sh1", "琳", "黄", Role.TELLER, "S0001"),
            ("lobby_sh1", "涛", "徐", Role.LOBBY_MANAGER, "S0201"),
            ("badmin_sh1", "刚", "朱", Role.BRANCH_ADMIN, "S0301")]:
        _user(username, first, last, role, employee_no=number, branch=sh,
              skills=all_services if role == Role.TELLER else [])
    for username, first, last, role, number in [
            ("teller_demo", "演示", "柜员", Role.TELLER, "D0001"),
            ("lobby_demo", "演示", "大堂经理", Role.LOBBY_MANAGER, "D0201"),
            ("badmin_demo", "演示", "网点管理员", Role.BRANCH_ADMIN, "D0301")]:
        _user(username, first, last, role, employee_no=number, branch=demo,
              skills=all_services if role == Role.TELLER else [], languages=["zh-hans", "en"])

    from django_otp.plugins.otp_totp.models import TOTPDevice

    for username in ("hoadmin", "badmin1", "compliance1", "badmin_sh1"):
        TOTPDevice.objects.create(user=get_user_model().objects.get(username=username),
                                  name="demo authenticator", confirmed=True)
    admin = get_user_model().objects.get(username="badmin1")
    tokens = {}
    for point in bj_devices:
        kind = "vtm" if point.kind == "vtm" else "kiosk"
        device, token = device_issue_token(actor=admin, branch=bj, kind=kind, name=point.name_en,
                                           service_point=point)
        tokens[device.name] = token
    for kind, name in [(Device.Kind.LOBBY_SCREEN, "Lobby screen"),
                       (Device.Kind.ENTRANCE_CAMERA, "Entrance camera")]:
        device, token = device_issue_token(actor=admin, branch=bj, kind=kind, name=name)
        tokens[name] = token
    demo_admin = get_user_model().objects.get(username="badmin_demo")
    for point in demo_devices:
        kind = "vtm" if point.kind == "vtm" else "kiosk"
        device, token = device_issue_token(actor=demo_admin, branch=demo, kind=kind,
                                           name=f"{DEMO_BRANCH} {point.name_en}", service_point=point)
        tokens[device.name] = token
    device, token = device_issue_token(actor=demo_admin, branch=demo,
                                       kind=Device.Kind.LOBBY_SCREEN,
                                       name=f"{DEMO_BRANCH} Lobby screen")
    tokens[device.name] = token
    seed_floor_plan(bj, actor=admin)
    seed_floor_plan(demo, actor=demo_admin)
    DEMO_TOKENS_FILE.parent.mkdir(parents=True, exist_ok=True)
    DEMO_TOKENS_FILE.write_text(json.dumps(tokens, indent=2, ensure_ascii=False))
    stdout.write(f"branches: 2 branches and the 24-hour demo branch {DEMO_BRANCH}, "
                 f"{len(services)} services, staff for every role")
