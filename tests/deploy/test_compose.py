"""The Compose file against a schema (a subset of the Compose specification), the Dockerfile,
redis.conf and env.example against the code they deploy."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from hearth.settings import Settings
from tests.conftest import ROOT
from tests.deploy.conftest import DEPLOY
from tests.deploy.test_units import subcommands

STRINGS = {"type": "array", "items": {"type": "string"}}
STRING_MAP = {"type": "object", "additionalProperties": {"type": ["string", "number", "null"]}}
DEVICE = {"type": "object", "additionalProperties": False,
          "properties": {"driver": {"type": "string"}, "count": {"type": ["integer", "string"]},
                         "device_ids": STRINGS, "capabilities": STRINGS}}
#: The Compose specification's service keys we may use, with their types there.
SERVICE = {"type": "object", "additionalProperties": False, "properties": {
    "image": {"type": "string"},
    "build": {"type": "object", "additionalProperties": False, "required": ["context"],
              "properties": {"context": {"type": "string"}, "dockerfile": {"type": "string"},
                             "args": STRING_MAP, "target": {"type": "string"}}},
    "command": STRINGS, "entrypoint": STRINGS, "profiles": STRINGS,
    "env_file": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["path"],
        "properties": {"path": {"type": "string"}, "required": {"type": "boolean"}}}},
    "environment": STRING_MAP,
    "volumes": STRINGS, "ports": STRINGS, "tmpfs": STRINGS, "security_opt": STRINGS,
    "cap_drop": STRINGS, "read_only": {"type": "boolean"},
    "restart": {"enum": ["no", "always", "on-failure", "unless-stopped"]},
    "stop_grace_period": {"type": "string", "pattern": r"^\d+(ms|s|m|h)$"},
    "depends_on": {"type": "object", "additionalProperties": {
        "type": "object", "additionalProperties": False, "required": ["condition"],
        "properties": {"condition": {"enum": ["service_started", "service_healthy",
                                              "service_completed_successfully"]}}}},
    "healthcheck": {"type": "object", "additionalProperties": False, "properties": {
        "test": STRINGS, "interval": {"type": "string"}, "timeout": {"type": "string"},
        "retries": {"type": "integer"}, "start_period": {"type": "string"}}},
    "logging": {"type": "object", "additionalProperties": False, "properties": {
        "driver": {"type": "string"}, "options": STRING_MAP}},
    "deploy": {"type": "object", "additionalProperties": False, "properties": {
        "resources": {"type": "object", "additionalProperties": False, "properties": {
            "reservations": {"type": "object", "additionalProperties": False, "properties": {
                "devices": {"type": "array", "items": DEVICE}}}}}}},
}}
COMPOSE = {"type": "object", "additionalProperties": False, "required": ["services"],
           "patternProperties": {"^x-": {}},
           "properties": {"name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"},
                          "services": {"type": "object", "additionalProperties": SERVICE},
                          "volumes": {"type": "object", "additionalProperties": {
                              "type": ["object", "null"]}}}}
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
         "integer": int, "number": (int, float)}


def validate(value: Any, schema: dict[str, Any], where: str = "") -> list[str]:
    """Errors of `value` against a JSON-Schema subset (type, enum, pattern, properties...)."""
    errors: list[str] = []
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(isinstance(value, TYPES[k]) and not (k in ("integer", "number") and
                   isinstance(value, bool)) for k in kinds):
            return [f"{where or '/'}: expected {' or '.join(kinds)}, got {value!r}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        errors += [f"{where}/{key}: required" for key in schema.get("required", [])
                   if key not in value]
        for key, item in value.items():
            if key in schema.get("properties", {}):
                errors += validate(item, schema["properties"][key], f"{where}/{key}")
            elif any(re.search(p, key) for p in schema.get("patternProperties", {})):
                continue
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}/{key}: not allowed here")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += validate(item, schema["additionalProperties"], f"{where}/{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += validate(item, schema["items"], f"{where}/{i}")
    return errors


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def env_names() -> dict[str, str]:
    """Every setting's environment variable name -> field name."""
    names = {}
    for field, info in Settings.model_fields.items():
        alias = info.validation_alias
        choices = getattr(alias, "choices", None)
        names[str(choices[0]) if choices else f"HEARTH_{field.upper()}"] = field
    return names


