"""Entry point for ``flask --app app`` and ``gunicorn app:app``."""

from workshop import create_app

app = create_app()
