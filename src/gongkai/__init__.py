"""gongkai: exact data from 政府信息公开工作年度报告.

    >>> import gongkai
    >>> report = gongkai.parse_path("report.html")
    >>> report.edition, report.value("s3.new.total")
"""

from .extract.series import settle_series
from .model import Cell, Finding, GongkaiError, Report, Source
from .pipeline import parse_bytes, parse_doc, parse_path, parse_text

__version__ = "0.1.0"
PARSER_VERSION = "2"

__all__ = ["Cell", "Finding", "GongkaiError", "Report", "Source", "parse_bytes", "parse_doc", "parse_path",
           "parse_text", "settle_series", "__version__", "PARSER_VERSION"]
