"""The pipeline: load a session, plan what changed, make each document, write it, tidy."""
