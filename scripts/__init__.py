"""Developer commands: make run launcher."""
