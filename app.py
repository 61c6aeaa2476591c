"""Entry points: ``app`` for WSGI servers and ``flask --app app``; ``asgi_app`` for gunicorn's
asgi worker, which gunicorn.conf.py picks by default."""

import sys

from workshop import create_app
from workshop.asgi import SiteASGI
from workshop.content import ContentError

try:
    app = create_app()
except ContentError as error:
    # Say exactly what is wrong and stop: never serve half-valid content.
    sys.exit(f"The site was not started: the data files have {len(error.problems)} problem(s).\n{error}")

asgi_app = SiteASGI(app)
