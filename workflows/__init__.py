"""Tandem's workflow engine: definitions, state machine, timers, Dramatiq actors.

Two layers live here (see README, Layout, and ``.importlinter``): the pure core
(definitions, ``machine``, effects, calendar, the matching kernels and solver)
imports nothing but itself; the engine runtime (store, scheduler, jobs,
delivery, channels, actors) imports the domain of ``tandem.plugin`` — models,
events, settings, links — and never a feature, a view or Flask request state.
Features reach the engine only through what they register with it
(:mod:`tandem.workflows.extensions`), so a worker needs only an app context.
"""
