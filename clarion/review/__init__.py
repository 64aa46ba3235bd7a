"""Checking what documents say before they go out: alerts, lint, drafts of new files."""
