"""The image library: uploaded pictures that article bodies can show."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def library_image_path(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class LibraryImage(models.Model):
    """An uploaded picture that article bodies can show, with its description."""

    image = models.ImageField(
        upload_to=library_image_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt_text = models.CharField(
        _("image description"),
        max_length=255,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = models.CharField(
        max_length=255, blank=True, help_text=_("Offered as the caption when it is inserted.")
    )
    credit = models.CharField(max_length=255, blank=True, help_text=_("Photographer/agency."))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("library image")
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self):
        return self.alt_text
