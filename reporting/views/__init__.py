from reporting.views.dashboard import indicator_detail, national, pole
from reporting.views.exports import national_export, pole_export

__all__ = ["indicator_detail", "national", "national_export", "pole", "pole_export"]
