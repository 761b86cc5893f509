from django.urls import path

from environment import api, views

urlpatterns = [
    path("environment/", views.network, name="environment-network"),
    path("environment/<str:code>/", views.branch_page, name="environment-branch"),
    path("environment/<str:code>/tiles/", views.tiles_part, name="environment-tiles"),
    path("environment/<str:code>/thresholds/", views.thresholds_save, name="environment-thresholds"),
    path("environment/<str:code>/sensors/", views.sensor_add, name="environment-sensor-add"),
    path("environment/sensors/<int:pk>/active/", views.sensor_toggle, name="environment-sensor-toggle"),
    path("environment/alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="environment-alert-ack"),
    path("api/environment/branches/<str:code>/sensors/", api.SensorListApi.as_view(),
         name="api-environment-sensors"),
    path("api/environment/branches/<str:code>/sensors/register/", api.SensorRegisterApi.as_view(),
         name="api-environment-sensor-register"),
    path("api/environment/branches/<str:code>/thresholds/<str:kind>/", api.ThresholdSetApi.as_view(),
         name="api-environment-threshold"),
    path("api/environment/sensors/<int:pk>/history/", api.SensorHistoryApi.as_view(),
         name="api-environment-history"),
    path("api/environment/alerts/<int:pk>/acknowledge/", api.AlertAcknowledgeApi.as_view(),
         name="api-environment-alert-ack"),
]
