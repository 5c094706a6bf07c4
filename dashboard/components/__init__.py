"""Map and HTML building blocks. They return folium objects or HTML strings and never call st."""
