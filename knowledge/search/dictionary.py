"""Banking vocabulary for the search core: jieba user words, stop words, default synonyms.

The synonym table here only seeds the admin-managed table (`knowledge.models.Synonym`); the
search core always receives the live table as an argument.
"""

# Words jieba must keep whole. Without them "大额存单" splits into 大额/存单 and "双录" into 双/录,
# so the title of the very article a teller is looking for stops matching as a phrase.
BANKING_WORDS: tuple[str, ...] = (
    "首套房", "首套住房", "二套房", "LPR", "双录", "大额存单", "整存整取", "零存整取", "通知存款",
    "存款保险", "个人养老金", "理财产品", "风险测评", "风险等级", "风险承受能力", "适当性",
    "冷静期", "犹豫期", "按揭", "房贷", "个人住房贷款", "公积金贷款", "组合贷", "等额本息",
    "等额本金", "提前还款", "重定价日", "消费贷", "信用卡", "免息期", "最低还款额", "账单分期",
    "年费", "宽限期", "购汇", "结汇", "现钞", "现汇", "便利化额度", "境外汇款", "跨境汇款",
    "电汇", "开户", "销户", "注销账户", "挂失", "补卡", "换卡", "密码重置", "转账限额",
    "非柜面", "大额取现", "存款证明", "征信", "信用报告", "反洗钱", "尽职调查", "受益所有人",
    "大额交易", "可疑交易", "断卡", "帮信罪", "个人信息保护", "数字人民币", "社保卡", "代办",
    "预留手机号", "止付", "紧急止付", "盗刷", "刷单", "冒充公检法", "长期不动户", "久悬账户",
    "一类户", "二类户", "三类户", "Ⅰ类户", "Ⅱ类户", "Ⅲ类户", "爱心窗口", "上门服务",
    "录音录像", "销售专区", "手机银行", "网上银行", "营业时间", "手续费", "外币", "美元", "美金",
    "欧元", "港币", "日元", "英镑", "人民币", "留学", "学费", "存单", "存折", "借记卡", "验证码",
)

# Function words and question particles: they carry no topic and would otherwise match every FAQ.
STOPWORDS_ZH: frozenset[str] = frozenset(
    "的 了 吗 呢 吧 啊 呀 么 是 我 你 您 他 她 它 我们 你们 和 与 及 或 在 有 也 都 就 还 又 这 那 "
    "这个 那个 一下 一个 怎么 怎样 如何 什么 哪些 哪个 可以 能 能不能 会 要 想 请问 请 是否 "
    "多少 几 多久 吗？ 怎么办 为什么 个 把 给 被 让 对 从 到 跟 一 些 啥 咋 么 嘛 哦 已经 刚 刚才".split()
)
STOPWORDS_EN: frozenset[str] = frozenset(
    "a an the and or of to in on at for with by from is are was were be been am i my me we our you "
    "your it its this that these those do does did can could should would will how what when where "
    "which who why there here have has had as about into up out if so not no any some much many".split()
)

# Seed for the synonym table; each group is a set of interchangeable terms.
DEFAULT_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("房贷", "个人住房贷款", "按揭", "住房贷款", "房屋贷款"),
    ("美金", "美元", "美刀"),
    ("销户", "注销账户", "注销", "销卡"),
    ("开户", "开立账户", "办卡"),
    ("密码重置", "重置密码", "忘记密码", "改密码"),
    ("双录", "录音录像"),
    ("风险测评", "风险评估", "风险问卷"),
    ("LPR", "贷款市场报价利率"),
    ("首套房", "首套住房", "第一套房"),
    ("大额存单", "大额存款凭证"),
    ("购汇", "换汇", "换外币", "买外汇"),
    ("境外汇款", "跨境汇款", "国际汇款", "汇款到国外"),
    ("征信", "信用报告"),
    ("消费贷", "消费贷款", "信用贷款"),
    ("限额", "额度"),
    ("诈骗", "骗局", "被骗", "骗子"),
    ("存款证明", "资信证明"),
    ("营业时间", "上班时间", "开门时间"),
    ("mortgage", "home loan", "housing loan"),
    ("pin", "password"),
    ("scam", "fraud", "scammed"),
    ("currency exchange", "buy dollars", "foreign exchange"),
    ("send money abroad", "international transfer", "wire transfer", "remittance"),
    ("time deposit", "fixed deposit"),
)
