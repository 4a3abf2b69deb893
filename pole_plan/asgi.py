"""ASGI entry point (gunicorn serves ``pole_plan.wsgi:application``).

Serving marks the process so that settings refuse to start without a real SECRET_KEY.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pole_plan.settings")
os.environ.setdefault("POLE_PLAN_SERVING", "1")

application = get_asgi_application()
