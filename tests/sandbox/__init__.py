"""Tests of the sandbox: internal systems, control plane, Zendesk stand-in, ticket page."""
