from django.db import migrations


def install(apps, schema_editor):
    from outreach.sla import install

    install(apps.get_model("servicedesk", "Category"), apps.get_model("servicedesk", "SLAPolicy"))


def remove(apps, schema_editor):
    from outreach.sla import POLICY_NAME_EN

    apps.get_model("servicedesk", "SLAPolicy").objects.filter(name_en=POLICY_NAME_EN).delete()


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_home_visits"), ("servicedesk", "0005_translated_labels")]
    operations = [migrations.RunPython(install, remove)]
