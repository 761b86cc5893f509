"""REST API: one APIView per operation, each calling the same service as the pages."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from branches.access import HasRole, staff_branches, user_role
from branches.models import Branch, Department
from branches.people import person_name
from branches.roles import STAFF_ROLES, Role
from core.api_errors import Refusal, service_call, valid_input
from core.pagination import ApiPagination, paginated
from customers.models import Customer
from servicedesk import ml, reports, services, sla
from servicedesk.access import (
    HEADS,
    WRITERS,
    customer_of,
    is_customer,
    survey_for_token,
    visit_survey_for_token,
    work_order_for_user,
    work_orders_for_user,
)
from servicedesk.classifier import score_emotion
from servicedesk.models import Category, Channel, Escalation, Level, Priority, Update, WorkOrderKind
from servicedesk.views import _report_period

Staff = HasRole(*STAFF_ROLES)
Writers = HasRole(*WRITERS)
Heads = HasRole(*HEADS, Role.COMPLIANCE_OFFICER)


class ClockSerializer(serializers.Serializer):
    target = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    percent = serializers.IntegerField()
    state = serializers.CharField()


class UpdateSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Update
        fields = ["id", "visibility", "body", "created_at", "author"]

    def get_author(self, update) -> str:
        return person_name(update.author)


class WorkOrderOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    priority = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField(source="category.code", allow_null=True, default=None)
    category_path = serializers.SerializerMethodField()
    received_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    updates = serializers.SerializerMethodField()

    def get_category_path(self, work_order) -> str:
        return work_order.category.path() if work_order.category else ""

    def get_updates(self, work_order) -> list[dict]:
        updates = work_order.updates.select_related("author")
        if self.context.get("customer"):
            updates = updates.filter(visibility=Update.Visibility.CUSTOMER)
        return UpdateSerializer(updates, many=True).data


class StaffWorkOrderOutput(WorkOrderOutput):
    channel = serializers.CharField()
    complex_case = serializers.BooleanField()
    category_confirmed = serializers.BooleanField()
    suggested_category = serializers.CharField(
        source="suggested_category.code", allow_null=True, default=None
    )
    suggested_confidence = serializers.FloatField(allow_null=True)
    emotion_score = serializers.FloatField()
    emotion_words = serializers.ListField(child=serializers.CharField())
    branch = serializers.CharField(source="branch.code")
    department = serializers.CharField(source="department.name", allow_null=True, default=None)
    customer = serializers.CharField(source="customer.masked_name", allow_null=True, default=None)
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    owner = serializers.CharField(source="owner.username", allow_null=True, default=None)
    assignment_reason = serializers.CharField()
    first_response_due = serializers.DateTimeField(allow_null=True)
    next_update_due = serializers.DateTimeField(allow_null=True)
    resolution_due = serializers.DateTimeField(allow_null=True)
    regulatory_due = serializers.DateTimeField(allow_null=True)
    clocks = serializers.SerializerMethodField()

    def get_clocks(self, work_order) -> list[dict]:
        views = sla.clock_views(work_order, timezone.now())
        return ClockSerializer(
            [
                {"target": v.target.value, "due_at": v.due_at, "percent": v.percent, "state": v.state}
                for v in views
            ],
            many=True,
        ).data


def _output(request, work_order) -> dict:
    if is_customer(request.user):
        return WorkOrderOutput(work_order, context={"customer": True}).data
    return StaffWorkOrderOutput(work_order).data


class WorkOrderListApi(APIView):
    pagination_class = ApiPagination

    class FilterSerializer(serializers.Serializer):
        status = serializers.CharField(required=False)
        department = serializers.IntegerField(required=False)
        active = serializers.BooleanField(required=False, default=False)

    @extend_schema(parameters=[FilterSerializer], responses=StaffWorkOrderOutput(many=True))
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        orders = work_orders_for_user(request.user).with_relations().prefetch_related("pauses")
        if filters.validated_data.get("status"):
            orders = orders.filter(status=filters.validated_data["status"])
        if filters.validated_data.get("department"):
            orders = orders.filter(department_id=filters.validated_data["department"])
        if filters.validated_data["active"]:
            orders = orders.active()
        return paginated(self, request, orders, render=lambda wo: _output(request, wo),
                         default_limit=200)


class WorkOrderCreateApi(APIView):
    """Staff open a work order for any type; customers open a complaint about themselves."""

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=WorkOrderKind.choices, default=WorkOrderKind.COMPLAINT)
        channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.STAFF)
        description = serializers.CharField(max_length=4000)
        branch = serializers.CharField(required=False)
        customer_no = serializers.CharField(required=False)
        category = serializers.SlugRelatedField(
            slug_field="code", queryset=Category.objects.filter(level=3), required=False
        )
        department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False)
        priority = serializers.ChoiceField(choices=Priority.choices, required=False)
        complex_case = serializers.BooleanField(default=False)

    @extend_schema(request=InputSerializer, responses={201: StaffWorkOrderOutput})
    def post(self, request):
        values = valid_input(self.InputSerializer, request)
        customer = customer_of(request.user)
        if customer is not None:
            branch = customer.home_branch or Branch.objects.filter(is_active=True).order_by("code").first()
            if branch is None:
                raise serializers.ValidationError(
                    _("Complaints cannot be received right now; please call us.")
                )
            work_order = service_call(
                lambda: services.work_order_create(
                    actor=request.user,
                    kind=WorkOrderKind.COMPLAINT,
                    channel=Channel.WEB,
                    branch=branch,
                    customer=customer,
                    description=values["description"],
                )
            )
            return Response(_output(request, work_order), status=status.HTTP_201_CREATED)
        if user_role(request.user) not in WRITERS:
            raise PermissionDenied
        branches = staff_branches(request.user)
        branch = (
            branches.filter(code=values.get("branch", "")).first()
            if values.get("branch")
            else branches.first()
        )
        if branch is None:
            raise serializers.ValidationError({"branch": [_("Choose one of your branches.")]})
        customer = None
        if values.get("customer_no"):
            customer = Customer.objects.filter(customer_no=values["customer_no"]).first()
            if customer is None:
                raise serializers.ValidationError({"customer_no": [_("No customer with this number.")]})
        work_order = service_call(
            lambda: services.work_order_create(
                actor=request.user,
                kind=values["kind"],
                channel=values["channel"],
                branch=branch,
                customer=customer,
                description=values["description"],
                category=values.get("category"),
                department=values.get("department"),
                priority=values.get("priority"),
                complex_case=values["complex_case"],
            )
        )
        return Response(_output(request, work_order), status=status.HTTP_201_CREATED)


class WorkOrderDetailApi(APIView):
    @extend_schema(responses=StaffWorkOrderOutput)
    def get(self, request, pk: int):
        return Response(_output(request, work_order_for_user(request.user, pk)))


class WorkOrderCommentApi(APIView):
    class InputSerializer(serializers.Serializer):
        body = serializers.CharField(max_length=4000)
        customer_visible = serializers.BooleanField(default=False)

    @extend_schema(request=InputSerializer, responses={201: UpdateSerializer})
    def post(self, request, pk: int):
        customer = is_customer(request.user)
        work_order = work_order_for_user(request.user, pk, write=not customer)
        data = valid_input(self.InputSerializer, request)
        update = service_call(
            lambda: services.work_order_comment(
                actor=request.user,
                work_order=work_order,
                body=data["body"],
                customer_visible=data["customer_visible"],
            )
        )
        return Response(UpdateSerializer(update).data, status=status.HTTP_201_CREATED)


class WorkOrderTransitionApi(APIView):
    """Move a work order through its life: wait for the customer, resume, resolve, close, reopen."""

    permission_classes = [Writers]

    class InputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(choices=["wait", "resume", "resolve", "close", "reopen"])
        text = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)

    @extend_schema(request=InputSerializer, responses=StaffWorkOrderOutput)
    def post(self, request, pk: int):
        work_order = work_order_for_user(request.user, pk, write=True)
        data = valid_input(self.InputSerializer, request)
        action, text, actor = data["action"], data["text"], request.user
        calls = {
            "wait": lambda: services.work_order_wait_for_customer(
                actor=actor, work_order=work_order, message=text
            ),
            "resume": lambda: services.work_order_resume(actor=actor, work_order=work_order),
            "resolve": lambda: services.work_order_resolve(
                actor=actor, work_order=work_order, resolution=text
            ),
            "close": lambda: services.work_order_close(actor=actor, work_order=work_order),
            "reopen": lambda: services.work_order_reopen(actor=actor, work_order=work_order, reason=text),
        }
        return Response(_output(request, service_call(calls[action])))


class WorkOrderAssignApi(APIView):
    permission_classes = [Writers]

    class InputSerializer(serializers.Serializer):
        assignee = serializers.PrimaryKeyRelatedField(
            queryset=get_user_model().objects.filter(staff_profile__isnull=False)
        )
        reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    @extend_schema(request=InputSerializer, responses=StaffWorkOrderOutput)
    def post(self, request, pk: int):
        work_order = work_order_for_user(request.user, pk, write=True)
        data = valid_input(self.InputSerializer, request)
        work_order = service_call(
            lambda: services.work_order_assign(
                actor=request.user,
                work_order=work_order,
                assignee=data["assignee"],
                reason=data["reason"],
            )
        )
        return Response(_output(request, work_order))


class WorkOrderCategorizeApi(APIView):
    permission_classes = [Writers]

    class InputSerializer(serializers.Serializer):
        category = serializers.SlugRelatedField(slug_field="code", queryset=Category.objects.all())

    @extend_schema(request=InputSerializer, responses=StaffWorkOrderOutput)
    def post(self, request, pk: int):
        work_order = work_order_for_user(request.user, pk, write=True)
        data = valid_input(self.InputSerializer, request)
        work_order = service_call(
            lambda: services.work_order_categorize(
                actor=request.user, work_order=work_order, category=data["category"]
            )
        )
        return Response(_output(request, work_order))


class WorkOrderMergeApi(APIView):
    permission_classes = [Writers]

    class InputSerializer(serializers.Serializer):
        into = serializers.CharField(help_text="Number of the work order to keep")

    @extend_schema(request=InputSerializer, responses=StaffWorkOrderOutput)
    def post(self, request, pk: int):
        duplicate = work_order_for_user(request.user, pk, write=True)
        data = valid_input(self.InputSerializer, request)
        into = work_orders_for_user(request.user).filter(number=data["into"]).first()
        if into is None:
            raise serializers.ValidationError({"into": [_("No work order with this number.")]})
        return Response(
            _output(
                request,
                service_call(
                    lambda: services.work_order_merge(actor=request.user, duplicate=duplicate, into=into)
                ),
            )
        )


class WorkOrderExtendApi(APIView):
    permission_classes = [HasRole(*services.EXTENSION_APPROVERS)]

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=1000)

    @extend_schema(request=InputSerializer, responses=StaffWorkOrderOutput)
    def post(self, request, pk: int):
        work_order = work_order_for_user(request.user, pk, write=True)
        data = valid_input(self.InputSerializer, request)
        return Response(
            _output(
                request,
                service_call(
                    lambda: services.work_order_extend(
                        actor=request.user, work_order=work_order, reason=data["reason"]
                    )
                ),
            )
        )


class BreachListApi(APIView):
    pagination_class = ApiPagination
    permission_classes = [Heads]

    class OutputSerializer(serializers.Serializer):
        work_order = serializers.CharField(source="work_order.number")
        work_order_id = serializers.IntegerField()
        branch = serializers.CharField(source="work_order.branch.code")
        target = serializers.CharField()
        level = serializers.IntegerField()
        level_label = serializers.CharField(source="get_level_display")
        due_at = serializers.DateTimeField()
        created_at = serializers.DateTimeField()

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request):
        escalations = (
            Escalation.objects.filter(
                work_order__in=work_orders_for_user(request.user).active(), level__gte=Level.DEPARTMENT_HEAD
            )
            .select_related("work_order__branch")
            .order_by("-level", "due_at", "pk")
        )
        return paginated(self, request, escalations, self.OutputSerializer, default_limit=200)


class ReportApi(APIView):
    permission_classes = [HasRole(*HEADS, Role.COMPLIANCE_OFFICER, Role.LOBBY_MANAGER)]

    @extend_schema(responses=dict)
    def get(self, request):
        start, end = _report_period(request)
        data = reports.build(branches=staff_branches(request.user), start=start, end=end)
        data["branches"] = [
            {"code": r.code, "complaints": r.complaints, "served": r.served, "complaints_per_10k": r.per_10k}
            for r in data["branches"]
        ]
        return Response(data)


class ClassifyApi(APIView):
    """Suggest a category for a text, with confidence and emotion/urgency (for entry forms)."""

    permission_classes = [Staff]

    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(max_length=4000)

    class OutputSerializer(serializers.Serializer):
        category = serializers.CharField(allow_null=True)
        category_path = serializers.CharField()
        confidence = serializers.FloatField()
        emotion_score = serializers.FloatField()
        raises_priority = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request):
        data = valid_input(self.InputSerializer, request)
        category, confidence = ml.suggest(data["text"])
        emotion = score_emotion(data["text"])
        return Response(
            self.OutputSerializer(
                {
                    "category": category.code if category else None,
                    "category_path": category.path() if category else "",
                    "confidence": confidence,
                    "emotion_score": emotion.score,
                    "raises_priority": emotion.raises_priority,
                }
            ).data
        )


class SurveyAnswerApi(APIView):
    """The customer's answer to a satisfaction survey; the token from the SMS link authorises it."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]

    class InputSerializer(serializers.Serializer):
        score = serializers.IntegerField(min_value=0, max_value=10)
        comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    class OutputSerializer(serializers.Serializer):
        score = serializers.IntegerField()
        follow_up = serializers.CharField(source="follow_up.number", allow_null=True, default=None)

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request, token: str):
        survey = survey_for_token(token)
        data = valid_input(self.InputSerializer, request)
        survey = service_call(
            lambda: services.survey_answer(survey=survey, score=data["score"], comment=data["comment"])
        )
        return Response(self.OutputSerializer(survey).data)


