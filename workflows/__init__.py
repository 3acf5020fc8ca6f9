"""Tandem's workflow engine: definitions, state machine, timers, Dramatiq actors.

It must stay importable from a worker process with only an app context: it
never imports ``tandem.plugin`` views or Flask request state.
"""
