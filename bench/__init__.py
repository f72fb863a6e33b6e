"""A deterministic benchmark of factbot: a seeded corpus with planted truth, build, queries, peer and load."""
