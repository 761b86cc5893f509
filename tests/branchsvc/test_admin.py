import pytest
from django.contrib import admin
from django.urls import reverse

from core.apps_registry import PROJECT_APPS
from tests.factories import make_user


@pytest.fixture
def superuser(db):
    return make_user("root", is_staff=True, is_superuser=True)


def _project_models():
    return [model for model in admin.site._registry if model._meta.app_label in PROJECT_APPS]


def test_every_project_model_has_an_admin_list_that_loads(client, superuser):
    client.force_login(superuser)
    models = _project_models()
    assert len(models) > 60
    for model in models:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_records_written_by_services_cannot_be_added_in_the_admin(client, superuser):
    from counter.models import ServiceRecord

    client.force_login(superuser)
    assert client.get(reverse("admin:counter_servicerecord_add")).status_code == 403
    assert admin.site._registry[ServiceRecord].has_delete_permission(None) is False


def test_biometric_enrolments_and_sign_in_codes_are_not_in_the_admin():
    from appointments.models import SignInCode
    from customers.models import FaceEnrolment

    assert not admin.site.is_registered(FaceEnrolment)
    assert not admin.site.is_registered(SignInCode)
