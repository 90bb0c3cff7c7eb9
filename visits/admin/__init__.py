"""Admin for support; the pages under /visits/ are where work is done. One module per part of the app."""

from visits.admin import compliance as compliance
from visits.admin import visits as visits  # registers the models
