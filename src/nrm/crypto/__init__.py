"""Encryption at rest for personal identifiers, and keyed hashes for privacy-preserving matching."""
