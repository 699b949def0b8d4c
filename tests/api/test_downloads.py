"""The bulk download: every published observation, a data dictionary and the licence."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.test import Client

from policeplan.metrics.models import Observation

from .conftest import get_csv

pytestmark = pytest.mark.django_db

URL = "/api/v1/downloads/observations.zip"
OGL = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right."
)


def _archive(client: Client) -> zipfile.ZipFile:
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="observations.zip"'
    return zipfile.ZipFile(io.BytesIO(response.content))


def _read_csv(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))


def test_zip_holds_observations_dictionary_and_readme(client: Client) -> None:
    archive = _archive(client)
    assert archive.namelist() == ["observations.csv", "data-dictionary.csv", "README.txt"]
    assert archive.testzip() is None


def test_observations_csv_has_every_observation_and_the_api_columns(client: Client) -> None:
    rows = _read_csv(_archive(client), "observations.csv")
    assert len(rows) == Observation.objects.count() > 0
    api_rows = get_csv(client, "/api/v1/observations?limit=5&format=csv")
    assert list(rows[0]) == list(api_rows[0])
    assert rows[:5] == api_rows  # the same order and formatting as the API
    assert {"value", "period_kind", "period_end", "import_run", "source_runs"} <= set(rows[0])


def test_data_dictionary_describes_every_column(client: Client) -> None:
    archive = _archive(client)
    columns = list(_read_csv(archive, "observations.csv")[0])
    dictionary = _read_csv(archive, "data-dictionary.csv")
    assert list(dictionary[0]) == ["column", "type", "meaning"]
    assert [d["column"] for d in dictionary] == columns
    assert all(d["type"] and d["meaning"] for d in dictionary)
    by_column = {d["column"]: d for d in dictionary}
    assert by_column["value"]["type"] == "number"
    assert by_column["numerator"]["type"] == "integer"
    assert "empty when unknown" in by_column["numerator"]["meaning"]


def test_readme_carries_the_ogl_attribution(client: Client) -> None:
    readme = _archive(client).read("README.txt").decode("utf-8")
    assert OGL in readme
    assert f"{Observation.objects.count()} published observations" in readme


def test_download_is_cacheable(client: Client) -> None:
    first = client.get(URL)
    assert first["Last-Modified"] and first["ETag"]
    assert client.get(URL)["ETag"] == first["ETag"]  # fixed zip timestamps: stable bytes
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
