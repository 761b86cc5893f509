from django.urls import path

from quality import api, views, views_actions, views_manage

urlpatterns = [
    path("quality/", views.home, name="quality-home"),
    path("quality/inspections/<int:pk>/", views.inspection, name="quality-inspection"),
    path("quality/inspections/<int:pk>/cancel/", views.inspection_cancel, name="quality-inspection-cancel"),
    path("quality/photos/answers/<int:pk>/", views.answer_photo, name="quality-answer-photo"),
    path("quality/photos/actions/<int:pk>/", views.action_photo, name="quality-action-photo"),
    path("quality/actions/", views_actions.actions, name="quality-actions"),
    path("quality/actions/<int:pk>/", views_actions.action, name="quality-action"),
    path("quality/scores/", views_manage.scores, name="quality-scores"),
    path("quality/checklist/", views_manage.checklist, name="quality-checklist"),
    path("api/quality/inspections/", api.InspectionListApi.as_view(), name="api-quality-inspections"),
    path(
        "api/quality/inspections/<int:pk>/", api.InspectionDetailApi.as_view(), name="api-quality-inspection"
    ),
]