def test_the_schema_check_catches_mistakes() -> None:
    bad = {"services": {"w": {"image": "x", "restart": "sometimes", "comand": ["worker"],
                              "stop_grace_period": "5 minutes"}}, "volume": {}}
    assert len(validate(bad, COMPOSE)) == 4


def test_compose_file_matches_the_schema(compose: dict[str, Any]) -> None:
    assert validate(compose, COMPOSE) == []


def test_compose_has_redis_bridge_worker_and_a_gpu_variant(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"redis", "bridge", "worker", "worker-gpu"}
    redis = services["redis"]
    assert "redis-data:/data" in redis["volumes"]
    assert "./redis.conf:/etc/valkey/hearth.conf:ro" in redis["volumes"]
    [script] = redis["command"]  # the production file, with the container's dir and bind
    assert "/etc/valkey/hearth.conf" in script and "dir /data" in script
    assert "ports" not in redis  # only the compose network reaches it by default
    for name in ("bridge", "worker", "worker-gpu"):
        service = services[name]
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
        assert service["command"][0] in subcommands()
        assert service["read_only"] is True and "ALL" in service["cap_drop"]
        for variable in service["environment"]:
            assert variable in env_names() or variable.startswith("NVIDIA_"), variable
    gpu = services["worker-gpu"]
    assert gpu["profiles"] == ["gpu"] and "profiles" not in services["worker"]
    [device] = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and device["capabilities"] == ["gpu"]
    assert gpu["build"]["args"]["CUDA"] == "1"
    assert gpu["environment"]["HEARTH_WORKER_ID"] != services["worker"]["environment"][
        "HEARTH_WORKER_ID"]


def test_named_volumes_are_declared_and_paths_exist(compose: dict[str, Any]) -> None:
    declared = set(compose["volumes"])
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).exists(), source
            else:
                assert source in declared, source
        if "build" in service:
            context = (DEPLOY / service["build"]["context"]).resolve()
            assert (context / service["build"]["dockerfile"]).is_file()


def test_dockerfile_builds_llama_with_our_script_and_runs_unprivileged(
        compose: dict[str, Any]) -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    args = set(re.findall(r"^ARG (\w+)", text, re.MULTILINE))
    for service in compose["services"].values():
        assert set(service.get("build", {}).get("args", {})) <= args
    assert {"CUDA", "CMAKE_ARGS", "BASE_IMAGE", "RUNTIME_IMAGE"} <= args
    assert "-DGGML_CUDA=on" in text and "scripts/install-llama /opt/hearth/bin/python" in text
    for source in re.findall(r"^COPY (?!--)(.+) \S+$", text, re.MULTILINE):
        for part in source.split():
            assert (ROOT / part).exists(), part
    final = text.rsplit("\nFROM ", 1)[1]
    assert re.search(r"^USER hearth$", final, re.MULTILINE)
    assert 'ENTRYPOINT ["hearth"]' in final


def test_redis_conf_is_durable_private_and_authenticated() -> None:
    directives: dict[str, list[str]] = {}
    for line in (DEPLOY / "redis.conf").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.strip().partition(" ")
            directives.setdefault(key, []).append(value)
    assert directives["appendonly"] == ["yes"] and directives["appendfsync"] == ["always"]
    assert directives["maxmemory-policy"] == ["noeviction"]
    assert "0.0.0.0" not in directives["bind"][0] and "protected-mode" in directives
    users = {u.split()[0]: u for u in directives["user"]}
    assert users["default"] == "default off"
    hearth = users["hearth"].split()
    assert "-@all" in hearth and "+@all" not in hearth and "~*" not in hearth
    assert [p for p in hearth if p.startswith(("~", "&"))] == ["~hearth:*", "~rq:*",
                                                                "&hearth:*", "&rq:*"]


def test_env_example_lists_every_setting_and_nothing_else() -> None:
    text = (DEPLOY / "env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))
    assert listed == set(env_names())
    for name in env_names():  # each one explained by a comment just above it
        block = text.split(f"{name}=")[0].rstrip().splitlines()
        assert block[-1].startswith("#"), name


@pytest.mark.skipif(shutil.which("docker") is None, reason="docker is not installed")
def test_docker_compose_config_accepts_the_file(tmp_path: Path) -> None:
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("the docker compose plugin is not installed")
    deploy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, deploy)
    shutil.copy(deploy / "env.example", deploy / "hearth.env")
    done = subprocess.run(["docker", "compose", "-f", str(deploy / "docker-compose.yml"),
                           "--profile", "gpu", "config", "--quiet"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
