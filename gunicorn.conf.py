"""gunicorn's settings for the atlas: ``gunicorn app:server``, run in the repository, reads this
file (command-line options override it). See the README's "Production" section."""

import multiprocessing
import os

import gunicorn.http.wsgi

# Loopback unless told otherwise: behind a load balancer or reverse proxy, set HOST (e.g. 0.0.0.0).
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Two processes per core, two threads each: callbacks are mostly numpy and pandas (the GIL is
# released in their inner loops) with some pure Python; measured in the README with 4 x 2 on 2 cores.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("ATLAS_THREADS", "2"))
# The data is loaded, validated and warmed once, then shared by the workers (copy-on-write; the
# app freezes it out of the garbage collector's reach, so the pages stay shared).
preload_app = True
timeout = 60
# The Server header names no server software (gunicorn's default says "gunicorn").
gunicorn.http.wsgi.SERVER = "atlas"
# Keep an idle connection a while longer than a person's pause between clicks: with gunicorn's 2 s,
# a request sent as the server closed the connection failed (seen in scripts/load.py's run).
keepalive = 10
