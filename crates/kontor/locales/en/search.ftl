# Texts of the search module.

# Global search
search-title = Search
search-too-short = Please enter at least two characters.
search-nothing = Nothing found.
