from django.urls import path

from insights import views

urlpatterns = [
    path("insights/", views.network, name="insights-network"),
    path("insights/branch/<str:code>/", views.branch, name="insights-branch"),
    path("insights/branch/<str:code>/staffing/", views.staffing, name="insights-staffing"),
]
