"""The open-data API: versioned, read-only JSON and CSV under /api/v1/ (see docs/adr/0004-api.md)."""
