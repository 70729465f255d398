"""The atlas's core: what the atlas shows, decided without Dash, plotly or cytoscape.

Named ``core`` because everything else stands on it: the view state and its URL grammar
(``state``), the dataset's vocabulary (``vocabulary``), the filtered selection
(``selection``), the map's home camera (``camera``), interface text in every language
(``i18n`` and ``locales/``), stories (``stories``) and export captions (``caption``).

Imports point down only: ``components -> layers -> core -> data``. The core imports nothing
of ``layers``, ``components`` or ``app`` (``tests/test_architecture.py`` enforces it), so it
is tested by calling it and could serve another front end.
"""
