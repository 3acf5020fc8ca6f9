"""Tandem's Flask-AppBuilder add-on: models, views, REST API, security and CLI.

Enable it in any FAB app with
``ADDON_MANAGERS = ["tandem.plugin.manager.TandemManager"]``.
"""
