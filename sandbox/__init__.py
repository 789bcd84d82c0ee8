"""Stand-ins for everything outside the product: internal APIs, Zendesk API, ticket page."""
