"""The Celery side of the throughput harness's celery mode (see Throughput.java).

A Celery 5 app with the settings of the comparison: late acks, prefetch multiplier 1, no
result backend. Its one task runs `true` as a subprocess, without a shell, then appends one
line to the file named by CELERY_BENCH_DONE, which the harness counts: a job is done when its
completion is written, as an Angora job is done when its outcome is recorded.
"""
import os
import subprocess

from celery import Celery

app = Celery("celery_bench", broker=os.environ["CELERY_BENCH_BROKER"])
app.conf.update(
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    result_backend=None,
    task_default_queue=os.environ["CELERY_BENCH_QUEUE"],
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)

_DONE = os.environ["CELERY_BENCH_DONE"]


@app.task(name="bench.true")
def run_true(tag):
    subprocess.run(["true"], check=True)
    fd = os.open(_DONE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (tag + "\n").encode("utf-8"))
    finally:
        os.close(fd)
