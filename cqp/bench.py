"""Benchmark helpers, active only when settings.BENCH_VIEWS is true (env BENCH_VIEWS=true, see bench/README.md).

- ``bare``: the smallest Django view, served through the whole middleware stack: the reference for throughput.
- ``bare_session``: the same, reading the session and its user (as every page of a logged-in person does): the
  fair reference for a list page (issue 20).
- ``BenchMiddleware``: adds ``Server-Timing: app;dur=<ms>`` and ``X-Bench-Queries: <n>`` to each response,
  so that the benchmark reads the server time and the SQL query count of a page served by gunicorn.
"""

import time

from django.db import connections
from django.http import HttpResponse


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def bare_session(request):
    return HttpResponse("ok" if request.user.is_authenticated else "anonyme", content_type="text/plain")


class BenchMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        response["X-Bench-Queries"] = str(count[0])
        return response
