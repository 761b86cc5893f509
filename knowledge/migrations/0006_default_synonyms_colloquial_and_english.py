"""The shipped synonym table grows: how customers say things (卡丢了 → 挂失) and the English
for Chinese articles (lost card → 挂失). A default group an editor has not changed is replaced by
its new version; every other new group is added; groups editors wrote are left alone."""

from django.db import migrations

from knowledge.search.dictionary import DEFAULT_SYNONYMS

# The groups 0002 seeded, as they were shipped.
SHIPPED_BEFORE = (
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


def update_defaults(apps, schema_editor):
    SynonymGroup = apps.get_model("knowledge", "SynonymGroup")
    # The table holds several groups with the same first term (提前还款, 逾期, 代办, …): a shipped
    # group becomes the first of them, and every group is created — keyed by first term, the
    # later ones overwrote the earlier, which a new database then never had (0012 adds them).
    new_by_head: dict[str, str] = {}
    for group in DEFAULT_SYNONYMS:
        new_by_head.setdefault(group[0], ", ".join(group))
    for group in SHIPPED_BEFORE:
        row = SynonymGroup.objects.filter(terms=", ".join(group)).first()
        if row is None:
            continue
        if group[0] in new_by_head:
            row.terms = new_by_head[group[0]]
            row.save(update_fields=["terms", "updated_at"])
        elif any(set(group) <= set(new) for new in DEFAULT_SYNONYMS):
            row.delete()  # merged into a bilingual group (mortgage → 房贷, …)
    for group in DEFAULT_SYNONYMS:
        SynonymGroup.objects.get_or_create(terms=", ".join(group))


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0005_periodic_review_reminder")]

    operations = [migrations.RunPython(update_defaults, migrations.RunPython.noop)]
