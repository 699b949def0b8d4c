"""Fetch URLs from a deployment configured by the environment; print JSON to stdout.

Run as ``python -m tests.second_force.fetch`` with the URLs as JSON on stdin, in a process whose
environment (DATABASE_URL, POLICEPLAN_*) is the deployment under test: the second-force test
starts it so that the deployment's settings are read exactly as a server would read them.
"""

from __future__ import annotations

import base64
import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.test import Client

    client = Client()
    pages = {}
    for url in json.load(sys.stdin):
        response = client.get(url)
        pages[url] = {
            "status": response.status_code,
            "content_type": response.get("Content-Type", ""),
            "body": base64.b64encode(response.content).decode("ascii"),
        }
    json.dump(pages, sys.stdout)


if __name__ == "__main__":
    main()
