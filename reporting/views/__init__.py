from reporting.views.dashboard import indicator_detail, national, pole
from reporting.views.exports import national_export, pole_export
from reporting.views.filings import filed_file, filings, report_pdf

__all__ = ["filed_file", "filings", "indicator_detail", "national", "national_export", "pole",
           "pole_export", "report_pdf"]
