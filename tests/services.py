"""Real servers for the tests: a private PostgreSQL and a private RabbitMQ (the classes are in ``servers.py``).

Each is started once per test session in a temporary directory on free
loopback ports and stopped at the end. Both can be stopped and started again
mid-test (for crash tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from servers import (  # noqa: F401  (re-exported: tests and benchmarks import the servers from here)
    PostgresServer,
    RabbitServer,
    ServerMissing,
    free_port,
    wait_for_port,
)

T = TypeVar("T")


def _started(make: Callable[[], T]) -> T:
    """``make()``, or the test fails naming the package to install."""
    try:
        return make()
    except ServerMissing as missing:
        pytest.fail(str(missing))


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL server for the whole test session."""
    server = _started(PostgresServer)
    try:
        server.start()
        yield server
    finally:
        try:
            server.stop()
        finally:
            server.remove()


@pytest.fixture(scope="session")
def postgresql_url(postgresql_server: PostgresServer) -> str:
    """The URL of an empty database ``tandem_test`` on the private server."""
    return postgresql_server.create_database("tandem_test")


@pytest.fixture(scope="session")
def rabbitmq_server() -> Iterator[RabbitServer]:
    """A private RabbitMQ node for the whole test session."""
    server = _started(RabbitServer)
    try:
        server.start()
        yield server
    finally:
        try:
            server.stop()
        finally:
            server.remove()


@pytest.fixture(scope="session")
def rabbitmq_url(rabbitmq_server: RabbitServer) -> str:
    """The AMQP URL of the private RabbitMQ node."""
    return rabbitmq_server.url
