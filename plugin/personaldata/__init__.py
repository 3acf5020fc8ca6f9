"""A person's own data: everything Tandem holds about them as one archive, and erasure after they left.

:mod:`.export` gathers the records (the person, enrolments, pairings with the
other person's name only, their check-in answers including their own private
notes, notifications, campaign acknowledgements, match requests, preferences,
events and workflow runs about them) into a zip of JSON and CSV files.
:mod:`.erase` anonymises a person whose status is ``left``: identifying fields
and free text are cleared or replaced everywhere, while the rows the reports
count are kept, so every report reads the same before and after.
"""

from .erase import NotLeft, erase_person
from .export import archive, personal_data

__all__ = ["NotLeft", "archive", "erase_person", "personal_data"]
