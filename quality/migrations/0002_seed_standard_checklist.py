from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from quality.standards import seed as seed_standard

    seed_standard(apps.get_model("quality", "Checklist"), apps.get_model("quality", "ChecklistVersion"),
                  apps.get_model("quality", "ChecklistItem"), now=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_inspections")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
