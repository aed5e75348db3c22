"""Shelters and centres (Art. 23, 33, 38.7-38.8): their addresses are need-to-know (18.4)."""
