"""Pages for customers: fill a form (signed in, or with a ticket's link), sign, get the e-receipt."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from branches.access import user_role
from branches.models import ServiceType
from branches.roles import Role
from counter import access, forms_ui, formschema, receipts, services, surveys
from counter.models import FormSource, PrefilledForm, Receipt, RecordStatus, ServiceRecord


def _ticket(token: str):
    from queueing.models import Ticket

    return get_object_or_404(
        Ticket.objects.select_related("service_type", "branch", "customer"), public_token=token
    )


def _actor(request):
    return request.user if request.user.is_authenticated else None


def _fill(request, form: PrefilledForm, *, save_url: str, photo_url: str, back_url: str = ""):
    """GET shows the form; POST saves a draft or submits; an htmx request gets the form body only."""
    context = {
        "form": form,
        "save_url": save_url,
        "photo_url": photo_url,
        "back_url": back_url,
        "errors": {},
        "saved": "",
        "proposals": [],
    }
    values = form.values
    status = 200
    if request.method == "POST":
        typed = forms_ui.values_from_post(form.fields, request.POST)
        submit = request.POST.get("action") == "submit"
        try:
            result = services.form_save(actor=_actor(request), form=form, values=typed, submit=submit)
            context["errors"] = result.errors_by_field()
            context["saved"] = "submitted" if submit else "draft"
        except services.FormInvalid as error:
            context["errors"], status = error.errors, 400
        form.refresh_from_db()
        values = form.values | (typed if status == 400 else {})
    return _render_form(request, form, values, context, status)


def _render_form(request, form, values, context, status=200):
    context["rows"] = forms_ui.rows(form.fields, values, context["errors"])
    template = "counter/_form_body.html" if request.htmx else "counter/form_fill.html"
    return render(request, template, context, status=status)


def _photo(request, form: PrefilledForm, *, save_url: str, photo_url: str):
    context = {
        "form": form,
        "save_url": save_url,
        "photo_url": photo_url,
        "errors": {},
        "saved": "",
        "proposals": [],
    }
    field_name = request.POST.get("field", "")
    upload = request.FILES.get("file")
    status = 200
    try:
        if upload is None:
            raise services.FormInvalid({field_name: [str(formschema.MESSAGES["not_an_upload"])]})
        _, context["proposals"] = services.form_attach_photo(
            actor=_actor(request), form=form, field_name=field_name, data=upload.read()
        )
    except services.FormInvalid as error:
        context["errors"], status = error.errors, 400
    form.refresh_from_db()
    return _render_form(request, form, form.values, context, status)


# --- with a ticket's link (remote ticket, kiosk ticket) --------------------------------------


def _ticket_urls(token, form):
    return {
        "save_url": reverse("counter:ticket-form", args=[token, form.public_id]),
        "photo_url": reverse("counter:ticket-form-photo", args=[token, form.public_id]),
    }


@require_GET
def ticket_home(request, token):
    """The customer's counter page for a ticket: the form, the signature pad, then the e-receipt."""
    ticket = _ticket(token)
    forms = list(PrefilledForm.objects.filter(ticket=ticket).select_related("service_type"))
    # The visit's line being served now, else its last one; the receipt covers the whole visit.
    lines = ServiceRecord.objects.filter(ticket=ticket).select_related("form__schema", "counter")
    record = (
        lines.filter(status=RecordStatus.IN_PROGRESS).first()
        or lines.filter(status=RecordStatus.FINISHED).order_by("-finished_at", "-id").first()
    )
    receipt = Receipt.objects.filter(record__ticket=ticket).first()
    asking_signature = bool(
        record
        and record.status == RecordStatus.IN_PROGRESS
        and not record.signature_sha256
        and record.signature_requested
    )
    template = "counter/_ticket_panel.html" if request.htmx else "counter/ticket_home.html"
    return render(
        request,
        template,
        {
            "ticket": ticket,
            "forms": forms,
            "record": record,
            "receipt": receipt,
            "asking_signature": asking_signature,
            "signing_summary": receipts.signing_summary(record, forms_ui.language())
            if asking_signature
            else [],
            "ws_path": f"/ws/counter/t/{ticket.public_token}/",
        },
    )


