"""Geometry for envmap: coordinate systems (``crs``), the configured map area (``area``), the
bundled reference layers, and the import of user-supplied point locations (``geoimport``).

Everything stored is WGS84 lon/lat (CGCS2000 is treated as equal at this scale); GCJ-02 and
BD-09 coordinates are converted on the way in, and only display copies are ever shifted back.
"""
