"""Institutions, people and roles (Art. 6, 7, 8, 33), and the one access policy."""
