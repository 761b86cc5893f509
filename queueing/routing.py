from django.urls import path

from queueing import consumers

websocket_urlpatterns = [
    path("ws/queue/lobby/", consumers.LobbyConsumer.as_asgi()),
    path("ws/queue/staff/<str:code>/", consumers.StaffConsumer.as_asgi()),
    path("ws/queue/ticket/<str:token>/", consumers.TicketConsumer.as_asgi()),
]
