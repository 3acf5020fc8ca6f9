#!/usr/bin/env bash
# Installs what the tests start privately: Debian's rabbitmq-server and postgresql
# (tests/services.py) and Debian's chromium (tests/browser.py). Idempotent. The tests never use the
# system-wide instances, so the packages' own services are kept from starting
# during the install (policy-rc.d) and stopped afterwards in case they did.
set -euo pipefail

RABBIT=/usr/lib/rabbitmq/bin/rabbitmq-server

pg_ctl_path() { compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" | sort -V | tail -n 1; }
found() { echo "install-services: $1 rabbitmq-server ($RABBIT), PostgreSQL ($(dirname "$(pg_ctl_path)")) and chromium ($CHROMIUM)"; }

CHROMIUM=/usr/bin/chromium

if [ -x "$RABBIT" ] && [ -n "$(pg_ctl_path)" ] && [ -x "$CHROMIUM" ]; then
  found "found"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-services: the tests need Debian's rabbitmq-server, postgresql and chromium; run:" >&2
  echo "  sudo apt-get install rabbitmq-server postgresql chromium" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ ! -e /usr/sbin/policy-rc.d ]; then
  # invoke-rc.d and deb-systemd-invoke then refuse to start services (exit 101).
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 \
  rabbitmq-server postgresql chromium fonts-dejavu-core > /dev/null
service rabbitmq-server stop > /dev/null 2>&1 || true
service postgresql stop > /dev/null 2>&1 || true
found "installed"
