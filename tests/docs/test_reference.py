"""
The API reference documents exactly the package's public names, and nothing private.

What is public (also explained in the docs' contributing page):

- a public module is a module of ``videosdk_provider`` with no dotted-name component starting with
  an underscore; inside a facade package (the emulator) only the package itself, by its
  ``__all__``, and the submodules the docs' ``FACADES`` names are;
- a public name is a class or function, without a leading underscore, defined in a public module
  (its ``__module__`` is that module: re-exports count where they are defined), and the methods and
  properties without a leading underscore that such a class defines or inherits from this
  package's classes (up to its first ancestor from outside the package, such as Airflow's
  ``BaseOperator``).

The names documented are read from the built site's ``objects.inv``, the inventory Sphinx writes
of every object it documented.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import pkgutil
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REFERENCE_EXTENSION = Path(__file__).resolve().parents[2] / "docs" / "_ext" / "videosdk_reference.py"


def _facades() -> dict[str, tuple[str, ...]]:
    """Read the facade packages and their public submodules from the docs' reference extension."""
    spec = importlib.util.spec_from_file_location("videosdk_reference", REFERENCE_EXTENSION)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.FACADES)


PACKAGE = "videosdk_provider"
EMULATOR = f"{PACKAGE}.emulator"
FACADES = _facades()
#: Inventory roles of the objects the public names are compared with (attributes and data are not).
COMPARED_ROLES = {
    "py:class",
    "py:exception",
    "py:function",
    "py:method",
    "py:classmethod",
    "py:staticmethod",
    "py:property",
}
MEMBER_KINDS = (staticmethod, classmethod, property, functools.cached_property)


def _is_public_module(name: str) -> bool:
    if any(part.startswith("_") for part in name.split(".")):
        return False
    for facade, front in FACADES.items():
        if name.startswith(f"{facade}."):
            return name.removeprefix(f"{facade}.") in front
    return True


def public_modules() -> list[str]:
    package = importlib.import_module(PACKAGE)
    walked = [info.name for info in pkgutil.walk_packages(package.__path__, prefix=f"{PACKAGE}.")]
    return sorted(name for name in [PACKAGE, *walked] if _is_public_module(name))


def _defined_names(module_name: str) -> Iterator[tuple[str, Any]]:
    module = importlib.import_module(module_name)
    if module_name in FACADES:
        yield from ((name, getattr(module, name)) for name in module.__all__)
        return
    for name, value in vars(module).items():
        if getattr(value, "__module__", None) == module_name:
            yield name, value


def _own_members(cls: type) -> Iterator[str]:
    for name, value in vars(cls).items():
        if not name.startswith("_") and (inspect.isfunction(value) or isinstance(value, MEMBER_KINDS)):
            yield name


def _class_members(cls: type) -> set[str]:
    """Public methods and properties a class defines or gets from this package's classes."""
    members: set[str] = set()
    for ancestor in cls.__mro__:
        if not ancestor.__module__.startswith(f"{PACKAGE}."):
            break
        members.update(_own_members(ancestor))
    return members


def public_names() -> set[str]:
    names: set[str] = set()
    for module_name in public_modules():
        for name, value in _defined_names(module_name):
            if name.startswith("_") or not callable(value):
                continue
            names.add(f"{module_name}.{name}")
            if inspect.isclass(value):
                names.update(f"{module_name}.{name}.{member}" for member in _class_members(value))
    return names


def read_inventory(path: Path) -> list[tuple[str, str, str]]:
    """Entries ``(name, role, anchor)`` of a Sphinx ``objects.inv`` (version 2)."""
    data = path.read_bytes()
    header_end = 0
    for _ in range(4):
        header_end = data.index(b"\n", header_end) + 1
    assert data.startswith(b"# Sphinx inventory version 2"), data[:40]
    entries = []
    for line in zlib.decompress(data[header_end:]).decode().splitlines():
        name, role, _priority, uri, _shown = line.split(" ", 4)
        anchor = uri.partition("#")[2].replace("$", name)
        entries.append((name, role, anchor))
    return entries


@pytest.fixture(scope="module")
def inventory(docs_site: Path) -> list[tuple[str, str, str]]:
    return read_inventory(docs_site / "objects.inv")


