from django.urls import path

from branches import api, views

urlpatterns = [
    path("device/login/", views.device_login, name="device-login"),
    path("device/", views.device_home, name="device-home"),
    path("device/logout/", views.device_logout, name="device-logout"),
    path("branches/<str:code>/devices/", views.device_list, name="device-list"),
    path("branches/<str:code>/devices/<int:device_id>/revoke/", views.device_revoke_view,
         name="device-revoke"),
    path("branches/<str:code>/sign-in-locks/", views.sign_in_locks, name="sign-in-locks"),
    path("branches/<str:code>/sign-in-locks/<int:user_id>/unlock/", views.sign_in_unlock_view,
         name="sign-in-unlock"),
    path("api/branches/", api.BranchListApi.as_view(), name="api-branch-list"),
    path("api/service-types/", api.ServiceTypeListApi.as_view(), name="api-service-type-list"),
    path("api/branches/<str:code>/devices/", api.DeviceListApi.as_view(), name="api-device-list"),
    path("api/branches/<str:code>/devices/<int:device_id>/revoke/",
         api.DeviceRevokeApi.as_view(), name="api-device-revoke"),
]
