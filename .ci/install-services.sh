#!/usr/bin/env bash
# Installs the servers the tests start privately: Debian's rabbitmq-server and
# postgresql. Idempotent; the tests never use the system-wide instances.
set -euo pipefail

have_rabbit() { [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; }
have_postgres() { compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" > /dev/null; }

if have_rabbit && have_postgres; then
  echo "install-services: rabbitmq-server and postgresql are installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-services: the tests need Debian's rabbitmq-server and postgresql; run:" >&2
  echo "  sudo apt-get install rabbitmq-server postgresql" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq rabbitmq-server postgresql > /dev/null
# The packages may start system-wide instances; the tests start their own.
service rabbitmq-server stop > /dev/null 2>&1 || true
service postgresql stop > /dev/null 2>&1 || true
echo "install-services: installed rabbitmq-server and postgresql"
