"""``python -m dashboard.server run dashboard/app.py [streamlit flags]``: what ``envmap serve`` runs, in its own process.

It is ``streamlit`` itself (the same command line; run by ``envmap serve``, the same PID: stopping it stops the server) with two
things done first in the same process: the map's front-end files are copied where Streamlit serves them
(:mod:`dashboard.assets`; a clear message and status 1 when they cannot be), and the default views are
warmed as soon as Streamlit's runtime is up (:mod:`dashboard.warmup`), while the server starts and the
first browser loads Streamlit's own files.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from dashboard import assets, warmup

    if assets.main(quiet=True) != 0:
        return 1
    warmup.start()
    # Streamlit checks once per process whether it runs in a REPL by reading the source of every frame on the
    # stack (inspect.stack): 0.2 s on the first page after a start. Run by `streamlit run`, it never is.
    import streamlit  # before its delta_generator (which it imports in order)

    streamlit.delta_generator._use_warning_has_been_displayed = True
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", *(sys.argv[1:] if argv is None else argv)]
    return streamlit_main(prog_name="streamlit")


if __name__ == "__main__":
    raise SystemExit(main())
