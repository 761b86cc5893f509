from django.urls import path

from branches import api, calendar_api, views

urlpatterns = [
    path("device/login/", views.device_login, name="device-login"),
    path("device/", views.device_home, name="device-home"),
    path("device/logout/", views.device_logout, name="device-logout"),
    path("branches/<str:code>/devices/", views.device_list, name="device-list"),
    path("branches/<str:code>/devices/<int:device_id>/revoke/", views.device_revoke_view,
         name="device-revoke"),
    path("api/branches/", api.BranchListApi.as_view(), name="api-branch-list"),
    path("api/service-types/", api.ServiceTypeListApi.as_view(), name="api-service-type-list"),
    path("api/branches/<str:code>/devices/", api.DeviceListApi.as_view(), name="api-device-list"),
    path("api/branches/<str:code>/devices/<int:device_id>/revoke/",
         api.DeviceRevokeApi.as_view(), name="api-device-revoke"),
    path("api/calendar/days/", calendar_api.CalendarDayListApi.as_view(), name="api-calendar-days"),
    path("api/calendar/years/", calendar_api.ScheduleYearListApi.as_view(),
         name="api-calendar-years"),
    path("api/calendar/imports/preview/", calendar_api.ScheduleImportPreviewApi.as_view(),
         name="api-calendar-import-preview"),
    path("api/calendar/imports/", calendar_api.ScheduleImportApi.as_view(),
         name="api-calendar-import"),
    path("api/calendar/exceptions/", calendar_api.ScheduleExceptionCreateApi.as_view(),
         name="api-calendar-exception-create"),
    path("api/calendar/exceptions/<int:exception_id>/",
         calendar_api.ScheduleExceptionDeleteApi.as_view(), name="api-calendar-exception-delete"),
]
