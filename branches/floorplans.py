"""A branch's floor plan: the sanitized drawing (branches.svg_sanitize) and named markers for its
zones, counters, kiosks and entrance, placed in the drawing's own coordinates. The ticket page,
the lobby's "now calling" and the kiosk slip point customers at these (branches.wayfinding)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Localized, ServicePoint, Zone


class FloorPlan(models.Model):
    branch = models.OneToOneField(Branch, on_delete=models.CASCADE, related_name="floor_plan",
                                  verbose_name=_("branch"))
    svg = models.TextField(_("drawing (sanitized SVG)"))
    view_box = models.CharField(_("view box"), max_length=80)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))

    class Meta:
        verbose_name = _("floor plan")
        verbose_name_plural = _("floor plans")

    def __str__(self):
        return f"{self.branch.code}"

    @property
    def size(self) -> tuple[float, float, float, float]:
        x, y, w, h = (float(v) for v in self.view_box.split())
        return x, y, w, h


class FloorMarker(Localized):
    class Kind(models.TextChoices):
        ZONE = "zone", _("Zone")
        COUNTER = "counter", _("Counter")
        KIOSK = "kiosk", _("Kiosk")
        ENTRANCE = "entrance", _("Entrance")

    plan = models.ForeignKey(FloorPlan, on_delete=models.CASCADE, related_name="markers",
                             verbose_name=_("floor plan"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("zone"))
    service_point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, null=True, blank=True,
                                      related_name="+", verbose_name=_("counter or kiosk"))
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50, blank=True)
    # How to get there from the entrance, in a few words: "A区，左手边" / "Zone A, on your left".
    direction_zh_hans = models.CharField(_("direction (Chinese)"), max_length=60, blank=True)
    direction_en = models.CharField(_("direction (English)"), max_length=60, blank=True)
    x = models.FloatField(_("x"))
    y = models.FloatField(_("y"))

    class Meta:
        ordering = ["plan", "kind", "name_zh_hans"]
        verbose_name = _("floor-plan marker")
        verbose_name_plural = _("floor-plan markers")
        constraints = [
            models.UniqueConstraint(fields=["plan", "service_point"],
                                    condition=Q(service_point__isnull=False),
                                    name="branches_marker_one_per_point"),
            models.UniqueConstraint(fields=["plan", "zone"], condition=Q(kind="zone"),
                                    name="branches_marker_one_per_zone"),
            models.CheckConstraint(
                condition=(Q(kind="zone", zone__isnull=False, service_point__isnull=True)
                           | Q(kind__in=["counter", "kiosk"], service_point__isnull=False)
                           | Q(kind="entrance", service_point__isnull=True)),
                name="branches_marker_names_its_place"),
        ]

    @property
    def direction(self) -> str:
        return self.localized("direction")
