from django.urls import path

from compliance import api_controls as api
from compliance import views_controls as views

urlpatterns = [
    path("compliance/", views.dashboard, name="compliance-dashboard"),
    path("compliance/evidence/", views.evidence, name="compliance-evidence"),
    path("compliance/evidence/export/", views.evidence_export, name="compliance-evidence-export"),
    path("compliance/approvals/", views.approvals, name="compliance-approvals"),
    path("compliance/approvals/<int:request_id>/", views.approval_detail,
         name="compliance-approval"),
    path("compliance/approvals/<int:request_id>/approve/", views.approval_approve,
         name="compliance-approval-approve"),
    path("compliance/approvals/<int:request_id>/reject/", views.approval_reject,
         name="compliance-approval-reject"),
    path("compliance/rules/", views.rules, name="compliance-rules"),
    path("api/compliance/overrides/", api.OverrideRequestApi.as_view(),
         name="api-compliance-override"),
    path("api/compliance/change-requests/", api.ChangeRequestListApi.as_view(),
         name="api-compliance-change-requests"),
    path("api/compliance/change-requests/new/", api.ChangeRequestCreateApi.as_view(),
         name="api-compliance-change-request-create"),
    path("api/compliance/change-requests/<int:request_id>/approve/",
         api.ChangeRequestApproveApi.as_view(), name="api-compliance-change-request-approve"),
    path("api/compliance/change-requests/<int:request_id>/reject/",
         api.ChangeRequestRejectApi.as_view(), name="api-compliance-change-request-reject"),
    path("api/compliance/cooling-off/<int:cooling_off_id>/cancel/",
         api.CoolingOffCancelApi.as_view(), name="api-compliance-cooling-off-cancel"),
    path("api/compliance/recordings/", api.RecordingAttachApi.as_view(),
         name="api-compliance-recording-attach"),
    path("api/compliance/disclosures/confirm/", api.DisclosureConfirmApi.as_view(),
         name="api-compliance-disclosure-confirm"),
    path("api/compliance/steps/confirm/", api.StepConfirmApi.as_view(),
         name="api-compliance-step-confirm"),
    path("api/compliance/dashboard/", api.DashboardApi.as_view(), name="api-compliance-dashboard"),
    path("api/compliance/evidence/export/", api.EvidenceExportApi.as_view(),
         name="api-compliance-evidence-export"),
]
