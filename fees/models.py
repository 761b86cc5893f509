"""The published fee catalogue: items, and each item's versions (price or rate, minimum and
maximum, legal basis, waivers), each effective from a date and published through maker-checker."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.i18n import english


class Category(models.TextChoices):
    TRANSFER = "transfer", _("Transfers and remittances")
    CARD = "card", _("Bank cards")
    STATEMENT = "statement", _("Statements and certificates")
    ACCOUNT = "account", pgettext_lazy("fees", "Accounts")


class Basis(models.TextChoices):
    PER_TRANSACTION = "transaction", _("per transaction")
    PER_CARD = "card", _("per card")
    PER_COPY = "copy", _("per copy")
    PER_YEAR = "year", _("per year")


class Method(models.TextChoices):
    FIXED = "fixed", _("Fixed price")
    RATE = "rate", _("Percentage of the amount")


class Group(models.TextChoices):
    """Customers a fee may be waived for (the regulator's special groups)."""

    ELDERLY = "elderly", _("Customers aged 60 or over")
    DISABLED = "disabled", _("Customers with disabilities")
    LOW_INCOME = "low_income", _("Recipients of subsistence allowance")
    SOLDIER = "soldier", _("Active servicemen and veterans")


class FeeItem(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    basis = models.CharField(_("charged"), max_length=20, choices=Basis.choices)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    # The counter services that charge it: the teller sees the fee before the service, and the
    # customer on the e-receipt.
    service_types = models.ManyToManyField("branches.ServiceType", blank=True, related_name="fee_items",
                                           verbose_name=_("charged for"))

    class Meta:
        ordering = ["category", "sort", "code"]
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if english() and self.name_en else self.name_zh_hans


class FeeVersion(models.Model):
    """What an item costs from `effective_from` until the next version's date. Never edited:
    a change is a new version, so the history of what was published stays as it was."""

    item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="versions",
                             verbose_name=_("fee item"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    price = models.DecimalField(_("price (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(_("rate (%)"), max_digits=7, decimal_places=4, null=True, blank=True)
    minimum = models.DecimalField(_("minimum (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField(_("maximum (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    waivers = models.JSONField(_("waived for"), default=list, blank=True)
    effective_from = models.DateField(_("effective from"))
    published_at = models.DateTimeField(_("published at"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("approved by"))
    change_request_id = models.BigIntegerField(_("change request"), null=True, blank=True)

    class Meta:
        ordering = ["item", "-effective_from"]
        verbose_name = _("fee version")
        verbose_name_plural = _("fee versions")
        constraints = [
            models.UniqueConstraint(fields=["item", "effective_from"], name="fee_version_one_per_day"),
            models.CheckConstraint(
                condition=(Q(method="fixed", price__gte=0, rate__isnull=True)
                           | Q(method="rate", rate__gt=0, rate__lte=100, price__isnull=True)),
                name="fee_version_price_or_rate"),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True) | Q(maximum__isnull=True) | Q(minimum__lte=F("maximum")),
                name="fee_version_min_below_max"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.effective_from:%Y-%m-%d}"


class RateKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit rate")
    LOAN = "loan", _("Loan rate")
    EXCHANGE = "exchange", _("Exchange rate")


CODE_HELP = _("The same code for every version of one rate: lower-case letters, digits and hyphens.")
RATE_HELP = _("Per cent a year; for an exchange rate, what the bank pays in yuan for 100 units.")
SELLING_HELP = _("Exchange rates only: what the bank charges in yuan for 100 units.")


class PublishedRate(models.Model):
    """A rate the branch shows its customers (the lobby screen's ticker): a deposit or loan rate in
    per cent a year, or an exchange rate in yuan per 100 units of the currency (the bank buys at
    `rate`, sells at `selling`). Head office publishes rates for every branch (`branch` empty); a
    branch's own rate for the same `code` replaces head office's there. In effect from the start of
    `effective_from` in the branch's local time. Never edited: a change is a new row."""

    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="published_rates", verbose_name=_("branch"),
                               help_text=_("Empty: head office's rate for every branch."))
    kind = models.CharField(_("kind"), max_length=10, choices=RateKind.choices)
    code = models.SlugField(_("code"), max_length=40, help_text=CODE_HELP)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=60)
    rate = models.DecimalField(_("rate"), max_digits=10, decimal_places=4, help_text=RATE_HELP)
    selling = models.DecimalField(_("selling rate"), max_digits=10, decimal_places=4, null=True, blank=True,
                                  help_text=SELLING_HELP)
    effective_from = models.DateField(_("effective from"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+", verbose_name=_("published by"))

    class Meta:
        ordering = ["kind", "code", "-effective_from"]
        verbose_name = _("published rate")
        verbose_name_plural = _("published rates")
        constraints = [
            models.UniqueConstraint(fields=["branch", "code", "effective_from"], name="rate_one_per_day"),
            models.UniqueConstraint(fields=["code", "effective_from"], condition=Q(branch__isnull=True),
                                    name="rate_one_per_day_network"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="rate_positive"),
            models.CheckConstraint(condition=Q(kind="exchange", selling__gte=F("rate"))
                                   | Q(~Q(kind="exchange"), selling__isnull=True),
                                   name="rate_selling_for_exchange_only"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.effective_from:%Y-%m-%d}"

    @property
    def name(self) -> str:
        return self.name_en if english() and self.name_en else self.name_zh_hans

    def clean(self):
        from fees.rates import check_rate

        check_rate(self.branch, self.values(), exclude=self.pk)

    def values(self) -> dict:
        return {"kind": self.kind, "code": self.code, "name_zh_hans": self.name_zh_hans,
                "name_en": self.name_en, "rate": self.rate, "selling": self.selling,
                "effective_from": self.effective_from}
