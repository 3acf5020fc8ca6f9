"""The Dramatiq broker: RabbitMQ when ``TANDEM_BROKER_URL`` says ``amqp://…``, else the embedded one."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dramatiq import Broker
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.stub import StubBroker

HEARTBEAT_SECONDS = 30


def with_heartbeat(url: str) -> str:
    """``url`` with an AMQP heartbeat set, unless it sets one itself."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.setdefault("heartbeat", str(HEARTBEAT_SECONDS))
    return urlunsplit(parts._replace(query=urlencode(query)))


def make_broker(url: str | None) -> Broker:
    """A RabbitMQ broker with publisher confirms for an ``amqp://`` URL; the in-process stub otherwise."""
    if url:
        return RabbitmqBroker(url=with_heartbeat(url), confirm_delivery=True)
    broker = StubBroker()
    broker.emit_after("process_boot")
    return broker
