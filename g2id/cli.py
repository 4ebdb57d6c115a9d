"""The `g2id` console command: Django's management commands without knowing where manage.py is."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "g2id.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "g2id"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
