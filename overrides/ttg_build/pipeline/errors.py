"""The one error a pipeline step raises: its message names the file and the problem.

Under MkDocs or ProperDocs it is MkDocs' PluginError, so `mkdocs build` stops with the message as
before; without MkDocs installed it is a plain exception the command line prints.
"""
try:
    from mkdocs.exceptions import PluginError as _Base
except ImportError:  # pragma: no cover - a generator environment without MkDocs
    _Base = Exception


class BuildError(_Base):
    """A built site that a step cannot finish or must refuse."""
