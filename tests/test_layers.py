"""Every module of the add-on and the engine sits in an import layer of ``.importlinter``.

``lint-imports`` checks only the modules a contract names: a new module left
out of the layers would slip past them.
"""

from __future__ import annotations

import configparser
import pkgutil
from pathlib import Path

import tandem.plugin
import tandem.workflows

CONTRACTS = Path(__file__).resolve().parent.parent / ".importlinter"
# Packages whose __init__ is a docstring only: their modules are layered one by one.
UNLAYERED_PACKAGES = {"tandem.plugin", "tandem.workflows", "tandem.workflows.matching"}


def layered() -> set[str]:
    config = configparser.ConfigParser()
    config.read(CONTRACTS)
    lines = config["importlinter:contract:layers"]["layers"].splitlines()
    return {
        name.strip()
        for line in lines
        if line.strip() and not line.strip().startswith("#")
        for name in line.replace("|", ":").split(":")
    }


def modules() -> set[str]:
    found = set()
    for package in (tandem.plugin, tandem.workflows):
        found.add(package.__name__)
        found.update(info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."))
    return found


def test_every_module_is_in_a_layer():
    layers = layered()
    outside = {m for m in modules() if not any(m == layer or m.startswith(layer + ".") for layer in layers)}
    assert outside == UNLAYERED_PACKAGES


def test_the_unlayered_packages_import_nothing():
    for name in UNLAYERED_PACKAGES:
        source = Path(__import__(name, fromlist=["_"]).__file__).read_text()
        assert "import " not in source.replace("from __future__ import annotations", ""), name
