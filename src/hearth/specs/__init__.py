"""The spec: a typed, versioned, signed description of the on-device assistant.

This package imports nothing else of Hearth's but `hearth.errors`.
"""

from hearth.specs._apply import apply, diff, format_validation_error, parse_edits
from hearth.specs._builtin import BUILTIN_SPECS, builtin_spec, default_spec, gemma_spec
from hearth.specs._canonical import canonical_json, content_id, spec_to_json
from hearth.specs._edits import (
    EDIT_ADAPTER,
    EDIT_OPS,
    EDITS_ADAPTER,
    AddFewShot,
    AddRoute,
    DisableTool,
    Edit,
    EnableTool,
    RemoveFewShot,
    SetField,
    SetModel,
    SetSystemPrompt,
    SetToolDescription,
)
from hearth.specs._load import load_spec, load_spec_file
from hearth.specs._model import SPEC_SCHEMA_VERSION, Lineage, Spec
from hearth.specs._primitives import (
    ANY_TOOL,
    BUILTIN_TOOLS,
    Agent,
    EngineSettings,
    FewShot,
    HttpEndpoint,
    Intelligence,
    Learning,
    Memory,
    Route,
    Sampling,
    Tool,
    Tools,
)
from hearth.specs._signing import SignedSpec, sign, verify, verify_signed
from hearth.specs._store import STORE_SCHEMA_VERSION, SpecStore, SpecVersion

__all__ = [
    "ANY_TOOL",
    "BUILTIN_SPECS",
    "BUILTIN_TOOLS",
    "EDITS_ADAPTER",
    "EDIT_ADAPTER",
    "EDIT_OPS",
    "SPEC_SCHEMA_VERSION",
    "STORE_SCHEMA_VERSION",
    "AddFewShot",
    "AddRoute",
    "Agent",
    "DisableTool",
    "Edit",
    "EnableTool",
    "EngineSettings",
    "FewShot",
    "HttpEndpoint",
    "Intelligence",
    "Learning",
    "Lineage",
    "Memory",
    "RemoveFewShot",
    "Route",
    "Sampling",
    "SetField",
    "SetModel",
    "SetSystemPrompt",
    "SetToolDescription",
    "SignedSpec",
    "Spec",
    "SpecStore",
    "SpecVersion",
    "Tool",
    "Tools",
    "apply",
    "builtin_spec",
    "canonical_json",
    "content_id",
    "default_spec",
    "diff",
    "format_validation_error",
    "gemma_spec",
    "load_spec",
    "load_spec_file",
    "parse_edits",
    "sign",
    "spec_to_json",
    "verify",
    "verify_signed",
]
