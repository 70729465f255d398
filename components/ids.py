"""Every component id of the page, in one place, so callbacks and tests agree on them."""

PAGE = "atlas-page"
SUMMARY = "atlas-summary"
GVC_NOTE = "atlas-gvc-note"
DATA_PROBLEMS = "atlas-data-problems"
