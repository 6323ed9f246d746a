"""The staff side in the Wagtail admin: viewsets and views, registered in wagtail_hooks.py."""
