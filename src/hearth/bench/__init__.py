"""Benchmark tasks, scorers and the performance harness."""

from hearth.bench._checks import (
    CHECK_TYPES,
    AllCheck,
    Check,
    CheckResult,
    ContainsCheck,
    ExactCheck,
    JsonFieldsCheck,
    NotContainsCheck,
    NoToolCallCheck,
    NumberCheck,
    RegexCheck,
    ToolCallCheck,
    ToolCallRecord,
    evaluate,
)
from hearth.bench._tasks import (
    BUILTIN_TASKS_FILE,
    FunctionSchema,
    Task,
    ToolSchema,
    Turn,
    builtin_tasks,
    load_tasks,
)
from hearth.bench._split import split, split_parts

__all__ = [
    "BUILTIN_TASKS_FILE",
    "CHECK_TYPES",
    "AllCheck",
    "Check",
    "CheckResult",
    "ContainsCheck",
    "ExactCheck",
    "FunctionSchema",
    "JsonFieldsCheck",
    "NoToolCallCheck",
    "NotContainsCheck",
    "NumberCheck",
    "RegexCheck",
    "Task",
    "ToolCallCheck",
    "ToolCallRecord",
    "ToolSchema",
    "Turn",
    "builtin_tasks",
    "evaluate",
    "load_tasks",
    "split",
    "split_parts",
]
