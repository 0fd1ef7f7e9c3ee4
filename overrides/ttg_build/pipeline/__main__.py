"""`python -m ttg_build.pipeline site --docs docs --config mkdocs.yml` (see runner.py)."""
import sys

from .runner import main

sys.exit(main())
