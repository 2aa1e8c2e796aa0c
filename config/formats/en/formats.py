"""How the app writes and reads dates and times (settings.FORMAT_MODULE_PATH points here).

One format everywhere: ISO 8601 dates (2026-11-30), as the CSV exports and imports write them,
and times labelled with their time zone (2026-11-30 14:05 UTC). A table whose column header
names the zone ("Created (UTC)") uses the short form without it.
"""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i T"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
# Typed dates are read as ISO only: 03/04/2025 is March in one country and April in another.
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
