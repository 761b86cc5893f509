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
    # Card-centre words the segmenter would cut (副卡 → 副 / 卡), with the synonyms of migration 0013.
    "附属卡", "副卡", "家属卡", "账单日", "出账日",
)

# Function words and question particles: they carry no topic and would otherwise match every FAQ.
STOPWORDS_ZH: frozenset[str] = frozenset(
    "的 了 吗 呢 吧 啊 呀 么 是 我 你 您 他 她 它 我们 你们 和 与 及 或 在 有 也 都 就 还 又 这 那 "
    "这个 那个 一下 一个 怎么 怎样 如何 什么 哪些 哪个 可以 能 能不能 会 要 想 请问 请 是否 "
    "多少 几 多久 吗？ 怎么办 为什么 个 把 给 被 让 对 从 到 跟 一 些 啥 咋 么 嘛 哦 已经 刚 刚才 "
    # Colloquial filler customers put around a question (咋整, 能不能, 行吗): no topic either.
    "咋整 咋办 咋弄 怎么弄 怎么整 怎么样 行吗 行不行 好吗 好不好 能不能 可不可以 要不要 会不会 "
    "是不是 有没有 该怎么 应该 麻烦 帮我 帮忙 你好 您好 想问 问问 问一下 请教 我想 我要 一下子 "
    "的话 那种 这种 一点 有点 现在 还能 还有 "
    # Adverbs and asides that colour a question without naming a topic (round 6).
    "到底 实在 突然 其实 真的 老是 总是".split()
)
STOPWORDS_EN: frozenset[str] = frozenset(
    "a an the and or of to in on at for with by from is are was were be been am i my me we our you "
    "your it its this that these those do does did can could should would will how what when where "
    "which who why there here have has had as about into up out if so not no any some much many".split()
)

