"""Issue 13, causes 10 and 6: contributor Markdown cannot name elements on the page, and
template and environment mistakes end as positioned messages, not 'internal error'."""
from __future__ import annotations

import pytest

from site_builder.markup import MarkdownRenderer


def render(text: str) -> str:
    return str(MarkdownRenderer()(text))


def test_raw_html_is_removed_and_its_text_kept() -> None:
    assert render('<h2 id="main">Hijack</h2>\n\nText <b class="x">bold</b>.') == "<p>Hijack</p>\n<p>Text bold.</p>"


def test_attribute_lists_set_no_id() -> None:
    assert render("## Heading {: #main }\n\nText {#source-1}") == (
        '<h2 id="section-heading-main">Heading {: #main }</h2>\n<p>Text {#source-1}</p>')


def test_footnotes_keep_prefixed_ids_and_links() -> None:
    html = render("Claim[^1].\n\n[^1]: The note.")
    assert '<sup id="fnref-1"><a href="#fn-1" rel="noopener noreferrer">1</a></sup>' in html
    assert '<li id="fn-1">' in html and 'href="#fnref-1"' in html


def test_code_keeps_its_tags_and_comparisons_stay() -> None:
    assert render("a < b, `<b>x</b>` <https://x.test/>") == (
        '<p>a &lt; b, <code>&lt;b&gt;x&lt;/b&gt;</code> <a href="https://x.test/" rel="noopener noreferrer">https://x.test/</a></p>')


def test_page_body_cannot_duplicate_the_page_ids(tiny_site, run_cli) -> None:
    tiny_site.write("content/about.md", '---\ntitle: About\n---\n<h2 id="main">x</h2>\n\n## Main {: #main }\n')
    assert run_cli("build", "--output", "out").code == 0
    html = (tiny_site.root / "out/about/index.html").read_text()
    assert html.count('id="main"') == 1 and 'id="section-main-main"' in html


def test_division_by_zero_in_a_site_template(tiny_site, run_cli) -> None:
    tiny_site.write("templates/index.html", "x\n{{ 1 // 0 }}\n")
    result = run_cli("build", "--output", "out")
    assert (result.code, result.err.splitlines()[0]) == (
        1, "templates/index.html:2:1: template error: ZeroDivisionError: integer division or modulo by zero")
    assert "internal error" not in result.err and not (tiny_site.root / "out").exists()


def test_template_including_itself(tiny_site, run_cli) -> None:
    tiny_site.write("templates/index.html", "x\n{% include 'index.html' %}\n")
    result = run_cli("build", "--output", "out")
    assert (result.code, result.err.splitlines()[0]) == (
        1, "templates/index.html:2:1: template error: a template includes or extends itself, directly or through others")


@pytest.mark.parametrize(("name", "text", "expected"), [
    # found by tests/test_properties.py: each was an internal error or named a theme file by absolute path
    ("templates/partials/footer.html", "ok\n{{ (0[0] and site) }}\n",  # Jinja folds the constant while compiling
     "templates/partials/footer.html:2:1: template error: UndefinedError: int object has no element 0"),
    ("templates/partials/footer.html", "ok\n{{ site|dictsort }}\n",
     "templates/partials/footer.html:2:1: template error: AttributeError: 'Site' object has no attribute 'items'"),
    ("templates/partials/footer.html", "ok\n{# never closed\n", "templates/partials/footer.html:2:1: template error: Missing end of comment tag"),
    ("templates/partials/footer.html", "ok\n{{ list_item(1) }}\n",
     "templates/partials/footer.html:2:1: template error: 'int object' has no attribute 'category'"),
])
def test_errors_in_an_included_site_template_name_its_line(tiny_site, run_cli, name: str, text: str, expected: str) -> None:
    tiny_site.write(name, text)
    result = run_cli("build", "--output", "out")
    assert (result.code, result.err.splitlines()[0]) == (1, expected), result.err


def test_undefined_macro(tiny_site, run_cli) -> None:
    tiny_site.write("templates/index.html", "x\n{{ nosuch_macro() }}\n")
    result = run_cli("build", "--output", "out")
    assert (result.code, result.err.splitlines()[0]) == (1, "templates/index.html:2:1: template error: 'nosuch_macro' is undefined")


def test_out_of_range_source_date_epoch(tiny_site, run_cli, monkeypatch) -> None:
    for value in ("99999999999999", "-5"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        result = run_cli("build", "--output", "out")
        assert result.code == 2
        assert result.err.endswith(f"build: error: SOURCE_DATE_EPOCH is '{value}'; it must be a whole number of seconds "
                                   "since 1970-01-01 UTC, from 0 to 253402300799 (9999-12-31), or unset\n")
        assert not (tiny_site.root / "out").exists()


def test_a_site_language_without_locale_data_is_a_located_error(tiny_site, run_cli) -> None:  # type: ignore[no-untyped-def]
    text = (tiny_site.root / "site.yaml").read_text(encoding="utf-8")
    line = text.splitlines().index("language: en-GB") + 1
    tiny_site.write("site.yaml", text.replace("language: en-GB", "language: xx-Klingon"))
    result = run_cli("build", "--site", ".")
    assert result.code == 1 and "internal error" not in result.err
    assert (f"site.yaml:{line}:11: language: 'xx-Klingon' is not a language the generator has dates and numbers for; "
            "use a code such as en, en-GB, vi or fr") in result.err
    assert not (tiny_site.root / "output").exists()
