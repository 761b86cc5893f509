from django.urls import path

from servicedesk.consumers import UserNotificationsConsumer

websocket_urlpatterns = [path("ws/sd/notifications/", UserNotificationsConsumer.as_asgi())]
