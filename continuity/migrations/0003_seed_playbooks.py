from django.db import migrations


def seed(apps, schema_editor):
    from continuity.playbooks import SEED

    Playbook = apps.get_model("continuity", "Playbook")
    for plan in SEED:
        Playbook.objects.get_or_create(kind=plan["kind"], defaults={
            key: value for key, value in plan.items() if key != "kind"})


class Migration(migrations.Migration):
    dependencies = [("continuity", "0002_emergency_plans")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
