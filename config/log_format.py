"""The JSON log line format, shared by Django's logging (settings.py) and gunicorn's own
(config/serve.py, granian's): one object a line with time, level, logger and message, plus any
``extra`` fields a record carries (python-json-logger)."""

JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
