"""The JSON API under /api/v1/, token-authenticated, with its OpenAPI 3 schema."""
