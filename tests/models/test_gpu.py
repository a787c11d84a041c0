"""GPU offload: the engine's default follows what this llama.cpp build can do."""

from __future__ import annotations

import llama_cpp

from hearth.models import default_gpu_layers, gpu_layers
from hearth.specs import EngineSettings, default_spec


def test_the_default_spec_leaves_gpu_layers_automatic() -> None:
    assert EngineSettings().n_gpu_layers is None
    assert default_spec().engine.n_gpu_layers is None


def test_automatic_means_every_layer_exactly_when_llama_cpp_can_offload() -> None:
    expected = -1 if llama_cpp.llama_supports_gpu_offload() else 0
    assert default_gpu_layers() == expected
    assert gpu_layers(None) == expected


def test_an_explicit_layer_count_is_kept() -> None:
    assert gpu_layers(0) == 0
    assert gpu_layers(12) == 12
    assert gpu_layers(-1) == -1
