"""WSGI entry point of the bench: G2ID with bench.settings (same project and middleware)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from g2id.wsgi import application

__all__ = ["application"]
