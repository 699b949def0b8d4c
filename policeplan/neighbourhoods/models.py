"""Neighbourhood policing teams as published by the data.police.uk API.

Text fields keep the API's HTML exactly as served (provenance); pages only ever show it as
plain text (``description_text``, ``bio_text``), never as markup.
"""

from __future__ import annotations

from django.db import models

from policeplan.geography.models import Area, AreaKind
from policeplan.provenance.models import ImportRun

from .text import plain_text


class Neighbourhood(models.Model):
    """A force's neighbourhood and its policing team's public details."""

    force = models.SlugField(max_length=80, help_text="data.police.uk force id")
    police_uk_id = models.CharField(max_length=100, help_text="data.police.uk neighbourhood id")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="as served: may hold HTML")
    url_force = models.CharField(max_length=1000, blank=True, help_text="the force's page")
    contact_details = models.JSONField(default=dict, blank=True)
    locations = models.JSONField(default=list, blank=True, help_text="police stations etc.")
    boundary = models.JSONField(default=list, blank=True, help_text="[[lat, lng], ...]")
    priorities = models.JSONField(default=list, blank=True, help_text="as served")
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        limit_choices_to={"kind": AreaKind.NEIGHBOURHOOD},
        related_name="+",
    )
    fetched_at = models.DateTimeField()
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["force", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "police_uk_id"], name="neighbourhood_unique_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.force})"

    @property
    def description_text(self) -> str:
        """The description as plain text (tags and scripts removed)."""
        return plain_text(self.description)


class TeamMember(models.Model):
    """A member of a neighbourhood policing team, in the order the API lists them."""

    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(max_length=200)
    rank = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True, help_text="as served: may hold HTML")
    contact_details = models.JSONField(default=dict, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["neighbourhood", "order"]

    def __str__(self) -> str:
        return f"{self.rank} {self.name}".strip()

    @property
    def bio_text(self) -> str:
        """The biography as plain text (tags and scripts removed)."""
        return plain_text(self.bio)
