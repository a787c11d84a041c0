"""The edge worker: llama.cpp engine, agent loop, tools, DuckDB memory and traces."""

from hearth.edge_runtime._agent import Agent, AgentResult, ToolCall
from hearth.edge_runtime._echo import EchoEngine
from hearth.edge_runtime._engine import Engine, Generation, LlamaCppEngine, engine_key
from hearth.edge_runtime._memory import MemoryStore
from hearth.edge_runtime._runtime import EdgeRuntime, chat_salt
from hearth.edge_runtime._traces import Trace, TraceStore
from hearth.edge_runtime._worker import HearthWorker, recover_abandoned, run_worker

__all__ = [
    "Agent",
    "AgentResult",
    "EchoEngine",
    "EdgeRuntime",
    "Engine",
    "Generation",
    "HearthWorker",
    "LlamaCppEngine",
    "MemoryStore",
    "ToolCall",
    "Trace",
    "TraceStore",
    "chat_salt",
    "engine_key",
    "recover_abandoned",
    "run_worker",
]
