"""A bare Dramatiq worker process consuming no-op messages: the baseline for ``bench/engine.py``."""

from __future__ import annotations

import signal
import sys
import threading

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker


def main(url: str, threads: int) -> None:
    """Consume ``bench-noop`` messages until SIGTERM."""
    broker = RabbitmqBroker(url=url)
    dramatiq.actor(lambda: None, broker=broker, actor_name="noop", queue_name="bench-noop", max_retries=0)
    worker = dramatiq.Worker(broker, worker_threads=threads, queues={"bench-noop"})
    worker.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    worker.stop()
    broker.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
