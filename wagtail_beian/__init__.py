"""ICP filing (ICP备案) management for Chinese access providers, inside the Wagtail admin."""

__version__ = "0.1.0"
