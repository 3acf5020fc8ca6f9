"""The JSON Schema that workflow definitions are validated against (shipped with the package)."""
