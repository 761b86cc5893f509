"""The admin speaks the page's language too: every project app's name, model names and field
labels are translated, and every model in the admin names its objects (not "CustomerFact object
(1)"). Faster than the crawl, and it covers models without demo data."""

import re

from django.apps import apps
from django.contrib import admin
from django.utils import translation

from core.apps_registry import PROJECT_APPS

HAN = re.compile(r"[\u4e00-\u9fff]")
# Labels a Chinese bank writes in Latin letters: the primary key, a hash's name, plan coordinates.
LATIN_LABELS = {"ID", "SHA-256", "x", "y"}


def _untranslated() -> list[str]:
    found = []
    for config in apps.get_app_configs():
        if config.label not in PROJECT_APPS:
            continue
        if not HAN.search(str(config.verbose_name)):
            found.append(f"app {config.label}: {config.verbose_name}")
        for model in config.get_models():
            if model not in admin.site._registry:
                continue
            meta = model._meta
            for label in (meta.verbose_name, meta.verbose_name_plural):
                if not HAN.search(str(label)):
                    found.append(f"{meta.label}: {label}")
            for field in meta.get_fields():
                label = str(getattr(field, "verbose_name", "") or "")
                if label and not HAN.search(label) and label not in LATIN_LABELS:
                    found.append(f"{meta.label}.{field.name}: {label}")
    return found


def test_every_admin_app_model_and_field_label_is_translated():
    with translation.override("zh-hans"):
        assert _untranslated() == []


def test_every_model_in_the_admin_names_its_objects():
    """No registered model (ours or a third party's) shows Django's "X object (1)" in the admin's
    lists, history, delete confirmations and the audit viewer."""
    from django.db import models

    unnamed = sorted(model._meta.label for model in admin.site._registry
                     if model.__str__ is models.Model.__str__)
    assert unnamed == []


def test_a_device_status_reads_in_the_pages_language():
    from branches.models import Branch, Device
    from kiosk.models import DeviceStatus

    status = DeviceStatus(device=Device(branch=Branch(code="B001"), name="K1"), online=False)
    with translation.override("zh-hans"):
        assert str(status).endswith("离线")
    with translation.override("en"):
        assert str(status).endswith("Offline")
