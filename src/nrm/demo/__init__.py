"""Demo institutions, users and cases for a laptop or a training room."""
