"""gunicorn settings for production (``gunicorn -c gunicorn.conf.py``)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
wsgi_app = "pole_plan.wsgi:application"
timeout = 60
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The access log's first field is the proxy (nginx on 127.0.0.1); the client's address as
# nginx saw it is the X-Forwarded-For field. The app's own log lines name the client itself.
access_log_format = ('%(h)s [%({x-forwarded-for}i)s] %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s '
                     '"%(f)s" "%(a)s"')
