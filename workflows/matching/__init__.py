"""Matching: the interface the ``match`` step uses, the whole-pool optimal solver and its settings.

The pure parts (``pool``, ``settings``, ``kernels``, ``solver``, ``circles``)
know nothing of the database; ``loader`` and ``adopt`` read and write the
models; :mod:`~tandem.workflows.matching.interface` is what the engine calls.
"""
