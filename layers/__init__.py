"""The atlas's layers: pure builders from (dataset, selection, state) to map traces and network elements."""
