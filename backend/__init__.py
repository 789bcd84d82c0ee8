"""Learner Context backend: the Flask service behind the Zendesk sidebar app."""
