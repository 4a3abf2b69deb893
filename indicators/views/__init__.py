from indicators.views.documents import plan_document, plan_document_review
from indicators.views.entry import (
    entry,
    entry_sheet_download,
    entry_sheet_upload,
    evidence,
    home,
)
from indicators.views.targets import target_preview
from indicators.views.themes import plan_themes
from indicators.views.workflow import target_revise, year_transition

__all__ = ["entry", "entry_sheet_download", "entry_sheet_upload", "evidence", "home",
           "plan_document", "plan_document_review", "plan_themes", "target_preview",
           "target_revise", "year_transition"]
