"""Support for testing code that uses biopipe: Hypothesis strategies in `biopipe.testing.strategies`.

Importing this package does not import Hypothesis; importing
``biopipe.testing.strategies`` does, and registers a strategy for every model type
so that ``st.from_type(biopipe.Asset)`` works.
"""
