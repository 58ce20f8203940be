"""Report documents of an acceptance `Checklist`: JSON, HTML, Markdown, JUnit XML and PDF.

    write_reports(checklist, out_dir)  ->  {"json": checklist.json, "html": report.html, "md": report.md,
                                           "junit": junit.xml, "pdf": report.pdf, "suites/NAME": ...}

Each format is one registered `Renderer` (`RENDERERS`): adding a format is one module
that registers itself here. Words come from one table (`i18n`), in `checklist.lang`.
"""

from __future__ import annotations

from clawcheck.report import htmlfmt, jsonfmt, junitfmt, mdfmt, pdffmt  # noqa: F401  (each registers itself)
from clawcheck.report._registry import RENDERERS, Renderer
from clawcheck.report.i18n import LANGUAGES
from clawcheck.report.view import ReportView
from clawcheck.report.write import DEFAULT_FORMATS, render, write_reports

__all__ = ["DEFAULT_FORMATS", "LANGUAGES", "RENDERERS", "Renderer", "ReportView", "render", "write_reports"]
