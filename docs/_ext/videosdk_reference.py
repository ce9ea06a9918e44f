"""
Generate the API reference from the package itself, each time the docs are built.

Every public module gets a page (``automodule`` of the names it defines), grouped by layer, so a
module added to the package appears in the reference without editing the docs. What counts as
public is explained in ``contributing.rst``; ``tests/docs/test_reference.py`` checks the built
site against the package with its own walk of it.

The emulator is a testing tool with a small front: its package's ``__all__`` (the names users
import from ``videosdk_provider.emulator``), its pytest plugin and the event bus that
``VideoSDKEmulator.events`` hands out. Its other modules are the server's internals and are not
documented; a public signature that names one of their types fails the build (nitpicky), which
says what to add to :data:`FACADES`. The emulator's command-line help is captured from the
command itself, so the testing guide shows exactly what the installed command accepts.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PACKAGE = "videosdk_provider"
#: Packages documented by their ``__all__`` plus these submodules; their other modules are internal.
#: The tests read it too, as the definition of the emulator's public front.
FACADES = {f"{PACKAGE}.emulator": ("pytest_plugin", "events")}
#: Section titles of the reference index, in order, by the module's first component under the package.
LAYERS = (
    ("hooks", "Hooks"),
    ("operators", "Operators"),
    ("sensors", "Sensors"),
    ("triggers", "Triggers"),
    ("transfers", "Transfers"),
    ("links", "Extra links"),
    ("webhooks", "Webhooks"),
    ("exceptions", "Exceptions"),
    ("models", "Models"),
    ("bodies", "Request bodies"),
    ("emulator", "Emulator"),
)
OTHER_LAYER = "Package and helpers"
GENERATED = "reference/api"
#: The reference index's sections, included by ``reference/index.rst`` (not a page of its own).
TOC = "toc.rst.inc"


def is_public(module_name: str) -> bool:
    """Tell whether a module is public: no component of its dotted name starts with an underscore."""
    return not any(part.startswith("_") for part in module_name.split("."))


def public_modules() -> list[str]:
    """Every public module of the package, facades' internal modules left out, sorted by name."""
    package = importlib.import_module(PACKAGE)
    names = [PACKAGE]
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{PACKAGE}."):
        if not is_public(info.name):
            continue
        facade = next((f for f in FACADES if info.name.startswith(f"{f}.")), None)
        if facade is not None and info.name.removeprefix(f"{facade}.") not in FACADES[facade]:
            continue
        names.append(info.name)
    return sorted(name for name in names if _has_content(name))


def _has_content(module_name: str) -> bool:
    """Tell whether a module has anything to show: a docstring, or a public name it defines."""
    module = importlib.import_module(module_name)
    if module.__doc__ or module_name in FACADES:
        return True
    return any(
        not name.startswith("_") and getattr(value, "__module__", None) == module_name
        for name, value in vars(module).items()
    )


def layer_of(module_name: str) -> str:
    """Title of the reference section a module belongs to."""
    parts = module_name.split(".")
    first = parts[1] if len(parts) > 1 else ""
    return dict(LAYERS).get(first, OTHER_LAYER)


def _documented_classes(module_name: str) -> list[type]:
    """List the classes a module's page shows: those it defines, or a facade's ``__all__`` classes."""
    module = importlib.import_module(module_name)
    if module_name in FACADES:
        values = [getattr(module, name) for name in module.__all__]
    else:
        values = [v for v in vars(module).values() if getattr(v, "__module__", None) == module_name]
    return [v for v in values if isinstance(v, type) and not v.__name__.startswith("_")]


def _foreign_ancestors(cls: type) -> list[str]:
    """Name the classes from outside the package that a class is built on (and ``object``)."""
    foreign = {c.__name__ for c in cls.__mro__ if not c.__module__.startswith(f"{PACKAGE}.")}
    return sorted(foreign | {"object"})


def _declared_abroad_only(cls: type) -> list[str]:
    """
    Name the public attributes a class gets only from ancestors outside the package.

    ``:inherited-members:`` leaves out what those ancestors define, but not the attributes they
    merely annotate (Airflow's ``BaseOperator`` annotates ``task_id``, ``inlets``...).
    """
    ours: set[str] = set()
    theirs: set[str] = set()
    for ancestor in cls.__mro__:
        names = set(vars(ancestor)) | set(vars(ancestor).get("__annotations__", {}))
        (ours if ancestor.__module__.startswith(f"{PACKAGE}.") else theirs).update(names)
    return sorted(name for name in theirs - ours if not name.startswith("_"))


_MEMBER_OPTIONS = (":members:", ":undoc-members:", ":show-inheritance:")


