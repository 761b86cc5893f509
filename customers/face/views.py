"""Face greeting pages: enrolment with consent for staff, and the entrance camera page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from branches.access import role_required
from customers.face import frames, services
from customers.face.access import ENROL_ROLES, face_customer_for_user
from customers.face.api import face_status
from customers.face.uploads import keep_uploads_in_memory, read_uploads
from customers.models import FaceEnrolment


@role_required(*ENROL_ROLES)
def face_customer(request, customer_id: int):
    customer, branch = face_customer_for_user(request.user, customer_id)
    return render(request, "customers/face/customer.html", {
        "customer": customer, "branch": branch, "status": face_status(customer),
        "consent_text": services.FACE_CONSENT_TEXT, "sources": FaceEnrolment.Source.choices,
        "errors": [],
    })


@csrf_exempt
@require_POST
def face_enrol_view(request, customer_id: int):
    # Upload handlers must be set before the CSRF check reads the form, hence exempt + protect.
    keep_uploads_in_memory(request, max_bytes=frames.PHOTO_LIMITS.max_bytes,
                           max_files=services.MAX_PHOTOS + 1)
    return _enrol(request, customer_id)


@csrf_protect
@role_required(*ENROL_ROLES)
def _enrol(request, customer_id: int):
    customer, branch = face_customer_for_user(request.user, customer_id)
    try:
        services.face_enrol(
            actor=request.user, customer=customer, branch=branch,
            photos=read_uploads(request.FILES.getlist("photos")),
            source=request.POST.get("source", ""),
            consent_captured=request.POST.get("consent_captured") == "on")
    except ValidationError as error:
        errors = [message for messages_ in error.message_dict.values() for message in messages_]
        return render(request, "customers/face/customer.html", {
            "customer": customer, "branch": branch, "status": face_status(customer),
            "consent_text": services.FACE_CONSENT_TEXT, "sources": FaceEnrolment.Source.choices,
            "errors": errors,
        }, status=400)
    messages.success(request, _("Face enrolled. The photos were not kept."))
    return redirect("face-customer", customer_id=customer.pk)


@require_POST
@role_required(*ENROL_ROLES)
def face_withdraw_view(request, customer_id: int):
    customer, _branch = face_customer_for_user(request.user, customer_id)
    services.face_consent_withdraw(actor=request.user, customer=customer)
    messages.success(request, _("Face consent withdrawn; the face data was deleted."))
    return redirect("face-customer", customer_id=customer.pk)


def face_camera(request):
    """The entrance camera (or a kiosk's camera) page for a signed-in device."""
    if request.device is None:
        return redirect("device-login")
    return render(request, "customers/face/camera.html", {"device": request.device})
