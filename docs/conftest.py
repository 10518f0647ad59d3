"""pytest collects the ``>>>`` examples in these pages; the Sphinx configuration is not a test."""

collect_ignore = ["conf.py"]
collect_ignore_glob = ["_build/*", "_generated/*"]
