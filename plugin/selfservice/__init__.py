"""Staff self-service: what a person does for themself — answer check-ins, opt out, read campaign items, the inbox.

Views stay declarative and call these functions; every state change here goes
through a named transition and records its event in the caller's transaction.
"""
