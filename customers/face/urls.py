from django.urls import path

from customers.face import api, views

urlpatterns = [
    path("face/customers/<int:customer_id>/", views.face_customer, name="face-customer"),
    path("face/customers/<int:customer_id>/enrol/", views.face_enrol_view, name="face-enrol"),
    path("face/customers/<int:customer_id>/withdraw/", views.face_withdraw_view,
         name="face-withdraw"),
    path("face/camera/", views.face_camera, name="face-camera"),
    path("device/entrance-camera/", views.face_camera, name="device-home-entrance_camera"),
    path("api/face/consent/", api.FaceConsentTextApi.as_view(), name="api-face-consent"),
    path("api/face/frames/", api.FaceFramesApi.as_view(), name="api-face-frames"),
    path("api/face/customers/<int:customer_id>/", api.FaceStatusApi.as_view(),
         name="api-face-status"),
    path("api/face/customers/<int:customer_id>/enrol/", api.FaceEnrolApi.as_view(),
         name="api-face-enrol"),
    path("api/face/customers/<int:customer_id>/withdraw/", api.FaceWithdrawApi.as_view(),
         name="api-face-withdraw"),
    path("api/face/arrivals/<str:token>/actions/<str:action>/", api.FaceArrivalActionApi.as_view(),
         name="api-face-arrival-action"),
]
