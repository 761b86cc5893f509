from django.urls import path

from kiosk import consumers

websocket_urlpatterns = [
    path("ws/kiosk/device/", consumers.KioskDeviceConsumer.as_asgi()),
    path("ws/kiosk/vtm/<uuid:public_id>/", consumers.VtmSignalConsumer.as_asgi()),
    path("ws/kiosk/tellers/", consumers.RemoteTellerQueueConsumer.as_asgi()),
]
