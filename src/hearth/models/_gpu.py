"""GPU offload: every layer when this llama.cpp build can use a GPU, none otherwise."""

from __future__ import annotations


def default_gpu_layers() -> int:
    """-1 (offload every layer) when llama.cpp reports GPU support, else 0."""
    import llama_cpp

    return -1 if llama_cpp.llama_supports_gpu_offload() else 0


def gpu_layers(requested: int | None) -> int:
    """The layer count to load with: `requested`, or the automatic default for None."""
    return default_gpu_layers() if requested is None else requested
