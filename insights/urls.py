from django.urls import path

from insights import views, views_performance, views_roster

urlpatterns = [
    path("insights/", views.network, name="insights-network"),
    path("insights/branch/<str:code>/", views.branch, name="insights-branch"),
    path("insights/branch/<str:code>/staffing/", views.staffing, name="insights-staffing"),
    path("insights/branch/<str:code>/performance/", views_performance.branch_tellers,
         name="insights-performance"),
    path("insights/branch/<str:code>/roster/", views_roster.roster, name="insights-roster"),
    path("insights/roster/", views_roster.own_roster, name="insights-own-roster"),
    path("insights/my-performance/", views_performance.mine, name="insights-my-performance"),
    path("insights/star-rules/", views_performance.star_rules, name="insights-star-rules"),
]
