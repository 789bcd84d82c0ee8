"""Support-lead jobs: ticket export to a warehouse, volume-spike alerts, agent reports."""
