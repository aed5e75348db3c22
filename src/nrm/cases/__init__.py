"""Persons and cases: identity encrypted, facts pseudonymous, access by case team."""
