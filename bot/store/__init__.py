"""The fact store: its schema, the writer of a new store, the checksum that seals it, and the reader."""