class VisitSurveyAnswerApi(APIView):
    """The customer's rating (1–5) of a service visit; the token from the e-receipt authorises it.

    400 for a bad score, 409 when the visit was already rated, 410 when the survey has expired."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]

    class InputSerializer(serializers.Serializer):
        score = serializers.IntegerField(
            min_value=1,
            max_value=5,
            error_messages={
                "min_value": _lazy("Choose a score from 1 to 5."),
                "max_value": _lazy("Choose a score from 1 to 5."),
            },
        )
        comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    class OutputSerializer(serializers.Serializer):
        score = serializers.IntegerField()
        answered_at = serializers.DateTimeField()
        follow_up = serializers.CharField(source="follow_up.number", allow_null=True, default=None)

    class ClosedSerializer(serializers.Serializer):
        detail = serializers.CharField()
        code = serializers.CharField()

    @extend_schema(
        request=InputSerializer,
        responses={200: OutputSerializer, 409: ClosedSerializer, 410: ClosedSerializer},
    )
    def post(self, request, token: str):
        survey = visit_survey_for_token(token)
        answer = valid_input(self.InputSerializer, request)
        try:
            survey = services.visit_survey_answer(
                survey=survey, score=answer["score"], comment=answer["comment"]
            )
        except services.SurveyClosed as closed:
            raise Refusal(closed.code, closed.messages[0],
                          status.HTTP_409_CONFLICT if closed.code == "answered" else status.HTTP_410_GONE)
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else error.messages
            ) from None
        return Response(self.OutputSerializer(survey).data)
