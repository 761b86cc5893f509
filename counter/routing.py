from django.urls import path

from counter import consumers

websocket_urlpatterns = [
    path("ws/counter/<int:point_id>/", consumers.CounterConsumer.as_asgi()),
    path("ws/counter/t/<str:token>/", consumers.TicketPageConsumer.as_asgi()),
]
