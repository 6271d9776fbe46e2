# syntax=docker/dockerfile:1
# chainwork image: gunicorn by default; the same image runs the Celery worker and beat and the
# one-shot migrations (see docker-compose.yml). Configuration comes from the environment (README.md).

# --- stage 1: browser assets from npm, copied into static/vendor/ (never from a CDN) ---------------
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
COPY scripts/vendor.mjs scripts/vendor.mjs
RUN npm ci --no-audit --no-fund --loglevel=error \
    && node scripts/vendor.mjs

# --- stage 2: the application -------------------------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=chainwork.settings \
    CHAINWORK_VAR_DIR=/tmp/chainwork

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them (psycopg2-binary: no compiler).
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
COPY --from=assets /build/static/vendor ./static/vendor

# Translations (polib, no gettext) and static files into STATIC_ROOT=/app/staticfiles for whitenoise.
# Settings only read DATABASE_URL (no connection): the dummy values below live in this RUN only and
# are not part of the image's environment.
RUN python scripts/compile_translations.py \
    && DATABASE_URL=postgres://build@localhost/build \
       SECRET_KEY=build-only \
       CHAINWORK_VAR_DIR=/tmp/chainwork-build \
       python manage.py collectstatic --noinput -v 0 \
    && rm -rf /tmp/chainwork-build

# The code stays owned by root and read-only for the app user; it writes only under /tmp.
RUN groupadd --system --gid 10001 chainwork \
    && useradd --system --uid 10001 --gid chainwork --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin chainwork
USER 10001:10001

EXPOSE 8000

# /healthz answers 200 when PostgreSQL and the broker answer. The Host header is the first entry of
# ALLOWED_HOSTS, so the check also passes when 127.0.0.1 is not an allowed host.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = (os.environ.get('ALLOWED_HOSTS') or 'localhost').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=8)"]

# gunicorn reads WEB_CONCURRENCY (workers) and FORWARDED_ALLOW_IPS (proxies trusted for
# X-Forwarded-Proto) from the environment itself.
CMD ["gunicorn", "chainwork.wsgi", "--bind", "0.0.0.0:8000", "--timeout", "120", "--access-logfile", "-", "--worker-tmp-dir", "/dev/shm"]
