from django.db import migrations


def seed(apps, schema_editor):
    from continuity.playbooks import seed as seed_plans

    seed_plans(apps.get_model("continuity", "Playbook"))


class Migration(migrations.Migration):
    dependencies = [("continuity", "0002_emergency_plans")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