@pytest.fixture(scope="module")
def documented(inventory: list[tuple[str, str, str]]) -> set[str]:
    """Names documented in their own right (canonical-name aliases of an entry left out)."""
    return {name for name, role, anchor in inventory if role in COMPARED_ROLES and anchor == name}


def _classes_of(module_name: str) -> list[type]:
    module = importlib.import_module(module_name)
    return [
        value
        for name, value in vars(module).items()
        if inspect.isclass(value) and value.__module__ == module_name and not name.startswith("_")
    ]


def test_the_public_names_include_every_registered_operator_sensor_trigger_and_hook() -> None:
    from videosdk_provider.get_provider_info import get_provider_info

    info = get_provider_info()
    modules = [
        module
        for layer in ("hooks", "operators", "sensors", "triggers")
        for entry in info[layer]
        for module in entry["python-modules"]
    ]
    classes = [cls for module in modules for cls in _classes_of(module)]

    assert {"VideoSDKHook", "CreateRoomOperator", "VideoSDKSessionSensor", "VideoSDKSessionTrigger"} <= {
        cls.__name__ for cls in classes
    }
    assert {f"{cls.__module__}.{cls.__qualname__}" for cls in classes} <= public_names()


def test_the_public_names_include_every_hook_method_on_the_hook_and_where_it_is_defined() -> None:
    from videosdk_provider.hooks.videosdk import VideoSDKHook

    defining = {
        (f"{cls.__module__}.{cls.__qualname__}", name)
        for cls in VideoSDKHook.__mro__
        if cls.__module__.startswith(f"{PACKAGE}.")
        for name in _own_members(cls)
    }
    hook = f"{VideoSDKHook.__module__}.{VideoSDKHook.__qualname__}"

    assert any(name == "create_room" for _, name in defining)
    assert {f"{owner}.{name}" for owner, name in defining} <= public_names()
    assert {f"{hook}.{name}" for _, name in defining} <= public_names()


def test_the_public_names_include_every_exception_and_the_emulator_front_only() -> None:
    names = public_names()

    assert {f"{cls.__module__}.{cls.__qualname__}" for cls in _classes_of(f"{PACKAGE}.exceptions")} <= names
    assert {f"{EMULATOR}.VideoSDKEmulator.fail_next", f"{EMULATOR}.pytest_plugin.videosdk_emulator"} <= names
    assert not any(name.startswith((f"{PACKAGE}._compat.", f"{EMULATOR}.server.")) for name in names)


def test_every_public_name_has_a_reference_entry(documented: set[str]) -> None:
    assert sorted(public_names() - documented) == []


def test_the_reference_documents_no_name_beyond_the_public_ones(documented: set[str]) -> None:
    assert sorted(documented - public_names()) == []


def test_no_private_name_leaks_into_the_reference(inventory: list[tuple[str, str, str]]) -> None:
    leaked = [
        name
        for name, role, _anchor in inventory
        if role.startswith("py:") and any(part.startswith("_") for part in name.split("."))
    ]
    assert leaked == []


def _owner_class(dotted: str) -> type:
    """Import the class a documented attribute ``package.module.Class.attribute`` belongs to."""
    parts = dotted.split(".")[:-1]
    for split in range(len(parts) - 1, 0, -1):
        try:
            owner: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            owner = getattr(owner, name)
        assert inspect.isclass(owner), dotted
        return owner
    raise AssertionError(f"no module for {dotted}")


def _declared(cls: type) -> tuple[set[str], set[str]]:
    """Names declared in ``cls``'s ancestry by this package's classes, and by the classes outside it."""
    ours: set[str] = set()
    foreign: set[str] = set()
    for ancestor in cls.__mro__:
        names = set(vars(ancestor)) | set(vars(ancestor).get("__annotations__", {}))
        (ours if ancestor.__module__.startswith(f"{PACKAGE}.") else foreign).update(names)
    return ours, foreign


def test_no_attribute_inherited_from_outside_the_package_is_documented(
    inventory: list[tuple[str, str, str]],
) -> None:
    attributes = [name for name, role, anchor in inventory if role == "py:attribute" and anchor == name]
    leaked = []
    for name in attributes:
        ours, foreign = _declared(_owner_class(name))
        attribute = name.rsplit(".", 1)[1]
        if attribute in foreign and attribute not in ours:
            leaked.append(name)

    assert any(name.endswith(".template_fields") for name in attributes)
    assert leaked == []
