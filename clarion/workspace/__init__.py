"""Stage 1, the workspace: read files safely, check them against the schema, and build the model."""