# Seed for the synonym table; each group is a set of interchangeable terms. Besides true
# synonyms it holds how customers say things (卡丢了 → 挂失, 好久没用 → 长期不动户) and the English
# a foreign customer or a teller types for a Chinese article (lost card → 挂失): editors extend it
# in the admin ("synonym table"), a change applies at once.
DEFAULT_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("房贷", "个人住房贷款", "按揭", "住房贷款", "房屋贷款", "mortgage", "home loan", "housing loan"),
    ("美金", "美元", "美刀", "US dollar", "USD"),
    ("销户", "注销账户", "注销", "销卡", "不想用了", "不想要", "不要了", "销掉", "close account",
     "cancel card"),
    ("开户", "开立账户", "办卡", "开卡", "办张卡", "open account", "open an account"),
    ("密码重置", "重置密码", "忘记密码", "改密码", "密码忘了", "忘了密码", "记不起密码", "forgot pin",
     "reset password", "reset pin"),
    ("双录", "录音录像", "录像", "video recording"),
    ("风险测评", "风险评估", "风险问卷", "测评", "risk assessment", "risk questionnaire"),
    ("LPR", "贷款市场报价利率"),
    ("首套房", "首套住房", "第一套房", "first home"),
    ("大额存单", "大额存款凭证", "large denomination", "certificate of deposit"),
    ("购汇", "换汇", "换外币", "买外汇", "换美金", "换美元", "换点美金", "buy dollars", "buy currency",
     "currency exchange", "foreign exchange", "exchange money"),
    ("境外汇款", "跨境汇款", "国际汇款", "汇款到国外", "往国外汇", "给国外", "汇到国外", "国外打钱",
     "send money abroad", "international transfer", "wire transfer", "remittance", "transfer abroad",
     "money overseas", "send overseas"),
    ("境外汇入", "收汇", "国外汇来", "国外打来", "国外汇过来", "外国客户付款", "receive money",
     "inward remittance", "incoming transfer", "from overseas", "from abroad"),
    ("征信", "信用报告", "信用记录", "credit report", "credit record"),
    ("消费贷", "消费贷款", "信用贷款", "借钱", "借点钱", "personal loan", "consumer loan"),
    ("经营贷", "经营贷款", "个体户", "个体工商户", "小店", "做生意", "business loan", "small business"),
    ("限额", "额度", "最多能转", "limit"),
    ("提额", "提高额度", "调高额度", "额度太低", "额度调整", "raise limit", "increase limit",
     "credit limit"),
    ("诈骗", "骗局", "被骗", "骗子", "骗钱", "套路", "scam", "fraud", "scammed"),
    ("紧急止付", "止付", "追回", "stop payment"),
    ("存款证明", "资信证明", "proof of deposit", "deposit certificate", "bank certificate"),
    ("营业时间", "上班时间", "开门时间", "几点开门", "开门", "周末", "星期六", "星期天", "礼拜六",
     "礼拜天", "opening hours", "open on", "weekend"),
    ("pin", "password"),
    ("time deposit", "fixed deposit", "定期存款", "定期", "整存整取"),
    ("挂失", "丢了", "丢失", "遗失", "不见了", "找不到了", "掉了", "被偷", "lost card", "report lost",
     "lost", "stolen", "block card"),
    ("吞卡", "吞了", "不吐卡", "没退卡", "swallowed", "ate my card"),
    ("手机银行", "网银", "手机APP", "mobile banking", "mobile app", "banking app"),
    ("登录", "登不上", "登不进", "进不去", "login", "log in", "sign in"),
    ("注册", "开通", "register", "sign up"),
    ("转账", "打钱", "转钱", "transfer"),
    ("到账", "多久到", "多长时间能到", "到账时间", "arrive", "how long"),
    ("跨行", "别的银行", "他行", "其他银行", "interbank", "another bank"),
    ("转错账", "转错", "误转", "打错", "转错人", "wrong account"),
    ("拒绝开户", "开户被拒", "不让我开", "不给开", "不给我开户", "refused", "rejected"),
    ("长期不动户", "睡眠户", "睡眠账户", "不动户", "久悬账户", "好久没用", "很久没用", "长期不用",
     "几年没用", "dormant", "inactive"),
    ("冻结", "被冻", "被锁", "frozen", "freeze"),
    ("预留手机号", "手机号", "电话号码", "换号", "phone number", "mobile number"),
    ("短信通知", "短信提醒", "动账提醒", "发短信", "sms", "text message", "alert"),
    ("提前支取", "提前取", "拿出来", "取出来", "没到期", "early withdrawal", "withdraw early"),
    ("存款保险", "倒闭", "破产", "deposit insurance", "insured"),
    ("活期", "活期存款", "demand deposit", "current account"),
    ("通知存款", "七天通知", "notice deposit"),
    ("个人养老金", "养老金账户", "personal pension", "pension account"),
    ("风险等级", "亏钱", "亏本", "保本", "risk level"),
    ("赎回", "卖掉", "redeem", "redemption"),
    ("基金", "fund"),
    ("手续费", "收费", "fee", "fees", "charge"),
    ("首付", "首付款", "几成", "down payment"),
    ("材料", "资料", "带什么", "带啥", "准备什么", "要什么", "documents", "what do i need"),
    ("提前还款", "提前还贷", "还一部分", "先还", "prepay", "prepayment", "pay off early"),
    ("违约金", "罚金", "penalty"),
    ("还不上", "还不起", "没钱还", "cannot pay", "can't pay", "unable to pay"),
    ("逾期", "晚还", "忘了还", "没按时还", "late payment", "overdue"),
    ("还款", "还钱", "怎么还", "repay", "repayment"),
    ("免息期", "不用付利息", "不要利息", "interest-free", "interest free"),
    ("最低还款", "只还一点", "只还最低", "minimum payment"),
    ("分期", "installment", "instalment"),
    ("年费", "annual fee"),
    ("汇率", "牌价", "exchange rate"),
    ("数字人民币", "数字钱包", "e-CNY", "digital yuan", "digital rmb"),
    ("预约", "约个号", "取号", "不想排队", "appointment", "book"),
    ("大额取现", "取现金", "取大额", "取十万", "取五万", "cash withdrawal",
     "withdraw cash", "large amount of cash"),
    ("无障碍", "轮椅", "残障", "残疾人", "wheelchair", "disabled", "accessibility"),
    ("老年人", "老人", "年纪大", "老年客户", "elderly", "senior"),
    ("代办", "替我", "帮我去办", "家属代办", "代理人", "on behalf", "someone else"),
    ("继承", "去世", "过世", "死亡", "走了", "deceased", "inheritance", "died"),
    ("出借银行卡", "出租", "出借", "借给", "卖卡", "出售", "lend card", "sell card"),
    ("投诉", "complaint", "complain"),
    ("流水", "交易明细", "对账单", "statement", "transaction history"),
    ("残缺人民币", "残币", "破损", "破了", "烂了", "damaged note"),
    ("零钱兑换", "零钱", "硬币", "coins", "small change"),
    ("假币", "假钞", "counterfeit", "fake note"),
    ("工资卡", "代发工资", "发工资", "salary", "payroll"),
    ("社保卡", "social security card"),
    ("换卡", "补卡", "卡坏了", "磁条坏", "消磁", "damaged card", "replacement card", "new card"),
    ("外国人", "外籍", "foreigner", "foreign national"),
    ("信用卡", "credit card"),
    ("借记卡", "储蓄卡", "银行卡", "卡", "debit card"),
    ("存折", "存单", "passbook"),
    ("利息", "结息", "interest"),
    # Added with migration 0008: general banking vocabulary, how customers say it, and the English
    # for it (a foreign customer asking about content written only in Chinese).
    ("保管箱", "保险箱", "保险柜", "贵重物品", "首饰", "金银首饰", "safe deposit box", "safe box",
     "locker"),
    ("车贷", "汽车贷款", "汽车消费贷款", "买车贷款", "购车贷款", "car loan", "auto loan", "vehicle loan"),
    ("助学贷款", "学生贷款", "上学贷款", "学费贷款", "student loan", "education loan"),
    ("黄金", "积存金", "金条", "买金子", "gold"),
    ("污损", "残缺", "撕坏", "撕破", "撕烂", "烂钱", "破钞", "torn note", "damaged banknote"),
    ("定期存款", "定存", "死期", "存死期", "整存整取"),
    ("提前还款", "提前还清", "早点还", "早还", "一次性还清", "还完", "提前结清", "early repayment",
     "repay early"),
    ("逾期", "没还", "还晚了", "拖欠", "欠款不还"),
    ("代办", "家人帮", "家里人帮", "帮我办", "帮我去", "子女代", "亲属代", "委托", "授权委托书",
     "power of attorney"),
    ("ATM", "取款机", "自助设备", "柜员机", "自动取款机", "自助机", "cash machine"),
    ("吞卡", "吃了", "吃卡", "保留卡片", "kept my card", "retained card", "keep my card"),
    ("激活", "开通金融功能", "activate card"),
    ("境外", "国外", "海外", "美国", "英国", "加拿大", "澳洲", "日本", "abroad", "overseas"),
    ("证件", "身份证", "护照"),
    ("交易密码", "取款密码", "卡密码", "支付密码"),
    ("贷款", "借款"),
    ("存款", "储蓄"),
    ("理财", "理财产品", "wealth management", "investment product"),
    ("风险测评", "风险测试", "测试", "问卷", "questionnaire"),
    ("签证", "visa"),
    ("留学", "出国读书", "study abroad"),
    ("新手机", "换了手机", "换新手机", "手机换了", "换设备", "新设备", "new phone", "changed my phone"),
    ("排队", "排号", "叫号", "queue"),
    ("网点", "支行", "营业厅"),
    # Added with migration 0010.
    ("申请", "办张", "办一张", "apply", "application"),
    ("冒充客服", "假客服", "自称客服", "冒充公检法", "自称公安", "自称警察", "涉嫌洗钱", "安全账户",
     "impersonation"),
    # Added with migration 0013: general card, payment and loan vocabulary as customers say it.
    ("降低", "调低", "下调", "变少", "lower", "reduce"),
    ("积分", "points", "reward points"),
    ("出国", "出境", "境外", "travel abroad"),
    ("取现", "提现", "预借现金", "cash advance"),
    ("账单日", "出账日", "出账日期", "statement date", "billing date"),
    ("附属卡", "副卡", "家属卡", "supplementary card"),
    ("渠道", "方式", "办法", "途径", "方法", "ways"),
    ("重复扣款", "扣了两次", "多扣", "重复扣费"),
    ("进度", "办下来", "批下来", "审批", "application status"),
    ("激活", "开卡", "activate"),
    ("免密", "不输密码", "不用输密码", "免密支付"),
    ("免年费", "不交年费", "不收年费", "waive annual fee"),
)
