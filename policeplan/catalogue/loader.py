"""Load plan catalogue YAML into the database: strict, atomic and idempotent."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from . import models
from .schema import CatalogueFile


class CatalogueError(Exception):
    """A catalogue file could not be loaded; ``problems`` name the file and key path."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}: {p}" if path else p for p in problems))


class _StrictLoader(yaml.SafeLoader):
    """A YAML loader that refuses duplicate mapping keys (PyYAML silently keeps the last)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)  # type: ignore[no-untyped-call]
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _key_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def parse_catalogue(path: str, text: str) -> CatalogueFile:
    """Validate catalogue text; raise CatalogueError naming the file and each key path."""
    try:
        raw = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogueError(path, [f"{where}not valid YAML ({problem})"]) from exc
    if not isinstance(raw, dict):
        raise CatalogueError(path, ["the file must be a mapping with 'schema_version' and 'plan'"])
    try:
        return CatalogueFile.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "unknown key (not in the catalogue schema)"
            problems.append(f"{_key_path(tuple(error['loc']))}: {message}")
        raise CatalogueError(path, problems) from exc


@dataclass
class LoadResult:
    plan_slug: str
    changed: bool
    counts: dict[str, int] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)


def load_catalogue_file(path: Path) -> LoadResult:
    """Load one catalogue file. Unchanged files write nothing; changes are applied atomically."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueError(str(path), [f"byte {exc.start}: not UTF-8 text"]) from exc
    catalogue = parse_catalogue(str(path), text)
    digest = hashlib.sha256(data).hexdigest()
    plan_data = catalogue.plan
    existing = models.Plan.objects.filter(slug=plan_data.slug).first()
    if existing is not None and existing.content_sha256 == digest:
        return LoadResult(plan_data.slug, changed=False, counts=_counts(existing))
    with transaction.atomic():
        return _write_plan(path, digest, catalogue)


def _write_plan(path: Path, digest: str, catalogue: CatalogueFile) -> LoadResult:
    p = catalogue.plan
    now = timezone.now()
    plan, _ = models.Plan.objects.update_or_create(
        slug=p.slug,
        defaults={
            "title": p.title,
            "force": p.force,
            "area_name": p.area_name,
            "commissioner": p.commissioner,
            "period_start": p.period.start,
            "period_end": p.period.end,
            "status": p.status,
            "partial": p.partial,
            "partial_note": p.partial_note,
            "source_document": p.source_document,
            "vision": p.vision,
            "force_strategic_priorities": p.force_strategic_priorities,
            "commitments": p.commitments,
            "national_measures": [m.model_dump() for m in p.national_measures],
            "content_sha256": digest,
            "loaded_at": now,
        },
    )
    removed: dict[str, list[str]] = {}
    strategies: dict[str, models.Strategy] = {}
    mission_slugs = []
    for m_order, m in enumerate(p.missions):
        mission, _ = models.Mission.objects.update_or_create(
            plan=plan,
            slug=m.slug,
            defaults={"title": m.title, "summary": m.summary, "order": m_order},
        )
        mission_slugs.append(m.slug)
        for s_order, s in enumerate(m.strategies):
            # Strategy slugs are unique across a plan, so a strategy can move between missions.
            strategy = models.Strategy.objects.filter(mission__plan=plan, slug=s.slug).first()
            strategy = strategy or models.Strategy(slug=s.slug)
            strategy.mission = mission
            strategy.title = s.title
            strategy.aims, strategy.deliverables = s.aims, s.deliverables
            strategy.indicators, strategy.note = s.indicators, s.note
            strategy.order = s_order
            strategy.save()
            strategies[s.slug] = strategy
    metric_slugs = []
    for order, mt in enumerate(p.metrics):
        models.Metric.objects.update_or_create(
            plan=plan,
            slug=mt.slug,
            defaults={
                "strategy": strategies[mt.strategy],
                "name": mt.name,
                "framework_priority": mt.framework_priority,
                "headline": mt.headline,
                "source_kind": mt.source.kind.value,
                "source_label": mt.source.label,
                "source_inherited": mt.source.inherited,
                "unit": mt.unit.value,
                "polarity": mt.polarity.value,
                "frequency": mt.frequency.value,
                "definition": mt.definition,
                "series": [s.model_dump(mode="json") for s in mt.series],
                "awaiting_data_note": mt.awaiting_data_note,
                "owner": mt.owner,
                "owner_note": mt.owner_note,
                "order": order,
            },
        )
        metric_slugs.append(mt.slug)
    removed["metrics"] = _delete_missing(plan.metrics.all(), metric_slugs)
    removed["strategies"] = _delete_missing(
        models.Strategy.objects.filter(mission__plan=plan), list(strategies)
    )
    removed["missions"] = _delete_missing(plan.missions.all(), mission_slugs)
    _replace_simple(plan, models.NationalPriority, p.national_priorities, ["name", "framework"])
    _replace_simple(
        plan,
        models.GovernanceBody,
        p.governance_bodies,
        ["name", "kind", "frequency", "description"],
    )
    _replace_simple(plan, models.Partnership, p.partnerships, ["name", "commitments"])
    counts = _counts(plan)
    models.PlanLoad.objects.create(
        plan=plan,
        source_path=str(path),
        content_sha256=digest,
        loaded_at=now,
        changed=True,
        summary={"counts": counts, "removed": removed},
    )
    return LoadResult(p.slug, changed=True, counts=counts, removed=removed)


def _delete_missing(queryset: Any, keep: list[str]) -> list[str]:
    gone = list(queryset.exclude(slug__in=keep).values_list("slug", flat=True))
    if gone:
        queryset.filter(slug__in=gone).delete()
    return gone


def _replace_simple(plan: models.Plan, model: Any, items: list[Any], fields: list[str]) -> None:
    model.objects.filter(plan=plan).delete()
    model.objects.bulk_create(
        model(plan=plan, slug=item.slug, order=i, **{f: getattr(item, f) for f in fields})
        for i, item in enumerate(items)
    )


def _counts(plan: models.Plan) -> dict[str, int]:
    return {
        "missions": plan.missions.count(),
        "strategies": models.Strategy.objects.filter(mission__plan=plan).count(),
        "metrics": plan.metrics.count(),
        "headline_metrics": plan.metrics.filter(headline=True).count(),
    }


def load_catalogue_dir(directory: Path) -> list[LoadResult]:
    """Load every ``*.yaml`` file in ``directory``; all files validate before any is written."""
    paths = sorted(directory.glob("*.yaml"))
    problems: list[str] = []
    for path in paths:
        try:
            parse_catalogue(str(path), path.read_text(encoding="utf-8"))
        except CatalogueError as exc:
            problems.extend(f"{exc.path}: {p}" for p in exc.problems)
        except UnicodeDecodeError:
            problems.append(f"{path}: not UTF-8 text")
    if problems:
        raise CatalogueError("", problems)
    with transaction.atomic():
        return [load_catalogue_file(path) for path in paths]