@require_POST
def ticket_form_start(request, token):
    ticket = _ticket(token)
    form = PrefilledForm.objects.filter(ticket=ticket, service_type=ticket.service_type).first()
    if form is None:
        try:
            form = services.form_start(
                actor=_actor(request),
                service_type=ticket.service_type,
                source=FormSource.CUSTOMER,
                ticket=ticket,
            )
        except services.FormInvalid:
            raise Http404("this service has no form") from None
    return redirect("counter:ticket-form", token, form.public_id)


def ticket_form(request, token, public_id):
    form = access.form_for_ticket_token(token, public_id)
    return _fill(
        request, form, **_ticket_urls(token, form), back_url=reverse("counter:ticket-home", args=[token])
    )


@require_POST
def ticket_form_photo(request, token, public_id):
    form = access.form_for_ticket_token(token, public_id)
    return _photo(request, form, **_ticket_urls(token, form))


@require_POST
def ticket_sign(request, token):
    """The customer signs on their phone's signature pad while the teller waits."""
    ticket = _ticket(token)
    record = get_object_or_404(ServiceRecord, ticket=ticket, status=RecordStatus.IN_PROGRESS)
    try:
        services.record_sign(actor=_actor(request), record=record, data_url=request.POST.get("signature", ""))
        error = ""
    except services.FormInvalid as problem:
        error = problem.errors["signature"][0]
    if request.htmx:
        return render(request, "counter/_sign_result.html", {"error": error}, status=400 if error else 200)
    return redirect("counter:ticket-home", token)


# --- signed-in customers (pre-filling at home, e.g. for an appointment) ------------------------


def _customer_urls(form):
    return {
        "save_url": reverse("counter:my-form", args=[form.public_id]),
        "photo_url": reverse("counter:my-form-photo", args=[form.public_id]),
    }


@login_required
def my_form_start(request, service_code):
    """GET explains what the form is for; POST starts a new draft for the signed-in customer."""
    customer = getattr(request.user, "customer", None)
    if user_role(request.user) != Role.CUSTOMER or customer is None:
        raise Http404("customers only")
    service_type = get_object_or_404(ServiceType, code=service_code, is_active=True)
    if request.method != "POST":
        return render(request, "counter/form_start.html", {"service_type": service_type})
    try:
        form = services.form_start(
            actor=request.user, service_type=service_type, source=FormSource.CUSTOMER, customer=customer
        )
    except services.FormInvalid:
        raise Http404("this service has no form") from None
    return redirect("counter:my-form", form.public_id)


@login_required
def my_form(request, public_id):
    form = access.form_for_user(request.user, public_id, write=request.method == "POST")
    return _fill(request, form, **_customer_urls(form))


@login_required
@require_POST
def my_form_photo(request, public_id):
    form = access.form_for_user(request.user, public_id, write=True)
    return _photo(request, form, **_customer_urls(form))


# --- e-receipt ------------------------------------------------------------------------------


def _receipt(token: str) -> Receipt:
    return get_object_or_404(Receipt.objects.select_related("record__ticket"), public_token=token)


@require_GET
def receipt_page(request, token):
    """The e-receipt (from the SMS link; the token is the key) and the visit's survey under it."""
    receipt = _receipt(token)
    return render(
        request,
        "counter/receipt.html",
        {"receipt": receipt, "content": receipt.content, "survey": surveys.for_receipt(receipt)},
    )


@require_GET
def receipt_pdf(request, token):
    receipt = _receipt(token)
    response = HttpResponse(bytes(receipt.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{receipt.number}.pdf"'
    return response
