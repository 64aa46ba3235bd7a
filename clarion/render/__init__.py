"""Stage 2, rendering: records → views → templates → Markdown and HTML, in memory."""
