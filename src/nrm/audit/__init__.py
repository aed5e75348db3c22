"""The audit chain: every read and write of personal data, append-only and sealed."""
