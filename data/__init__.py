"""The atlas's data layer: schema, loading and validation, export, generation, import.

No Dash or plotly here: the app, the command line and the tests all read data through
:func:`load_dataset`.
"""

from data.database import load_dataset
from data.loader import DEFAULT_DATA_DIR, Dataset, read_dataset
from data.problems import Problem

__all__ = ["DEFAULT_DATA_DIR", "Dataset", "Problem", "load_dataset", "read_dataset"]
