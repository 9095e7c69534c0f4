"""Run by bench/run.py in its own process: stream one export of every dossier as the OEMM, as a gunicorn worker
would serve it, and print {"rows", "seconds", "bytes", "peak_mb"} (VmHWM of this process) as JSON."""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqp.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from cqp.models import User  # noqa: E402


def vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


fmt = sys.argv[1]
client = Client(SERVER_NAME="127.0.0.1")
client.force_login(User.objects.get(email="oemm@demo.cqp"))
started = time.monotonic()
response = client.get(f"/oemm/exports/dossiers.{fmt}")
size = lines = 0
for chunk in response.streaming_content:
    size += len(chunk)
    if fmt == "csv":
        lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
elapsed = time.monotonic() - started
from pilotage.models import ExportRecord  # noqa: E402

rows = ExportRecord.objects.order_by("-pk").values_list("rows", flat=True).first()
print(json.dumps({"rows": rows, "seconds": round(elapsed, 1), "bytes": size, "peak_mb": round(vm_hwm_mb(), 1)}))
