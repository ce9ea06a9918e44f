"""
The rules between the package's layers (docs/architecture.md), checked on the source itself.

Each rule reads the imports and module-level names of ``videosdk_provider`` with ``ast``; none
runs the code, except the discovery check, which imports in a fresh interpreter.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "videosdk_provider"
#: The only modules that may speak HTTP, sign tokens or retry.
TRANSPORT_MODULES = {"hooks/core.py"}
TRANSPORT_LIBRARIES = ("requests", "httpx", "urllib3", "tenacity", "jwt")


def modules(under: str = "") -> dict[str, ast.Module]:
    root = PACKAGE / under
    return {
        path.relative_to(PACKAGE).as_posix(): ast.parse(path.read_text(), str(path))
        for path in sorted(root.rglob("*.py"))
    }


def imported(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def client_modules() -> dict[str, ast.Module]:
    return {name: tree for name, tree in modules().items() if not name.startswith("emulator/")}


def test_no_client_module_imports_the_emulator() -> None:
    offenders = {
        name: sorted(module for module in imported(tree) if module.startswith("videosdk_provider.emulator"))
        for name, tree in client_modules().items()
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_emulator_imports_nothing_of_the_client() -> None:
    offenders = {
        name: sorted(
            module
            for module in imported(tree)
            if module.startswith("videosdk_provider") and not module.startswith("videosdk_provider.emulator")
        )
        for name, tree in modules("emulator").items()
    }
    assert {f"emulator/{name}": found for name, found in offenders.items() if found} == {}


def test_only_the_transport_core_speaks_http_signs_tokens_or_retries() -> None:
    speaking = {
        name
        for name, tree in client_modules().items()
        if any(module.split(".")[0] in TRANSPORT_LIBRARIES for module in imported(tree))
    }
    assert speaking == TRANSPORT_MODULES


def test_no_constant_is_defined_twice_outside_the_emulator() -> None:
    defined: dict[str, list[str]] = defaultdict(list)
    for name, tree in client_modules().items():
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id.lstrip("_").isupper():
                    defined[target.id].append(name)
    assert {constant: places for constant, places in defined.items() if len(places) > 1} == {}


def test_every_compat_name_is_used_by_the_package() -> None:
    used: set[str] = set()
    for name, tree in client_modules().items():
        if name == "_compat.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "videosdk_provider._compat":
                used.update(alias.name for alias in node.names)
    from videosdk_provider import _compat

    assert set(_compat.__all__) == used


def test_provider_discovery_imports_nothing_heavy() -> None:
    code = (
        "import json, sys; from videosdk_provider.get_provider_info import get_provider_info; "
        "get_provider_info(); print(json.dumps(sorted(sys.modules)))"
    )
    loaded = json.loads(
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    )
    heavy = [name for name in loaded if name.split(".")[0] in (*TRANSPORT_LIBRARIES, "airflow")]
    assert heavy == []
