"""The Inter-agency TBT Board. Its composition (Đ10.1.d) is reference data loaded from the start;
membership, meetings and decisions arrive with their issue."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BoardAgency(models.Model):
    """An agency or association represented on the Board (Đ10.1.d)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government body")
        MINISTRY = "ministry", _("Ministry")
        ASSOCIATION = "association", _("Association")

    code = models.SlugField(max_length=40, unique=True)
    name_vi = models.CharField(max_length=255)
    name_en = models.CharField(max_length=255)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("Board agency")
        verbose_name_plural = _("Board agencies")

    def __str__(self) -> str:
        return self.name_en if (get_language() or "vi")[:2] == "en" else self.name_vi
