"""Curated data (the gazetteer and the people directory), installed as the package `factbot_data`."""
