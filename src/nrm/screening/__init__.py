"""Screening against the official indicator list: reasonable grounds (Art. 9.2, 12.2, 20.5)."""
