from django.db import migrations


def create_reference_data(apps, schema_editor):
    from servicedesk.defaults import LINE_DEPARTMENTS, POLICIES
    from servicedesk.history import TREE

    Category = apps.get_model("servicedesk", "Category")
    SLAPolicy = apps.get_model("servicedesk", "SLAPolicy")
    by_code = {}
    for node in TREE:
        by_code[node.code], _ = Category.objects.update_or_create(
            code=node.code,
            defaults={"name_zh_hans": node.name_zh_hans, "name_en": node.name_en, "level": node.level,
                      "parent": by_code.get(node.parent_code),
                      "department_kind": LINE_DEPARTMENTS.get(node.code, "")})
    if not SLAPolicy.objects.exists():
        for policy in POLICIES:
            SLAPolicy.objects.create(**policy)


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0001_work_orders")]
    operations = [migrations.RunPython(create_reference_data, migrations.RunPython.noop)]
