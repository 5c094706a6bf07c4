"""The naive page ``make bench`` compares envmap with: streamlit-folium as its README shows it.

The same store, the same layers (county polygons, sections, enterprises), the textbook way: read
whole tables on every rerun (cached by ``st.cache_data`` only), one ``folium.GeoJson`` of the full
county polygons, one ``folium.Marker`` per section and per enterprise with a tooltip, ``st_folium``.
The only change from the textbook is that Leaflet comes from the app (the benchmark machine, like a
bureau's intranet, has no CDN). Run: ``streamlit run bench/naive/app.py`` with ENVMAP_DB set.
"""

from __future__ import annotations

import json

import folium
import streamlit as st
from streamlit_folium import st_folium

from dashboard.assets import static_url
from dashboard.components.vector import Expected
from geodata.store import open_store


@st.cache_resource
def store():  # noqa: ANN201
    return open_store(load_bundled=False)


@st.cache_data
def layers(version: int):  # noqa: ANN201
    s = store()
    admin = s.read_layer("admin_units")
    counties = admin[admin["level"] == "county"]
    return json.loads(counties[["name", "geometry"]].to_json()), s.read_table("sections"), s.read_table("enterprises")


st.set_page_config(page_title="naive", layout="wide")
st.title("naive streamlit-folium")
geo, sections, enterprises = layers(store().data_version())
m = folium.Map(location=[36.0, 112.0], zoom_start=7, tiles=None)
m.default_js = [("leaflet", static_url("vendor/leaflet/leaflet.js"))]
m.default_css = [("leaflet_css", static_url("vendor/leaflet/leaflet.css"))]
folium.GeoJson(geo, tooltip=folium.GeoJsonTooltip(fields=["name"])).add_to(m)
markers = 0
for frame in (sections, enterprises):
    for row in frame.itertuples():
        if row.lon != "" and row.lat != "":
            folium.Marker([float(row.lat), float(row.lon)], tooltip=str(row.name),
                          icon=folium.DivIcon(html='<div style="width:10px;height:10px;background:#1e88e5"></div>')).add_to(m)
            markers += 1
bounds = store().read_layer("admin_units")
minx, miny, maxx, maxy = bounds[bounds["level"] == "county"].total_bounds
m.fit_bounds([[miny, minx], [maxy, maxx]])
# what this page sent, for the benchmark's "drawn" rule: the same element as envmap's pages (a map child,
# so streamlit-folium runs it; a script on the root figure is never sent to the component)
m.add_child(Expected({"paths": len(geo["features"]), "markers": markers}))
st_folium(m, key="naive_map", height=620, use_container_width=True)
