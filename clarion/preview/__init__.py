"""`clarion preview`: each document shown in the browser as it would be built, updated as
the workspace's files are saved; nothing is written."""
