"""The JSON Schema that workflow definitions are validated against (shipped with the package).

It holds the shared vocabulary (roles, durations, templates …); each step kind adds its own part
under ``$defs/<kind>`` from its module in ``workflows/steps/`` (``definition.schema()`` merges them).
"""
