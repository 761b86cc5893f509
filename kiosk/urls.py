from django.urls import path

from kiosk import api, views

urlpatterns = [
    path("kiosk/", views.kiosk_home, name="device-home-kiosk"),
    path("kiosk/vtm/", views.vtm_home, name="device-home-vtm"),
    path("kiosk/remote-teller/", views.remote_teller_console, name="kiosk-remote-console"),
    path("kiosk/remote-teller/<uuid:public_id>/", views.remote_teller_call, name="kiosk-remote-call"),
    path("kiosk/devices/", views.device_status, name="kiosk-device-status"),
    path("api/kiosk/session/", api.SessionStartApi.as_view(), name="api-kiosk-session"),
    path("api/kiosk/session/settings/", api.SessionSettingsApi.as_view(), name="api-kiosk-settings"),
    path("api/kiosk/session/end/", api.SessionEndApi.as_view(), name="api-kiosk-session-end"),
    path("api/kiosk/heartbeat/", api.HeartbeatApi.as_view(), name="api-kiosk-heartbeat"),
    path("api/kiosk/services/", api.ServiceListApi.as_view(), name="api-kiosk-services"),
    path("api/kiosk/services/<str:code>/recommendation/", api.RecommendApi.as_view(),
         name="api-kiosk-recommend"),
    path("api/kiosk/tickets/", api.TicketTakeApi.as_view(), name="api-kiosk-ticket"),
    path("api/kiosk/check-in/", api.CheckInApi.as_view(), name="api-kiosk-check-in"),
    path("api/kiosk/forms/", api.FormStartApi.as_view(), name="api-kiosk-form-start"),
    path("api/kiosk/forms/<uuid:public_id>/", api.FormSaveApi.as_view(), name="api-kiosk-form-save"),
    path("api/kiosk/ask/", api.AskApi.as_view(), name="api-kiosk-ask"),
    path("api/kiosk/vtm/", api.VtmRequestApi.as_view(), name="api-kiosk-vtm-request"),
    path("api/kiosk/vtm/queue/", api.VtmQueueApi.as_view(), name="api-kiosk-vtm-queue"),
    path("api/kiosk/vtm/<uuid:public_id>/answer/", api.VtmAnswerApi.as_view(), name="api-kiosk-vtm-answer"),
    path("api/kiosk/vtm/<uuid:public_id>/cancel/", api.VtmDeviceCancelApi.as_view(),
         name="api-kiosk-vtm-cancel"),
    path("api/kiosk/vtm/<uuid:public_id>/accept/", api.VtmAcceptApi.as_view(), name="api-kiosk-vtm-accept"),
    path("api/kiosk/vtm/<uuid:public_id>/confirm/", api.VtmConfirmApi.as_view(),
         name="api-kiosk-vtm-confirm"),
    path("api/kiosk/vtm/<uuid:public_id>/hang-up/", api.VtmHangUpApi.as_view(), name="api-kiosk-vtm-hang-up"),
]
