"""Sphinx configuration of the airflow-provider-videosdk documentation."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))
# Importing the package imports Airflow, which writes a config file into AIRFLOW_HOME: keep it in
# the build directory unless the caller chose a home.
os.environ.setdefault("AIRFLOW_HOME", str(DOCS / "_build" / "airflow-home"))

from videosdk_provider import __version__  # noqa: E402

project = "airflow-provider-videosdk"
author = "airflow-provider-videosdk developers"
copyright = "the airflow-provider-videosdk developers"
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
    "myst_parser",
    "videosdk_reference",
]

exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"

# Every reference to this package must resolve; references to Airflow, requests, the standard
# library and other projects cannot (no inventories are fetched: the build works offline), so
# only those are excused.
# "more than one target" warnings come from the builtin ``type`` in annotations meeting TypedDict
# fields named ``type``; unresolved references still fail the build (nitpicky, below).
suppress_warnings = ["ref.python"]
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(?!videosdk_provider\b).*"),
    # A public signature naming a private helper type (the hook's ``settings``) shows it as text.
    (r"py:class", r"videosdk_provider\..*\._[A-Za-z]\w*"),
    # So does one naming a type of the emulator's internals (its server, file store, ...): the
    # emulator is documented by its front only (see docs/_ext/videosdk_reference.py).
    (r"py:class", r"videosdk_provider\.emulator\.(?!pytest_plugin\.|events\.)\w+\.[\w.]+"),
]

autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_inherit_docstrings = False
add_module_names = False
python_display_short_literal_types = True

myst_heading_anchors = 3

html_theme = "furo"
html_title = f"VideoSDK provider {release}"
html_static_path: list[str] = []
html_show_sourcelink = False
html_theme_options = {"navigation_with_keys": True}
viewcode_follow_imported_members = False  # no source page is wanted for what the package merely imports
