"""Production operation (issue 18): leader election between instances, the run loop (polling or
webhook), health and metrics over HTTP, backups. Nothing here is domain logic."""
