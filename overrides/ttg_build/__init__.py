"""The site's build code, beside the theme (overrides/theme): what any generator's output needs."""
