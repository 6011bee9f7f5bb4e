"""Capturing the evidence a source points to (issue 13). So far: the guarded
fetcher (fetcher.py), the app's only door to the internet."""
