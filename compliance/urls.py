from django.urls import include, path

from compliance import api

urlpatterns = [
    path("api/audit/events/", api.AuditSearchApi.as_view(), name="api-audit-search"),
    path("api/audit/verify/", api.AuditVerifyApi.as_view(), name="api-audit-verify"),
    # Compliance controls (rules, maker-checker, evidence) live in their own url module.
    path("", include("compliance.urls_controls")),
]
