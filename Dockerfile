# The image of every service of docker-compose.yml but caddy, postgres and redis.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's and python-magic's libraries; the PostgreSQL 15 client for the backups (pg_dump, pg_restore).
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core libmagic1 postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# The application runs as an unprivileged user; the code (owned by root) is read-only for it.
RUN groupadd --system --gid 1000 cqp \
    && useradd --system --uid 1000 --gid cqp --home-dir /app --no-create-home --shell /usr/sbin/nologin cqp

WORKDIR /app
COPY . .
# Static files with hashed names (whitenoise's compressed manifest), collected at build time.
ENV STATIC_MANIFEST=true
RUN pip install . \
    && python manage.py collectstatic --noinput \
    && mkdir -p /data/private /backups \
    && chown cqp:cqp /data/private /backups

USER cqp
EXPOSE 8000
CMD ["gunicorn", "-c", "python:cqp.gunicorn_conf", "cqp.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
