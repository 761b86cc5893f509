from django.urls import path

from outreach import api, api_wealth, views, views_wealth

app_name = "outreach"

urlpatterns = [
    path("outreach/home-visits/", views.visit_list, name="list"),
    path("outreach/home-visits/request/", views.visit_request, name="request"),
    path("outreach/home-visits/<int:pk>/", views.visit_detail, name="detail"),
    path("outreach/home-visits/<int:pk>/cancel/", views.visit_cancel, name="cancel"),
    path("outreach/home-visits/<int:pk>/checklist/", views.checklist, name="checklist"),
    path("outreach/wealth/", views_wealth.wealth_monitor, name="wealth"),
    path("outreach/wealth/holdings/", views_wealth.holdings_upload, name="holdings_upload"),
    # API (also under /api/v1/)
    path("api/outreach/home-visits/", api.VisitListCreateApi.as_view(), name="api_visits"),
    path("api/outreach/home-visits/<int:pk>/", api.VisitDetailApi.as_view(), name="api_visit"),
    path("api/outreach/home-visits/<int:pk>/schedule/", api.VisitScheduleApi.as_view(), name="api_schedule"),
    path("api/outreach/home-visits/<int:pk>/start/", api.VisitStartApi.as_view(), name="api_start"),
    path("api/outreach/home-visits/<int:pk>/identity/", api.VisitIdentityApi.as_view(), name="api_identity"),
    path("api/outreach/home-visits/<int:pk>/photos/", api.VisitPhotoApi.as_view(), name="api_photos"),
    path("api/outreach/home-visits/<int:pk>/complete/", api.VisitCompleteApi.as_view(), name="api_complete"),
    path("api/outreach/home-visits/<int:pk>/cancel/", api.VisitCancelApi.as_view(), name="api_cancel"),
    path("api/outreach/wealth/nav-imports/", api_wealth.NavImportApi.as_view(), name="api_nav_import"),
    path(
        "api/outreach/wealth/holding-imports/",
        api_wealth.HoldingsImportApi.as_view(),
        name="api_holdings_import",
    ),
    path("api/outreach/wealth/alerts/", api_wealth.AlertListApi.as_view(), name="api_wealth_alerts"),
]
