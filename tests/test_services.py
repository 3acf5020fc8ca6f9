"""The test servers are real: PostgreSQL locks rows, RabbitMQ carries Dramatiq messages."""

from __future__ import annotations

import threading

import dramatiq
import pytest
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from sqlalchemy import create_engine, text


@pytest.mark.postgres
def test_postgresql_skips_rows_another_transaction_has_locked(postgresql_url):
    engine = create_engine(postgresql_url)
    try:
        with engine.begin() as setup:
            setup.execute(text("CREATE TABLE smoke_timer (id int PRIMARY KEY)"))
            setup.execute(text("INSERT INTO smoke_timer VALUES (1), (2)"))
        claim = text("SELECT id FROM smoke_timer ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")
        with engine.begin() as first, engine.begin() as second:
            assert first.execute(claim).scalar() == 1
            assert second.execute(claim).scalar() == 2
        with engine.begin() as teardown:
            teardown.execute(text("DROP TABLE smoke_timer"))
    finally:
        engine.dispose()


@pytest.mark.rabbitmq
def test_rabbitmq_delivers_every_dramatiq_message_to_a_worker(rabbitmq_url):
    broker = RabbitmqBroker(url=rabbitmq_url)
    seen: list[int] = []
    lock = threading.Lock()

    @dramatiq.actor(broker=broker, queue_name="smoke", max_retries=0)
    def remember(number: int) -> None:
        with lock:
            seen.append(number)

    for number in range(20):
        remember.send(number)
    worker = dramatiq.Worker(broker, worker_threads=2)
    worker.start()
    try:
        broker.join("smoke", timeout=30_000)
        worker.join()
    finally:
        worker.stop()
        broker.close()
    assert sorted(seen) == list(range(20))
