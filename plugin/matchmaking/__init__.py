"""Matching as HR and staff use it: review and publish a run, self-match requests, ending pairs, the sweep.

The solver itself lives in :mod:`tandem.workflows.matching`; this package turns
its answers into drafts HR reviews, requests staff make, and pairings the
programme's workflow introduces (every new pairing is announced by a
``pairing.proposed`` event, whichever path made it).
"""
