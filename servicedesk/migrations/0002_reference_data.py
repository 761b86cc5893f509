from django.db import migrations


def create_reference_data(apps, schema_editor):
    from servicedesk.defaults import install

    install(apps.get_model("servicedesk", "Category"), apps.get_model("servicedesk", "SLAPolicy"))


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0001_work_orders")]
    operations = [migrations.RunPython(create_reference_data, migrations.RunPython.noop)]
