"""Entry point for ``gunicorn app:app`` and ``flask --app app``."""

import sys

from workshop import create_app
from workshop.content import ContentError

try:
    app = create_app()
except ContentError as error:
    # Say exactly what is wrong and stop: never serve half-valid content.
    sys.exit(f"The site was not started: the data files have {len(error.problems)} problem(s).\n{error}")
