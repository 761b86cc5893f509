from django.urls import path

from customers.face.consumers import FaceDeviceConsumer

websocket_urlpatterns = [path("ws/face/device/", FaceDeviceConsumer.as_asgi())]
