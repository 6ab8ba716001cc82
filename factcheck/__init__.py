"""factcheck: offline claim verification."""
