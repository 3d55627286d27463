"""Solutions to the course's exercises that are written in Python (chapter 8)."""
