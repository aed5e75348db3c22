"""Server-rendered pages: the shell, sign-in with a second factor, and the workflows."""
