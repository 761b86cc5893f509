from django.urls import path

from continuity import api, views

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
    path("api/continuity/fraud-cases/", api.FraudCaseCreateApi.as_view(), name="api-fraud-create"),
    path("api/continuity/fraud-cases/<str:ref>/", api.FraudCaseDetailApi.as_view(), name="api-fraud-detail"),
    path(
        "api/continuity/fraud-cases/<str:ref>/identify/",
        api.FraudCaseIdentifyApi.as_view(),
        name="api-fraud-identify",
    ),
]
