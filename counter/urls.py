from django.urls import path

from counter import api, views_console, views_customer

app_name = "counter"

urlpatterns = [
    # customer pages
    path("counter/t/<str:token>/", views_customer.ticket_home, name="ticket-home"),
    path("counter/t/<str:token>/form/", views_customer.ticket_form_start, name="ticket-form-start"),
    path("counter/t/<str:token>/forms/<uuid:public_id>/", views_customer.ticket_form, name="ticket-form"),
    path(
        "counter/t/<str:token>/forms/<uuid:public_id>/photo/",
        views_customer.ticket_form_photo,
        name="ticket-form-photo",
    ),
    path("counter/t/<str:token>/sign/", views_customer.ticket_sign, name="ticket-sign"),
    path("counter/forms/new/<str:service_code>/", views_customer.my_form_start, name="my-form-start"),
    path("counter/forms/<uuid:public_id>/", views_customer.my_form, name="my-form"),
    path("counter/forms/<uuid:public_id>/photo/", views_customer.my_form_photo, name="my-form-photo"),
    path("counter/receipts/<str:token>/", views_customer.receipt_page, name="receipt"),
    path("counter/receipts/<str:token>/pdf/", views_customer.receipt_pdf, name="receipt-pdf"),
    # teller console
    path("counter/console/", views_console.console_home, name="console-home"),
    path("counter/console/<int:point_id>/", views_console.console, name="console"),
    path("counter/console/<int:point_id>/current/", views_console.console_current, name="console-current"),
    path("counter/console/<int:point_id>/measures/", views_console.console_measures, name="console-measures"),
    path(
        "counter/console/<int:point_id>/do/<str:action>/", views_console.console_action, name="console-action"
    ),
    path("counter/records/<int:record_id>/verify/", views_console.record_verify, name="record-verify"),
    path("counter/records/<int:record_id>/form/", views_console.record_form, name="record-form"),
    path("counter/records/<int:record_id>/step/", views_console.record_step, name="record-step"),
    path(
        "counter/records/<int:record_id>/exception/", views_console.record_exception, name="record-exception"
    ),
    path(
        "counter/records/<int:record_id>/signature/", views_console.record_signature, name="record-signature"
    ),
    path("counter/records/<int:record_id>/finish/", views_console.record_finish, name="record-finish"),
    path("counter/records/<int:record_id>/agent/", views_console.record_agent, name="record-agent"),
    path(
        "counter/records/<int:record_id>/lines/<str:action>/", views_console.record_line, name="record-line"
    ),
    path(
        "counter/records/<int:record_id>/ask-override/",
        views_console.record_ask_override,
        name="record-ask-override",
    ),
    path("counter/records/<int:record_id>/override/", views_console.record_override, name="record-override"),
    path("counter/records/<int:record_id>/", views_console.record_detail, name="record-detail"),
    path("counter/customers/<int:customer_id>/", views_console.customer_detail, name="customer-detail"),
    # API
    path("api/counter/forms/", api.FormStartApi.as_view(), name="api-form-start"),
    path("api/counter/forms/<uuid:public_id>/", api.FormDetailApi.as_view(), name="api-form"),
    path("api/counter/forms/<uuid:public_id>/reveal/", api.FormRevealApi.as_view(), name="api-form-reveal"),
    path("api/counter/forms/<uuid:public_id>/draft/", api.FormSaveApi.as_view(), name="api-form-draft"),
    path("api/counter/forms/<uuid:public_id>/submit/", api.FormSubmitApi.as_view(), name="api-form-submit"),
    path("api/counter/forms/<uuid:public_id>/photos/", api.FormPhotoApi.as_view(), name="api-form-photo"),
    path(
        "api/counter/forms/<uuid:public_id>/verify/", api.FormVerifyFieldApi.as_view(), name="api-form-verify"
    ),
    path("api/counter/records/<int:record_id>/", api.RecordDetailApi.as_view(), name="api-record"),
    path("api/counter/records/<int:record_id>/sign/", api.RecordSignApi.as_view(), name="api-record-sign"),
    path(
        "api/counter/records/<int:record_id>/finish/", api.RecordFinishApi.as_view(), name="api-record-finish"
    ),
    path("api/counter/records/<int:record_id>/agent/", api.RecordAgentApi.as_view(), name="api-record-agent"),
    path("api/counter/records/<int:record_id>/lines/", api.VisitLineAddApi.as_view(), name="api-line-add"),
    path(
        "api/counter/records/<int:record_id>/service/",
        api.VisitLineChangeApi.as_view(),
        name="api-line-change",
    ),
    path(
        "api/counter/records/<int:record_id>/remove/",
        api.VisitLineRemoveApi.as_view(),
        name="api-line-remove",
    ),
    path(
        "api/counter/records/<int:record_id>/verification-override/",
        api.RecordOverrideApi.as_view(),
        name="api-record-override",
    ),
]
