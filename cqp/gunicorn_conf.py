"""gunicorn settings of docker-compose.yml and the Dockerfile (``gunicorn -c python:cqp.gunicorn_conf ...``).

The access log keeps the path without its query string (``%(U)s``, not ``%(r)s``) and no referer: a search such as
``?q=claire@exemple.fr`` on the OEMM account list would otherwise write an e-mail address to the log, which the
logging filter of cqp/logging.py does not see (gunicorn's access log does not go through Django's logging).

The health probes (``/health/``, every 30 s from Docker and from the proxy) are not written to the access log.
"""

from gunicorn.glogging import Logger

HEALTH_PATH = "/health/"  # cqp.health.HEALTH_PATH (not imported: this file is read before Django is set up)

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


class AccessLogWithoutHealthProbes(Logger):
    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") == HEALTH_PATH:
            return
        super().access(resp, req, environ, request_time)


logger_class = AccessLogWithoutHealthProbes
