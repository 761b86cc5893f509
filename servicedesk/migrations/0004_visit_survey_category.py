from django.db import migrations


def install_reference_data(apps, schema_editor):
    """Adds the categories of work orders opened by a low visit score (defaults.SYSTEM_CATEGORIES);
    existing categories and SLA policies stay as they are."""
    from servicedesk.defaults import install

    install(apps.get_model("servicedesk", "Category"), apps.get_model("servicedesk", "SLAPolicy"))


def remove_visit_categories(apps, schema_editor):
    category = apps.get_model("servicedesk", "Category")
    category.objects.filter(code__startswith="branch.visit", work_orders__isnull=True).order_by("-level").delete()


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0003_visit_surveys")]
    operations = [migrations.RunPython(install_reference_data, remove_visit_categories)]
