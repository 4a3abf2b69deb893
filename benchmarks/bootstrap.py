"""Django set up for the benchmarks: production-like settings (DEBUG off, no debug overhead),
the test client on plain http, and a throwaway database of the benchmark's own (named
``db_name``), so that several benchmarks may run side by side."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup(db_name: str) -> None:
    """Set the environment (what the caller has not set already) and start Django."""
    sys.path.insert(0, str(ROOT))
    defaults = {
        "DJANGO_SETTINGS_MODULE": "pole_plan.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "HASHED_STATIC": "false",
        "AXES_ENABLED": "false",
        "LOG_LEVEL": "ERROR",
        "DB_TEST_NAME": db_name if os.environ.get("DATABASE_URL")
        else str(ROOT / "benchmarks" / "results" / f"{db_name}.sqlite3"),
    }
    (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
    for name, value in defaults.items():
        os.environ.setdefault(name, value)

    import django

    django.setup()
