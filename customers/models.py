import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.crypto import blind_index, blind_indexes
from compliance.fields import EncryptedBinaryField, EncryptedTextField
from core.pii import mask_id_number, mask_name, mask_phone
from customers.validators import normalize_cn_mobile, normalize_resident_id

ELDERLY_AGE = 65


class CustomerQuerySet(models.QuerySet):
    def by_phone(self, phone: str):
        return self.filter(
            phone_digest__in=blind_indexes(normalize_cn_mobile(phone), purpose="phone"))

    def by_id_number(self, id_number: str):
        return self.filter(
            id_number_digest__in=blind_indexes(normalize_resident_id(id_number), purpose="id_number"))


class Customer(models.Model):
    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("Resident identity card")
        PASSPORT = "passport", _("Passport")
        HK_MACAO_PERMIT = "hk_macao_permit", _("Mainland travel permit for HK/Macao residents")
        TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
        FOREIGNER_PERMIT = "foreigner_permit", _("Foreigner's permanent residence ID card")

    class Segment(models.TextChoices):
        MASS = "mass", _("Mass retail")
        AFFLUENT = "affluent", _("Affluent")
        HIGH_NET_WORTH = "high_net_worth", _("High net worth")
        PRIVATE = "private", _("Private banking")

    class VipTier(models.IntegerChoices):
        NONE = 0, _("None")
        GOLD = 1, _("Gold")
        PLATINUM = 2, _("Platinum")
        DIAMOND = 3, _("Diamond")

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", _("Simplified Chinese")
        EN = "en", _("English")

    customer_no = models.CharField(_("customer number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True, verbose_name=_("phone digest"))
    email = models.EmailField(_("email"), blank=True)
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices,
                               default=IdType.RESIDENT_ID)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_digest = models.CharField(max_length=64, blank=True, db_index=True,
                                        verbose_name=_("id number digest"))
    id_expiry = models.DateField(_("ID valid until"), null=True, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    segment = models.CharField(_("segment"), max_length=20, choices=Segment.choices,
                               default=Segment.MASS)
    vip_tier = models.PositiveSmallIntegerField(_("VIP tier"), choices=VipTier.choices,
                                                default=VipTier.NONE)
    needs_wheelchair = models.BooleanField(_("uses a wheelchair"), default=False)
    needs_hearing = models.BooleanField(_("hearing support"), default=False)
    needs_visual = models.BooleanField(_("visual support"), default=False)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    preferred_language = models.CharField(_("preferred language"), max_length=10,
                                          choices=Language.choices, default=Language.ZH_HANS)
    home_branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="customers", verbose_name=_("home branch"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="customer", verbose_name=_("user"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["customer_no"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        permissions = [("reveal_personal_data", _("Can reveal full personal data with a reason"))]
        constraints = [
            models.UniqueConstraint(fields=["id_type", "id_number_digest"],
                                    condition=~Q(id_number_digest=""),
                                    name="unique_customer_id_document"),
        ]

    def __str__(self):
        return f"{self.customer_no} {self.masked_name}"

    def set_phone(self, phone: str) -> None:
        self.phone = normalize_cn_mobile(phone)
        self.phone_digest = blind_index(self.phone, purpose="phone") if self.phone else ""

    def blind_index_values(self) -> dict[str, str]:
        """The lookup digests recomputed with the newest key (`manage.py rotate_keys`)."""
        return {"phone_digest": blind_index(self.phone, purpose="phone") if self.phone else "",
                "id_number_digest": (blind_index(self.id_number, purpose="id_number")
                                     if self.id_number else "")}

    def set_id_number(self, id_number: str) -> None:
        self.id_number = normalize_resident_id(id_number)
        self.id_number_digest = (blind_index(self.id_number, purpose="id_number")
                                 if self.id_number else "")

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def is_elderly(self) -> bool:
        return (self.age or 0) >= ELDERLY_AGE

    @property
    def needs(self) -> list[str]:
        flags = {"wheelchair": self.needs_wheelchair, "hearing": self.needs_hearing,
                 "visual": self.needs_visual, "interpreter": self.needs_interpreter}
        return [name for name, needed in flags.items() if needed]

    @property
    def need_labels(self) -> list[str]:
        """The needs as staff read them (the fields' translated names: 使用轮椅, …)."""
        return [str(self._meta.get_field(f"needs_{name}").verbose_name) for name in self.needs]

    def id_expired_on(self, day: dt.date) -> bool:
        return self.id_expiry is not None and self.id_expiry < day

    def current_risk_assessment(self) -> "RiskAssessment | None":
        return self.risk_assessments.order_by("-assessed_on", "-id").first()


class RiskAssessment(models.Model):
    """The customer's risk tolerance level (C1–C5) from a suitability questionnaire. Not to be
    confused with personal-data categories C1–C3."""

    class Level(models.TextChoices):
        C1 = "C1", _("C1 conservative")
        C2 = "C2", _("C2 cautious")
        C3 = "C3", _("C3 balanced")
        C4 = "C4", _("C4 growth")
        C5 = "C5", _("C5 aggressive")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE,
                                 related_name="risk_assessments", verbose_name=_("customer"))
    level = models.CharField(_("risk level"), max_length=2, choices=Level.choices)
    assessed_on = models.DateField(_("assessed on"))
    expires_on = models.DateField(_("valid until"))
    in_person = models.BooleanField(_("done in person"), default=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+", verbose_name=_("assessed by"))
    branch = models.ForeignKey("branches.Branch", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name=_("branch"))
    questionnaire_version = models.CharField(_("questionnaire version"), max_length=20,
                                             blank=True)

    class Meta:
        ordering = ["customer", "-assessed_on"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        constraints = [models.CheckConstraint(condition=Q(expires_on__gt=models.F("assessed_on")),
                                              name="risk_assessment_expires_after_assessment")]

    def __str__(self):
        return f"{self.customer.customer_no} {self.level} {self.assessed_on}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.assessed_on <= day <= self.expires_on


class Consent(models.Model):
    class Kind(models.TextChoices):
        FACE = "face", _("Face recognition greeting")
        MARKETING = "marketing", _("Marketing messages")
        DATA_PROCESSING = "data_processing", _("Personal data processing")
        E_SIGNATURE = "e_signature", _("Electronic signature")

    class Channel(models.TextChoices):
        COUNTER = "counter", _("Counter")
        KIOSK = "kiosk", _("Kiosk")
        WEB = "web", _("Web")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="consents",
                                 verbose_name=_("customer"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text_version = models.CharField(_("consent text version"), max_length=20)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    captured_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+", verbose_name=_("captured by"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["customer", "-granted_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(fields=["customer", "kind"],
                                    condition=Q(withdrawn_at__isnull=True),
                                    name="one_active_consent_per_kind"),
        ]

    def __str__(self):
        return f"{self.customer.customer_no} {self.kind} {self.text_version}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


# --- Face greeting (customers/face, docs/face.md) ------------------------------------------------


class FaceEnrolment(models.Model):
    """A consenting customer's face encodings for the greeting at one branch.

    Only the 128-number encodings of 1–3 photos are kept (the photos never are), encrypted at rest:
    biometric data, category C3 — never displayed, logged or sent anywhere. Withdrawing the "face"
    consent deletes the row (customers.face.services.face_enrolments_erase).
    """

    class Source(models.TextChoices):
        KIOSK_CAMERA = "kiosk_camera", _("Kiosk camera")
        COUNTER_WEBCAM = "counter_webcam", _("Counter webcam")
        UPLOAD = "upload", _("Uploaded photo")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE,
                                 related_name="face_enrolments", verbose_name=_("customer"))
    branch = models.ForeignKey("branches.Branch", on_delete=models.CASCADE,
                               related_name="face_enrolments", verbose_name=_("branch"))
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="face_enrolments",
                                verbose_name=_("consent"))
    encodings = EncryptedBinaryField(_("face encodings"))
    photo_count = models.PositiveSmallIntegerField(_("photos"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+", verbose_name=_("enrolled by"))
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)

    class Meta:
        ordering = ["branch", "customer"]
        verbose_name = _("face enrolment")
        verbose_name_plural = _("face enrolments")
        constraints = [
            models.UniqueConstraint(fields=["customer", "branch"],
                                    name="one_face_enrolment_per_customer_and_branch"),
            models.CheckConstraint(condition=Q(photo_count__gte=1, photo_count__lte=3),
                                   name="face_enrolment_has_one_to_three_photos"),
        ]

    def __str__(self):
        return f"{self.customer.customer_no} @ {self.branch_id}"


class FaceGallery(models.Model):
    """A branch's gallery version, bumped in the transaction of every enrolment and erasure so each
    worker sees at its next task that its cached gallery is stale."""

    branch = models.OneToOneField("branches.Branch", on_delete=models.CASCADE,
                                  related_name="face_gallery", verbose_name=_("branch"))
    version = models.PositiveBigIntegerField(default=0, verbose_name=_("version"))

    class Meta:
        verbose_name = _("face gallery")
        verbose_name_plural = _("face galleries")

    def __str__(self):
        return f"{self.branch_id} v{self.version}"
