"""The Streamlit UI of envmap. It asks ``geodata.store`` for data and never parses files."""
