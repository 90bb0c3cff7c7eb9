"""The demo district drawn by `manage.py seed_demo`."""
