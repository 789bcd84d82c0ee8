"""Browser tests: the unmodified sidebar app inside the local Zendesk ticket page, real servers behind."""
