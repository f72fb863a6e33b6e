"""The bundled articles, installed as the package `factbot_seeds`: the default articles folder."""
