"""Settings read from the environment: bad values are refused, serving needs a secret key."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pole_plan.settings import database_from_url, env_bool, env_date

ROOT = Path(__file__).resolve().parent.parent


def test_database_url_selects_postgresql():
    config = database_from_url("postgres://app:s%40cret@db.example:5433/poleplan?sslmode=require")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("poleplan", "app", "s@cret")
    assert (config["HOST"], config["PORT"]) == ("db.example", "5433")
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_unknown_database_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://root@localhost/app")


def test_malformed_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "peut-être")
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG")


def test_today_is_pinned_from_the_environment_as_an_iso_date(monkeypatch):
    monkeypatch.setenv("POLE_PLAN_TODAY", "2025-06-30")
    assert env_date("POLE_PLAN_TODAY") == datetime.date(2025, 6, 30)
    monkeypatch.setenv("POLE_PLAN_TODAY", "30/06/2025")
    with pytest.raises(ImproperlyConfigured, match="POLE_PLAN_TODAY"):
        env_date("POLE_PLAN_TODAY")
    monkeypatch.delenv("POLE_PLAN_TODAY")
    assert env_date("POLE_PLAN_TODAY") is None


def _serve(env_updates: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in {"SECRET_KEY", "DEBUG", "PYTEST_VERSION", "POLE_PLAN_SERVING"}}
    env.update(env_updates)
    return subprocess.run([sys.executable, "-c", "import pole_plan.wsgi"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def test_serving_without_a_secret_key_is_refused():
    refused = _serve({"ALLOWED_HOSTS": "poleplan.example.org"})
    assert refused.returncode != 0
    assert "SECRET_KEY is not set" in refused.stderr
    served = _serve({"ALLOWED_HOSTS": "poleplan.example.org",
                     "SECRET_KEY": "k" * 20 + "-test-only-" + "z" * 30})
    assert served.returncode == 0, served.stderr
