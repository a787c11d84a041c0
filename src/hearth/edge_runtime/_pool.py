"""Engines for the catalog models that routes name, loaded on first use and kept.

The spec's own model stays loaded for the worker's life; a route may send a
query class to another catalog model. Loading one costs seconds and its size
in memory, so at most `max_extra` other models stay loaded, the least
recently used going first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from hearth.edge_runtime._engine import Engine
from hearth.specs import Spec

#: Catalog models besides the spec's own that stay loaded at once.
MAX_EXTRA_MODELS = 1


def spec_for_model(spec: Spec, model: str) -> Spec:
    """`spec` with another catalog model: its chat template comes from its own file."""
    intelligence = spec.intelligence.model_copy(
        update={"model": model, "chat_template": None, "stop": ()})
    return spec.model_copy(update={"intelligence": intelligence})


class EnginePool:
    """Loaded engines by catalog model, for routes that name a model."""

    def __init__(self, spec: Spec, home: Path, factory: Callable[[Spec, Path], Engine],
                 primary: Engine, max_extra: int = MAX_EXTRA_MODELS) -> None:
        self.spec = spec
        self.home = home
        self._factory = factory
        self.primary = primary
        self.max_extra = max_extra
        self._loaded: OrderedDict[str, Engine] = OrderedDict()

    def __call__(self, model: str) -> Engine:
        """The engine of `model`, loading it (and unloading the oldest) when needed."""
        if model == self.spec.intelligence.model:
            return self.primary
        if model in self._loaded:
            self._loaded.move_to_end(model)
            return self._loaded[model]
        engine = self._factory(spec_for_model(self.spec, model), self.home)
        self._loaded[model] = engine
        while len(self._loaded) > self.max_extra:
            self._loaded.popitem(last=False)
        return engine

    def retarget(self, spec: Spec, primary: Engine) -> None:
        """Follow a spec swap: the new primary engine; other models stay loaded."""
        self.spec, self.primary = spec, primary
