"""Areas: police force areas, regions, countries, local authorities, LSOAs, neighbourhoods."""

from __future__ import annotations

from django.db import models


class AreaKind(models.TextChoices):
    COUNTRY = "country", "Country"
    REGION = "region", "Region"
    FORCE = "force", "Police force area"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    LSOA = "lsoa", "Lower layer super output area"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
    OTHER = "other", "Other"


class Area(models.Model):
    """A place figures are reported for. ``code`` is the ONS code where one exists."""

    kind = models.CharField(max_length=20, choices=AreaKind.choices)
    code = models.CharField(max_length=40, help_text="ONS code, or police.uk id for neighbourhoods")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120)
    vintage = models.CharField(max_length=4, blank=True, help_text="LSOA vintage: 2011 or 2021")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    force = models.SlugField(max_length=80, blank=True, help_text="police.uk force id")
    geometry = models.JSONField(null=True, blank=True, help_text="GeoJSON geometry (WGS84)")
    imd2019_rank = models.PositiveIntegerField(null=True, blank=True)
    imd2019_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)
    # Residents, for rates per 1,000: loaded by load_population (bundled: data/geography).
    population = models.PositiveIntegerField(null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code", "vintage"], name="area_unique_code")
        ]
        indexes = [models.Index(fields=["kind", "force"]), models.Index(fields=["slug"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class PeerGroup(models.Model):
    """A configurable group of forces a force is compared with."""

    force = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="peer_groups")
    name = models.CharField(max_length=200)
    provisional = models.BooleanField(default=True)
    source = models.CharField(max_length=300, blank=True)
    members = models.ManyToManyField(Area, related_name="member_of_peer_groups")

    def __str__(self) -> str:
        return f"{self.name} for {self.force.name}"
