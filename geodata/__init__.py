"""envmap's domain core: plan parsing, geodata, water-quality rules and the store.

Nothing in this package imports Streamlit or folium (a test enforces it).
"""

__version__ = "0.1.0"
