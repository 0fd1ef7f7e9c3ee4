"""The one exception the build steps raise for bad input: its message names the file and the
problem. On MkDocs and ProperDocs it is a PluginError (a BuildError), so the build stops with the
message and no traceback; Zensical fails the build with the message of any exception."""
from __future__ import annotations

try:  # MkDocs and ProperDocs (ProperDocs keeps the mkdocs package name)
    from mkdocs.exceptions import PluginError as _Base
except ImportError:  # pragma: no cover - a generator without MkDocs
    _Base = Exception


class BuildProblem(_Base):
    """Bad input: the build must stop, saying where and what."""
