"""The file uploader reads in the visitor's language; our text is escaped for CSS."""

from __future__ import annotations

from dashboard.components.uploader import uploader_css
from tests.dashboard.helpers import new_app, open_page


def test_texts_are_css_strings():
    css = uploader_css('选择"文件"', "不超过 200 MB \\ CSV")
    assert 'content: "选择\\"文件\\""' in css and "\\\\ CSV" in css
    assert "</style>" in css and css.count("<style>") == 1


def test_the_import_page_carries_its_own_uploader_texts(db_path):
    app = open_page(new_app(), "monitoring")
    css = "".join(m.value for m in app.markdown if "stFileUploaderDropzone" in m.value)
    assert '"选择文件"' in css and "MB" in css
