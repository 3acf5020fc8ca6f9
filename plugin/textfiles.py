"""Reading a file someone hands the command line: size checked first, UTF-8 or a one-line refusal."""

from __future__ import annotations

from pathlib import Path

import click


def read_text(path: Path, max_bytes: int, setting: str | None = None) -> str:
    """The text of ``path``; raise :class:`click.ClickException` (one line, exit 1) if too large or not UTF-8.

    ``setting`` names the configuration that raises the limit, when there is one.
    """
    size = path.stat().st_size
    if size > max_bytes:
        raise_limit = f" (raise {setting} to allow more)" if setting else ""
        raise click.ClickException(f"{path.name}: {size:,} bytes is more than the limit of {max_bytes:,}{raise_limit}")
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{path.name}: not UTF-8 text (byte {error.start + 1} cannot be read); save it as UTF-8"
        ) from None
