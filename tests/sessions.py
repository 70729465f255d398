"""One user's session played against a running atlas, every callback request kept with its answer:
what the multi-process tests replay on a second process and compare byte for byte."""

from __future__ import annotations

import requests

from scripts.bench.payloads import DashClient
from scripts.bench.steps import plan_changes, plan_selections, plan_steps


class Recording(requests.Session):
    """A session that keeps every callback request and its answer."""

    def __init__(self) -> None:
        super().__init__()
        self.recorded: list[tuple[dict, bytes]] = []

    def post(self, url, **kwargs):  # type: ignore[override]
        response = super().post(url, **kwargs)
        self.recorded.append((kwargs["json"], response.content))
        return response


def play(url: str, changes: int, clicks: int = 0) -> list[tuple[dict, bytes]]:
    """Load the page at ``url``, make the benchmark's first ``changes`` filter changes and ``clicks``
    clicks on drawn elements, as the browser would; return every request and answer."""
    session = Recording()
    client = DashClient(url, session)
    client.load()
    defaults = dict(client.store)
    inputs = {k for cb in client.callbacks for k in cb.input_keys}
    for step in plan_steps(client.store, client.ids, client.layout)[:changes]:
        plan = plan_changes(step, client.store, client.ids, defaults)
        if plan:
            client.change(*plan)
    for click in plan_selections(client.store, inputs, clicks) if clicks else []:
        client.change({click.key: click.value}, [click.key])
    return session.recorded