def module_page(module_name: str) -> str:
    """
    Write the reStructuredText of one module's reference page.

    Each class gets its own ``autoclass``, so that its page shows every member it gets from this
    package's own classes (``VideoSDKHook`` shows the methods of its per-resource mixins) and
    nothing it gets from Airflow, the standard library or ``object``.
    """
    classes = _documented_classes(module_name)
    options = list(_MEMBER_OPTIONS)
    if module_name not in FACADES:
        options.append(":ignore-module-all:")
    if classes:
        options.append(f":exclude-members: {', '.join(cls.__name__ for cls in classes)}")
    lines = [module_name, "=" * len(module_name), "", f".. automodule:: {module_name}"]
    lines += [f"   {option}" for option in options]
    for cls in classes:
        lines += ["", f".. autoclass:: {module_name}.{cls.__name__}"]
        lines += [f"   {option}" for option in _MEMBER_OPTIONS]
        lines.append(f"   :inherited-members: {', '.join(_foreign_ancestors(cls))}")
        abroad = _declared_abroad_only(cls)
        if abroad:
            lines.append(f"   :exclude-members: {', '.join(abroad)}")
    return "\n".join(lines) + "\n"


def index_sections(modules: list[str]) -> str:
    """Write the reference index's sections: one toctree per layer, in :data:`LAYERS` order."""
    lines: list[str] = []
    for title in [t for _, t in LAYERS] + [OTHER_LAYER]:
        members = [m for m in modules if layer_of(m) == title]
        if not members:
            continue
        lines += [title, "-" * len(title), "", ".. toctree::", "   :maxdepth: 1", ""]
        lines += [f"   api/{m}" for m in members]
        lines.append("")
    return "\n".join(lines)


def _write_if_changed(path: Path, text: str) -> None:
    """Write ``text`` unless the file already holds it, so unchanged pages are not rebuilt."""
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def generate_reference(app: Sphinx) -> None:
    """Write one page per public module, and the index's sections, under ``reference/api/``."""
    target = Path(app.srcdir) / GENERATED
    modules = public_modules()
    wanted = {f"{m}.rst" for m in modules} | {TOC}
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.iterdir():
        if stale.name not in wanted:
            stale.unlink() if stale.is_file() else shutil.rmtree(stale)
    for module in modules:
        _write_if_changed(target / f"{module}.rst", module_page(module))
    _write_if_changed(target / TOC, index_sections(modules))


def capture_emulator_help(app: Sphinx) -> None:
    """Save the emulator command's ``--help`` for the testing guide."""
    env = {**os.environ, "COLUMNS": "100"}
    completed = subprocess.run(
        [sys.executable, "-m", f"{PACKAGE}.emulator", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=120,
    )
    target = Path(app.srcdir) / "_generated"
    target.mkdir(exist_ok=True)
    _write_if_changed(target / "emulator-cli.txt", completed.stdout)


def _public(base: type) -> list[type]:
    """Return a class itself when public, else the public classes it is built on."""
    if not base.__name__.startswith("_"):
        return [base]
    return [public for parent in base.__bases__ for public in _public(parent)]


def public_bases(app: Sphinx, name: str, obj: Any, options: Any, bases: list[type]) -> None:
    """Show a private base class (``_RoomOperator``) as the public classes it is built on."""
    bases[:] = list(dict.fromkeys(public for base in bases for public in _public(base)))


def _defining_target(target: str) -> str | None:
    """
    Name an object where the reference documents it: in the module or on the class defining it.

    ``videosdk_provider.hooks.videosdk.VideoSDKHook.iter_rooms`` is how users call a method that a
    base class such as a per-resource hook mixin may define, and a package may re-export a
    function from one of its modules; the reference documents each once, where it is defined.
    """
    parts = target.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            owner: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:-1]:
            owner = getattr(owner, name, None)
        if isinstance(owner, type):
            defining = next((cls for cls in owner.__mro__ if parts[-1] in vars(cls)), None)
            return None if defining is None else f"{defining.__module__}.{defining.__qualname__}.{parts[-1]}"
        found = getattr(owner, parts[-1], None)
        module, qualname = getattr(found, "__module__", None), getattr(found, "__qualname__", None)
        return f"{module}.{qualname}" if module and qualname else None
    return None


def resolve_inherited_member(app: Sphinx, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve ``Class.member`` of this package when ``member`` is inherited from another class."""
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or not target.startswith(f"{PACKAGE}."):
        return None
    defining = _defining_target(target)
    domain = env.get_domain("py")
    entry = domain.objects.get(defining) if defining and defining != target else None
    if entry is None:
        return None
    from sphinx.util.nodes import make_refnode

    return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, defining)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", generate_reference)
    app.connect("builder-inited", capture_emulator_help)
    app.connect("autodoc-process-bases", public_bases)
    app.connect("missing-reference", resolve_inherited_member)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
