from django.urls import path

from ui import views

urlpatterns = [
    path("staff/design/", views.gallery, name="design-gallery"),
]
