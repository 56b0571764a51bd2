# Texts of the search module.

# Globale Suche
search-title = Suche
search-too-short = Bitte geben Sie mindestens zwei Zeichen ein.
search-nothing = Nichts gefunden.
