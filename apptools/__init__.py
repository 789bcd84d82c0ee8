"""Offline tools for the Zendesk app: validator, packager and the zcli development server."""
