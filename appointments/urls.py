from django.urls import path

from appointments import api, views

app_name = "appointments"

urlpatterns = [
    path("me/login/", views.signin_phone, name="signin"),
    path("me/login/code/", views.signin_code, name="signin_code"),
    path("appointments/", views.my_appointments, name="mine"),
    path("appointments/book/", views.book_branch, name="book"),
    path("appointments/book/form/", views.book_form, name="book_form"),
    path("appointments/book/review/", views.book_review, name="book_review"),
    path("appointments/book/alternative/<str:slot>/", views.book_alternative, name="book_alternative"),
    path("appointments/book/<str:branch_code>/", views.book_service, name="book_service"),
    path("appointments/book/<str:branch_code>/<str:service_code>/", views.book_slot, name="book_slot"),
    path("appointments/suggestions/<str:rule>/dismiss/", views.suggestion_dismiss, name="suggestion_dismiss"),
    path("appointments/check-in/", views.check_in, name="check_in"),
    path("appointments/today/", views.today, name="today"),
    path("appointments/<str:code>/", views.detail, name="detail"),
    path("appointments/<str:code>/calendar.ics", views.calendar, name="calendar"),
    path("appointments/<str:code>/cancel/", views.cancel, name="cancel"),
    path("appointments/<str:code>/reschedule/", views.reschedule, name="reschedule"),
    # API
    path("api/me/login/code/", api.SignInCodeSendApi.as_view(), name="api_signin_code"),
    path("api/me/login/", api.SignInApi.as_view(), name="api_signin"),
    path("api/appointments/slots/", api.SlotListApi.as_view(), name="api_slots"),
    path("api/appointments/", api.AppointmentBookApi.as_view(), name="api_book"),
    path("api/appointments/mine/", api.MyAppointmentsApi.as_view(), name="api_mine"),
    path("api/appointments/today/", api.TodayApi.as_view(), name="api_today"),
    path("api/appointments/check-in/", api.CheckInApi.as_view(), name="api_check_in"),
    path("api/appointments/walk-in-allowed/", api.WalkInAllowedApi.as_view(), name="api_walk_in_allowed"),
    path("api/appointments/<str:code>/", api.AppointmentDetailApi.as_view(), name="api_detail"),
    path("api/appointments/<str:code>/cancel/", api.AppointmentCancelApi.as_view(), name="api_cancel"),
    path(
        "api/appointments/<str:code>/reschedule/",
        api.AppointmentRescheduleApi.as_view(),
        name="api_reschedule",
    ),
]
