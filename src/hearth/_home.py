"""The Hearth home is private: a 0700 directory, files 0600.

It holds every message (DuckDB memory and traces), the chat salt, the spec
store, logs and the embedded Redis's data. `private_process()` sets the umask
of a `hearth` process to 077, so everything it or its children (the embedded
Redis, a worker of `hearth up`) create is readable by this user alone, and
creates the home 0700 when it does not exist yet.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: The umask of every `hearth` process: no access for group or others.
PRIVATE_UMASK = 0o077


def private_process(home: Path) -> None:
    """Give this process a private umask and make sure `home` exists, 0700 if new."""
    os.umask(PRIVATE_UMASK)
    if not home.exists():
        home.mkdir(parents=True, mode=0o700)


def exposure(home: Path) -> str | None:
    """Who besides the owner may enter or read `home` ("group", "others"), or None."""
    if not home.is_dir():
        return None
    mode = stat.S_IMODE(home.stat().st_mode)
    who = [name for name, bits in (("group", 0o070), ("others", 0o007)) if mode & bits]
    return f"{' and '.join(who)} ({mode:o})" if who else None


__all__ = ["PRIVATE_UMASK", "exposure", "private_process"]
