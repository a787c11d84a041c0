"""Benchmark tasks, scorers and the performance harness."""

from hearth.bench._bfcl import BFCL_CATEGORIES, BfclImport, bfcl_tasks, import_bfcl
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
from hearth.bench._lint import LintProblem, lint_tasks
from hearth.bench._runner import BenchReport, CategoryScore, score_tasks
from hearth.bench._split import split, split_parts
from hearth.bench._tasks import (
    BUILTIN_TASKS_FILE,
    FunctionSchema,
    Task,
    ToolSchema,
    Turn,
    builtin_tasks,
    load_tasks,
)

__all__ = [
    "BFCL_CATEGORIES",
    "BUILTIN_TASKS_FILE",
    "CHECK_TYPES",
    "AllCheck",
    "BenchReport",
    "BfclImport",
    "CategoryScore",
    "Check",
    "CheckResult",
    "ContainsCheck",
    "ExactCheck",
    "FunctionSchema",
    "JsonFieldsCheck",
    "LintProblem",
    "NoToolCallCheck",
    "NotContainsCheck",
    "NumberCheck",
    "RegexCheck",
    "Task",
    "ToolCallCheck",
    "ToolCallRecord",
    "ToolSchema",
    "Turn",
    "bfcl_tasks",
    "builtin_tasks",
    "evaluate",
    "import_bfcl",
    "lint_tasks",
    "load_tasks",
    "score_tasks",
    "split",
    "split_parts",
]
