from django.urls import path

from servicedesk import api, views

app_name = "servicedesk"

urlpatterns = [
    path("sd/", views.queue, name="queue"),
    path("sd/work-orders/new/", views.work_order_new, name="work-order-new"),
    path("sd/work-orders/<int:pk>/", views.work_order_detail, name="work-order"),
    path("sd/work-orders/<int:pk>/<slug:action>/", views.work_order_action, name="work-order-action"),
    path("sd/breaches/", views.breaches, name="breaches"),
    path("sd/reports/", views.report, name="report"),
    path("sd/notifications/", views.notifications, name="notifications"),
    path("sd/my/", views.my_work_orders, name="my-work-orders"),
    path("sd/my/new/", views.my_complaint_new, name="my-complaint-new"),
    path("sd/my/<int:pk>/", views.my_work_order, name="my-work-order"),
    path("sd/survey/<str:token>/", views.survey, name="survey"),
    path("sd/visit-survey/<str:token>/", views.visit_survey, name="visit-survey"),
    path("api/sd/work-orders/", api.WorkOrderListApi.as_view(), name="api-work-orders"),
    path("api/sd/work-orders/create/", api.WorkOrderCreateApi.as_view(), name="api-work-order-create"),
    path("api/sd/work-orders/<int:pk>/", api.WorkOrderDetailApi.as_view(), name="api-work-order"),
    path(
        "api/sd/work-orders/<int:pk>/comment/",
        api.WorkOrderCommentApi.as_view(),
        name="api-work-order-comment",
    ),
    path(
        "api/sd/work-orders/<int:pk>/transition/",
        api.WorkOrderTransitionApi.as_view(),
        name="api-work-order-transition",
    ),
    path(
        "api/sd/work-orders/<int:pk>/assign/", api.WorkOrderAssignApi.as_view(), name="api-work-order-assign"
    ),
    path(
        "api/sd/work-orders/<int:pk>/categorize/",
        api.WorkOrderCategorizeApi.as_view(),
        name="api-work-order-categorize",
    ),
    path("api/sd/work-orders/<int:pk>/merge/", api.WorkOrderMergeApi.as_view(), name="api-work-order-merge"),
    path(
        "api/sd/work-orders/<int:pk>/extend/", api.WorkOrderExtendApi.as_view(), name="api-work-order-extend"
    ),
    path("api/sd/breaches/", api.BreachListApi.as_view(), name="api-breaches"),
    path("api/sd/reports/", api.ReportApi.as_view(), name="api-report"),
    path("api/sd/classify/", api.ClassifyApi.as_view(), name="api-classify"),
    path("api/sd/surveys/<str:token>/", api.SurveyAnswerApi.as_view(), name="api-survey-answer"),
    path(
        "api/sd/visit-surveys/<str:token>/",
        api.VisitSurveyAnswerApi.as_view(),
        name="api-visit-survey-answer",
    ),
]
