import pytest
from tests.fetch.synthetic_api import FORCE, synthetic_archive
pytestmark = pytest.mark.django_db

def test_print(run_command, local_api, client):
    print(run_command("fetch_police_uk", "--force", FORCE, "--from", "2023-12", "--to", "2025-01"))
    local_api.state.archives["2024-02"] = synthetic_archive("2024-02")
    print(run_command("fetch_police_uk", "--force", FORCE, "--from", "2024-01", "--to", "2024-02", "--archive", "--archive-base-url", local_api.archive_base_url))
    print(run_command("fetch_neighbourhoods", "--force", FORCE))
    print(run_command("fetch_neighbourhoods", "--force", FORCE))
    html = client.get("/neighbourhoods/leicestershire/NA01/").content.decode()
    print(html[html.index('<main'):])
    html = client.get("/neighbourhoods/?q=syn").content.decode()
    print(html[html.index('<main'):])
