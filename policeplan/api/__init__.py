"""The open-data API: versioned, read-only JSON and CSV under /api/v1/ (ADR 0004)."""
