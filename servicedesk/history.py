"""The three-level category tree and a demo history of past work orders to train the classifier on.

The history is generated from short phrases a customer or a teller would write, wrapped in the
openings and endings people use; it is deterministic (fixed seed) so the benchmark is repeatable.
Held-out texts for the benchmark are written separately, in other words, in bench/servicedesk/.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str
    name_zh_hans: str
    name_en: str

    @property
    def level(self) -> int:
        return self.code.count(".") + 1

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None


# business line → problem type → detail
TREE: list[Category] = [
    Category("card", "银行卡", "Bank cards"),
    Category("card.fee", "收费争议", "Fee disputes"),
    Category("card.fee.annual", "年费", "Annual fee"),
    Category("card.fee.sms", "短信通知费", "SMS alert fee"),
    Category("card.device", "卡片问题", "Card problems"),
    Category("card.device.retained", "ATM吞卡", "Card retained by ATM"),
    Category("card.device.lost", "挂失补卡", "Lost card and replacement"),
    Category("card.txn", "交易异常", "Transaction problems"),
    Category("card.txn.fraud", "盗刷", "Unauthorised transaction"),
    Category("card.txn.not_credited", "扣款未到账", "Debited but not credited"),
    Category("loan", "贷款", "Loans"),
    Category("loan.approval", "审批进度", "Approval progress"),
    Category("loan.approval.mortgage", "房贷审批", "Mortgage approval"),
    Category("loan.approval.business", "经营贷审批", "Business loan approval"),
    Category("loan.repay", "还款", "Repayment"),
    Category("loan.repay.early", "提前还款", "Early repayment"),
    Category("loan.repay.credit_report", "征信异议", "Credit report dispute"),
    Category("wealth", "理财", "Wealth management"),
    Category("wealth.selling", "销售合规", "Sales conduct"),
    Category("wealth.selling.risk_not_disclosed", "风险未告知", "Risk not disclosed"),
    Category("wealth.selling.risk_mismatch", "风险等级不匹配", "Risk level mismatch"),
    Category("wealth.returns", "收益与赎回", "Returns and redemption"),
    Category("wealth.returns.loss", "收益不及预期", "Returns below expectation"),
    Category("wealth.returns.redemption", "赎回到账慢", "Slow redemption"),
    Category("fx", "外汇与跨境", "FX and cross-border"),
    Category("fx.remit", "跨境汇款", "Cross-border remittance"),
    Category("fx.remit.not_arrived", "汇款未到账", "Remittance not arrived"),
    Category("fx.remit.returned", "汇款被退回", "Remittance returned"),
    Category("fx.compliance", "外汇合规", "FX compliance"),
    Category("fx.compliance.quota", "购汇额度", "FX purchase quota"),
    Category("fx.compliance.purpose", "用途申报", "Purpose declaration"),
    Category("branch", "网点服务", "Branch service"),
    Category("branch.queue", "排队等候", "Queueing"),
    Category("branch.queue.long_wait", "等候时间长", "Long wait"),
    Category("branch.queue.calling", "叫号混乱", "Calling out of order"),
    Category("branch.staff", "服务态度", "Staff conduct"),
    Category("branch.staff.attitude", "柜员态度差", "Rude teller"),
    Category("branch.staff.pushy", "强行推销", "Pushy selling"),
    Category("branch.facility", "设施环境", "Facilities"),
    Category("branch.facility.atm", "自助设备故障", "Self-service machine fault"),
    Category("branch.facility.access", "无障碍设施", "Accessibility"),
    Category("digital", "电子渠道", "Digital channels"),
    Category("digital.app", "手机银行", "Mobile banking"),
    Category("digital.app.login", "登录失败", "Cannot sign in"),
    Category("digital.app.limit", "转账限额", "Transfer limit"),
    Category("digital.identity", "身份核验", "Identity checks"),
    Category("digital.identity.face", "人脸识别失败", "Face check fails"),
    Category("digital.identity.verify", "核实客户身份", "Verify customer identity"),
]
LEAVES = [c for c in TREE if c.level == 3]
BY_CODE = {c.code: c for c in TREE}

PHRASES: dict[str, list[str]] = {
    "card.fee.annual": [
        "借记卡被扣了年费",
        "从来没用过的卡也收年费",
        "年费没有提前告知就扣了",
        "办卡时说免年费现在却收费",
        "要求退还信用卡年费",
        "小额账户管理费和年费一起扣",
        "工资卡每年扣十元年费",
        "年费减免条件没达到就被扣",
    ],
    "card.fee.sms": [
        "短信通知服务费每月扣两块",
        "没开通短信提醒却收了短信费",
        "动账短信收费不合理",
        "取消短信通知后还在扣费",
        "短信服务费没经过我同意",
        "每个月都有短信提醒费扣款",
        "要求退回短信通知费",
        "不知道什么时候开的短信服务",
    ],
    "card.device.retained": [
        "取款机把我的卡吞了",
        "ATM吞卡了怎么取回",
        "在自助机取钱卡被吞",
        "卡被取款机吃掉了",
        "吞卡后一直没人处理",
        "存款机吞卡要求尽快退卡",
        "晚上在ATM取款时卡被吞",
        "机器吞卡后屏幕黑了",
    ],
    "card.device.lost": [
        "银行卡丢了需要挂失",
        "钱包丢了要补办银行卡",
        "挂失后补卡太慢",
        "口头挂失以后怎么办理正式挂失",
        "补卡要收工本费",
        "卡片遗失申请补发新卡",
        "挂失补卡要排很久的队",
        "外地丢卡能不能异地补办",
    ],
    "card.txn.fraud": [
        "卡在身上却被盗刷了",
        "收到陌生消费短信不是我本人消费",
        "半夜有几笔境外消费被盗刷",
        "账户被盗刷要求冻结",
        "有人盗用我的卡网上消费",
        "不是本人操作的转账被转走",
        "银行卡被复制盗刷",
        "没有授权的快捷支付扣款",
    ],
    "card.txn.not_credited": [
        "转账扣款了对方没收到",
        "钱扣了但是没到账",
        "跨行转账显示成功却未入账",
        "取款没出钞但是账户扣款",
        "存款机存钱没有入账",
        "还款扣了钱账单没显示",
        "扣款成功对方账户一直没到",
        "缴费扣款了但缴费没成功",
    ],
    "loan.approval.mortgage": [
        "房贷审批进度查询",
        "住房贷款申请一个月还没批",
        "按揭贷款什么时候放款",
        "购房贷款审批太慢耽误过户",
        "公积金组合贷审批到哪一步了",
        "房贷资料交齐了还在审核",
        "开发商催放款房贷还没批",
        "二手房按揭审批进展",
    ],
    "loan.approval.business": [
        "经营贷申请进度",
        "小微企业贷款审批很久没结果",
        "个体户经营性贷款什么时候批",
        "企业流动资金贷款审批进度",
        "普惠贷款申请后没人联系",
        "经营贷需要补充哪些材料",
        "小微贷审批卡在风控",
        "抵押经营贷评估进度",
    ],
    "loan.repay.early": [
        "想提前还清房贷",
        "提前还款要预约多久",
        "提前还款收违约金不合理",
        "部分提前还款怎么办理",
        "提前还贷申请一直排不上",
        "提前还款后月供没变",
        "想缩短贷款期限提前还一部分",
        "提前结清贷款需要什么手续",
    ],
    "loan.repay.credit_report": [
        "征信报告显示逾期但我按时还了",
        "征信有错误记录要求更正",
        "自动扣款失败导致征信逾期",
        "申请征信异议处理",
        "没有贷款征信上却有记录",
        "逾期记录影响我买房要求消除",
        "征信上的担保信息不对",
        "还款日扣款失败上了征信",
    ],
    "wealth.selling.risk_not_disclosed": [
        "买理财时没有告诉我有风险",
        "经理说保本结果亏了",
        "销售时没有说明产品风险",
        "没有双录就让我签了字",
        "理财经理夸大收益隐瞒风险",
        "说是存款其实是理财产品",
        "签合同时没解释亏损可能",
        "把基金说成定期存款卖给我",
    ],
    "wealth.selling.risk_mismatch": [
        "我是保守型却卖给我高风险产品",
        "风险测评被经理代填",
        "老人风险承受能力低却买了高风险基金",
        "风险评估等级和产品不匹配",
        "测评结果是稳健型被推荐了R5产品",
        "风险问卷是工作人员帮我勾的",
        "七十多岁的老人被卖了私募",
        "没有重新测评就买了高风险理财",
    ],
    "wealth.returns.loss": [
        "理财收益比宣传的低很多",
        "净值型理财亏损了",
        "基金亏了三成",
        "理财到期收益达不到业绩比较基准",
        "买的理财产品净值一直下跌",
        "收益率远低于预期",
        "说年化四个点结果只有一点",
        "理财本金出现亏损",
    ],
    "wealth.returns.redemption": [
        "理财赎回很多天没到账",
        "基金赎回款迟迟未到",
        "申请赎回后钱一直不到",
        "理财到期资金没有按时回到账户",
        "赎回到账时间比说的长",
        "急用钱赎回理财却到不了账",
        "赎回申请被拒绝",
        "大额赎回被延期",
    ],
    "fx.remit.not_arrived": [
        "汇往美国的款项一周还没到",
        "境外汇款对方没收到",
        "给留学的孩子汇学费没到账",
        "电汇出去的钱查不到下落",
        "国际汇款显示已汇出但收款行没有",
        "汇到香港的钱还没入账",
        "SWIFT汇款查询进度",
        "跨境汇款到账太慢",
    ],
    "fx.remit.returned": [
        "境外汇款被退回来了",
        "收款行退汇扣了手续费",
        "汇款信息有误被退回",
        "汇出的外币被中间行退回",
        "退汇后汇率损失谁承担",
        "国外寄来的汇款被退了",
        "退汇款项还没回到账户",
        "因收款人名字不符被退汇",
    ],
    "fx.compliance.quota": [
        "每年五万美元购汇额度用完了",
        "购汇额度不够交学费",
        "个人购汇超额度怎么办",
        "购汇时系统提示额度不足",
        "想多换点美元被拒",
        "购汇额度查询",
        "家人能不能帮我购汇",
        "结汇售汇额度限制",
    ],
    "fx.compliance.purpose": [
        "购汇用途申报填什么",
        "外汇用途说明被要求补材料",
        "购汇时需要申报旅游用途",
        "外汇合规问题咨询用途证明",
        "留学购汇需要提供录取通知书吗",
        "境外投资用途不能购汇",
        "购汇申报书怎么填写",
        "外汇业务需要哪些用途证明",
    ],
    "branch.queue.long_wait": [
        "在网点排队等了两个小时",
        "等候时间太长只开一个窗口",
        "排队一上午没办成业务",
        "取号后等了很久还没叫到",
        "窗口少人多等待太久",
        "午休时间窗口全关了排长队",
        "预约了还要排队很久",
        "办个业务等一个多小时",
    ],
    "branch.queue.calling": [
        "叫号顺序乱了后来的先办",
        "号码被跳过没有叫我",
        "叫号屏和广播不一致",
        "VIP插队普通客户一直不叫",
        "过号了要重新取号不合理",
        "叫号系统乱叫",
        "我的号被别人办了",
        "广播叫号听不清错过了",
    ],
    "branch.staff.attitude": [
        "柜员态度恶劣",
        "工作人员不耐烦还翻白眼",
        "柜台人员说话很冲",
        "大堂经理对老人很不客气",
        "柜员一边玩手机一边办业务",
        "问了两遍就被呵斥",
        "服务人员态度冷漠",
        "工作人员对我大声嚷嚷",
    ],
    "branch.staff.pushy": [
        "办业务时被强行推销保险",
        "不买理财就不给办业务",
        "反复打电话推销信用卡",
        "存款时被推销买保险",
        "柜员捆绑销售基金",
        "要求办信用卡才给开户",
        "大堂经理一直缠着推销产品",
        "被推销贵金属不胜其烦",
    ],
    "branch.facility.atm": [
        "自助机坏了没人修",
        "存款机一直显示故障",
        "自助终端死机",
        "取款机不能用了好几天",
        "智能柜台无法打印回单",
        "自助设备屏幕失灵",
        "网点的取款机没钱了",
        "填单机坏了",
    ],
    "branch.facility.access": [
        "网点门口没有轮椅坡道",
        "坐轮椅进不了网点",
        "没有爱心窗口老人只能站着等",
        "盲人客户没有语音提示",
        "无障碍通道被堆放杂物",
        "老年人没有座位休息",
        "听障客户沟通没有手写板",
        "网点台阶太高老人上不去",
    ],
    "digital.app.login": [
        "手机银行登录不上",
        "手机银行一直提示密码错误",
        "换了手机后无法登录手机银行",
        "网银登录被锁定",
        "APP更新后进不去",
        "登录手机银行收不到验证码",
        "手机银行闪退",
        "登录提示设备未绑定",
    ],
    "digital.app.limit": [
        "手机银行转账限额太低",
        "想提高转账额度",
        "单笔转账超过限额",
        "日累计转账额度不够",
        "非柜面转账限额怎么调整",
        "转账被限额影响付房款",
        "账户被降低了转账限额",
        "无法提高手机银行支付限额",
    ],
    "digital.identity.face": [
        "刷脸认证一直失败",
        "人脸识别通不过",
        "人脸核验提示不是本人",
        "老人刷脸识别不了",
        "自助机人脸比对失败",
        "人脸识别总说光线不足",
        "戴眼镜刷脸不成功",
        "刷脸开户识别失败",
    ],
    "digital.identity.verify": [
        "协助核实客户身份",
        "客户身份证件存疑需要核实",
        "请联网核查客户身份证",
        "代理人办理需要核实委托关系",
        "客户证件过期需核实身份",
        "需要公安联网核查结果",
        "核实客户是否本人办理",
        "身份信息与系统不一致需核实",
    ],
}

OPENINGS = [
    "",
    "",
    "你好，",
    "我要投诉，",
    "请问一下，",
    "客户反映：",
    "客户来电称",
    "客户来信：",
    "网点转来：",
    "您好，我想问",
    "麻烦帮忙看下，",
    "我是你们的老客户，",
    "部门协查：",
]
ENDINGS = [
    "",
    "",
    "。",
    "，请尽快处理。",
    "，希望给个说法。",
    "，怎么办？",
    "，请回复。",
    "，已经好几天了。",
    "，非常不满意。",
    "，麻烦跟进。",
    "，请协助。",
]


def demo_history(*, per_leaf: int = 12, seed: int = 9) -> list[tuple[str, str]]:
    """Past work orders as (text, detail category code) pairs."""
    rng = random.Random(seed)
    rows: list[tuple[str, str]] = []
    for code, phrases in PHRASES.items():
        for i in range(per_leaf):
            core = phrases[i % len(phrases)]
            if i >= len(phrases):
                # Some past work orders mention two symptoms of the same problem.
                core = f"{core}，{rng.choice([p for p in phrases if p != core])}"
            rows.append((f"{rng.choice(OPENINGS)}{core}{rng.choice(ENDINGS)}", code))
    rng.shuffle(rows)
    return rows
