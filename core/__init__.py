"""The platform at the bottom of the project: helpers every app uses (live push, notifications,
navigation items, websocket consumers, middleware, environment settings, cache, API errors,
parsers, logging, heartbeats, personal-data masking). It imports no project app; see
docs/architecture.md."""
