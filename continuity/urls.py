from django.urls import path

from continuity import api, api_ledger, api_offline, views, views_emergency, views_ledger

app_name = "continuity"

urlpatterns = [
    path("continuity/fraud/report/", views.report, name="report"),
    path("continuity/fraud/mine/<str:ref>/", views.my_case, name="my-case"),
    path("continuity/fraud/", views.case_list, name="cases"),
    path("continuity/fraud/<str:ref>/", views.case_detail, name="case"),
    path("continuity/fraud/<str:ref>/identify/", views.case_identify, name="case-identify"),
    path(
        "continuity/fraud/<str:ref>/requests/<int:request_id>/resend/",
        views.core_request_resend,
        name="request-resend",
    ),
    path("continuity/console/<int:point_id>/fraud/", views.console_panel, name="console-fraud"),
    path("continuity/incidents/", views_emergency.incidents, name="incidents"),
    path(
        "continuity/incidents/activate/<slug:kind>/",
        views_emergency.incident_activate,
        name="incident-activate",
    ),
    path("continuity/incidents/<int:pk>/", views_emergency.incident_report, name="incident"),
    path(
        "continuity/incidents/<int:pk>/report.pdf", views_emergency.incident_report_pdf, name="incident-pdf"
    ),
    path(
        "continuity/incidents/<int:pk>/steps/<int:step_id>/done/",
        views_emergency.incident_step_done,
        name="incident-step-done",
    ),
    path("continuity/incidents/<int:pk>/close/", views_emergency.incident_close, name="incident-close"),
    path("continuity/plans/", views_emergency.playbooks, name="playbooks"),
    path("continuity/plans/<slug:kind>/", views_emergency.playbook_edit, name="playbook-edit"),
    path("continuity/lobby/<str:code>/emergency/", views_emergency.lobby_emergency, name="lobby-emergency"),
    path("api/continuity/fraud-cases/", api.FraudCaseCreateApi.as_view(), name="api-fraud-create"),
    path("api/continuity/fraud-cases/<str:ref>/", api.FraudCaseDetailApi.as_view(), name="api-fraud-detail"),
    path(
        "api/continuity/fraud-cases/<str:ref>/identify/",
        api.FraudCaseIdentifyApi.as_view(),
        name="api-fraud-identify",
    ),
    path("continuity/ledger/", views_ledger.ledger, name="ledger"),
    path("continuity/ledger/paper/", views_ledger.paper_entry, name="ledger-paper"),
    path("continuity/ledger/<int:pk>/<slug:decision>/", views_ledger.ledger_decide, name="ledger-decide"),
    path("continuity/ledger/paper/<int:pk>/<slug:decision>/", views_ledger.paper_decide,
         name="ledger-paper-decide"),
    path("continuity/console/<int:point_id>/offline/", views_ledger.console_offline, name="console-offline"),
    path("continuity/console/sw.js", api_offline.console_service_worker, name="console-sw"),
    path("api/v1/continuity/counters/<int:point_id>/ledger-plan/", api_ledger.LedgerPlanApi.as_view(),
         name="api-ledger-plan"),
    path("api/v1/continuity/ledger-entries/", api_ledger.LedgerEntrySyncApi.as_view(),
         name="api-ledger-entry"),
    path("continuity/kiosk/sw.js", api_offline.kiosk_service_worker, name="kiosk-sw"),
    path("api/continuity/kiosk/offline-plan/", api_offline.OfflinePlanApi.as_view(), name="api-offline-plan"),
    path("api/continuity/kiosk/number-blocks/", api_offline.NumberBlockReserveApi.as_view(),
         name="api-number-block"),
    path("api/continuity/kiosk/offline-tickets/", api_offline.OfflineTicketSyncApi.as_view(),
         name="api-offline-ticket"),
]
