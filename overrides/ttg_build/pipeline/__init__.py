"""The post-build pipeline over a built site (see runner.py)."""
