"""WSGI entry point (gunicorn serves ``pole_plan.wsgi:application``).

Serving marks the process so that settings refuse to start without a real SECRET_KEY.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pole_plan.settings")
os.environ.setdefault("POLE_PLAN_SERVING", "1")

application = get_wsgi_application()
