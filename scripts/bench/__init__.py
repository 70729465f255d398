"""Benchmark the dashboard against a naive baseline: server time of user actions, browser times, bytes, memory.

Measured on the shipped dataset and on a generated one (100k start-ups by default), for the atlas
(``app.py``) and a deliberately naive baseline (``scripts/naive_app.py``), with ``python -m scripts.bench``:

1. **Filter change → server callbacks** (:mod:`.latency`): each app runs as a subprocess
   (:mod:`.servers`); for ~12 filter changes (:mod:`.steps`) the benchmark POSTs to
   ``/_dash-update-component`` exactly what the browser would: payloads come from
   ``GET /_dash-dependencies`` and the component tree of ``GET /_dash-layout``, and a small
   re-implementation of the renderer's dispatch runs the whole cascade (:mod:`.payloads`).
   First time (a filter state the process has not seen) and repeated.
2. **Click → both views restyled, server time** (:mod:`.latency`): clicks on a network node or a map
   point replayed the same way; the sum over every callback the click triggers.
3. **Repaint** (:mod:`.repaint`): headless Chromium (:mod:`.browser`) clicks filters as a person
   would and times until both map and network have been painted again.
4. **First load bytes**: ``encodedDataLength`` of every response in Chrome's performance log.
5. **Open → both views ready** (:mod:`.open_ready`): from ``driver.get(url)`` until map and network are
   drawn and no callback is in flight, for the atlas, the naive app and a static floor page
   (:mod:`.floor`) drawing the same points, nodes and edges with only the libraries.
6. **Server memory**: ``VmRSS`` / ``VmHWM`` of the app processes.

:mod:`.report` and :mod:`.tables` write the markdown tables; :mod:`.cli` parses the arguments and runs it all.
"""
