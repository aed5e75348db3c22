"""Criminal proceedings and protection measures (Art. 10-19); measures are never disclosed (18.4)."""
