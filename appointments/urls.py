from django.urls import path

from appointments import api, api_groups, views, views_groups

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
    path("appointments/series/", views_groups.my_series, name="series_mine"),
    path("appointments/series/new/", views_groups.series_new, name="series_new"),
    path("appointments/series/<int:pk>/", views_groups.series_detail, name="series_detail"),
    path("appointments/series/<int:pk>/cancel/", views_groups.series_cancel, name="series_cancel"),
    path("appointments/classes/", views_groups.classes, name="classes"),
    path("appointments/classes/manage/", views_groups.classes_manage, name="classes_manage"),
    path("appointments/classes/<int:pk>/join/", views_groups.class_join, name="class_join"),
    path("appointments/classes/<int:pk>/leave/", views_groups.class_leave, name="class_leave"),
    path("appointments/classes/<int:pk>/cancel/", views_groups.class_cancel, name="class_cancel"),
    path("appointments/calendar-feed/", views_groups.calendar_feed_page, name="feed_manage"),
    path("appointments/feed/<str:token>.ics", views_groups.calendar_feed_file, name="feed"),
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
    path("api/appointments/series/", api_groups.SeriesListCreateApi.as_view(), name="api_series"),
    path(
        "api/appointments/series/preview/", api_groups.SeriesPreviewApi.as_view(), name="api_series_preview"
    ),
    path("api/appointments/series/<int:pk>/", api_groups.SeriesDetailApi.as_view(), name="api_series_detail"),
    path("api/appointments/series/<int:pk>/cancel/", api_groups.SeriesCancelApi.as_view(),
         name="api_series_cancel"),
    path("api/appointments/classes/", api_groups.SessionListCreateApi.as_view(), name="api_classes"),
    path("api/appointments/classes/mine/", api_groups.MySessionsApi.as_view(), name="api_classes_mine"),
    path(
        "api/appointments/classes/<int:pk>/join/", api_groups.SessionJoinApi.as_view(), name="api_class_join"
    ),
    path("api/appointments/classes/<int:pk>/leave/", api_groups.SessionLeaveApi.as_view(),
         name="api_class_leave"),
    path("api/appointments/classes/<int:pk>/cancel/", api_groups.SessionCancelApi.as_view(),
         name="api_class_cancel"),
    path("api/appointments/feed/", api_groups.FeedApi.as_view(), name="api_feed"),
    path("api/appointments/walk-in-allowed/", api.WalkInAllowedApi.as_view(), name="api_walk_in_allowed"),
    path("api/appointments/<str:code>/", api.AppointmentDetailApi.as_view(), name="api_detail"),
    path("api/appointments/<str:code>/cancel/", api.AppointmentCancelApi.as_view(), name="api_cancel"),
    path(
        "api/appointments/<str:code>/reschedule/",
        api.AppointmentRescheduleApi.as_view(),
        name="api_reschedule",
    ),
]
