"""The resources app's models, one module per part: organisations, the catalogue's resources,
curation records, teams and saved views, email alerts for saved views, copies of saved views'
lists kept as they were, the counts kept per catalogue version, the words misspellings are
corrected against, public submissions counted per address, and the ways in by role. Re-exported
here so that `from resources.models import Resource` works wherever a model lives."""

from resources.models.alerts import (
    AlertEmail,
    AlertEmailStatus,
    AlertFrequency,
    AlertSubscription,
)
from resources.models.catalogue import (
    BROKEN_OR_UNREACHABLE,
    MAX_YEAR,
    MIN_YEAR,
    RESERVED_SLUGS,
    SEARCH_COLUMNS,
    LinkStatus,
    Resource,
    ResourceAccess,
    ResourceFormat,
    ResourceKind,
    ResourceQuerySet,
    ResourceStatus,
    title_sort_key,
)
from resources.models.curation import (
    LinkCheck,
    LinkCheckQuerySet,
    LinkCheckRun,
    ProblemKind,
    ProblemReport,
    ProblemReportQuerySet,
    ReportStatus,
)
from resources.models.insights import InsightCount, InsightKind, InsightSpan
from resources.models.kept_copies import KeptCopy, KeptCopyItem, KeptCopyQuerySet
from resources.models.organisations import Organisation, OrganisationKind
from resources.models.search_words import SearchWord
from resources.models.snapshots import CatalogueSnapshot, CatalogueVersion
from resources.models.submissions import SubmissionCount
from resources.models.teams import SavedView, SavedViewQuerySet, SavedViewVisit, Team
from resources.models.ways_in import AUDIENCE_VOCABULARY, WayIn, WayInPick, WayInQuerySet

__all__ = [
    "AUDIENCE_VOCABULARY",
    "AlertEmail",
    "AlertEmailStatus",
    "AlertFrequency",
    "AlertSubscription",
    "BROKEN_OR_UNREACHABLE",
    "MAX_YEAR",
    "MIN_YEAR",
    "RESERVED_SLUGS",
    "SEARCH_COLUMNS",
    "CatalogueSnapshot",
    "CatalogueVersion",
    "InsightCount",
    "InsightKind",
    "InsightSpan",
    "KeptCopy",
    "KeptCopyItem",
    "KeptCopyQuerySet",
    "LinkCheck",
    "LinkCheckQuerySet",
    "LinkCheckRun",
    "LinkStatus",
    "Organisation",
    "OrganisationKind",
    "ProblemKind",
    "ProblemReport",
    "ProblemReportQuerySet",
    "ReportStatus",
    "Resource",
    "ResourceAccess",
    "ResourceFormat",
    "ResourceKind",
    "ResourceQuerySet",
    "ResourceStatus",
    "SavedView",
    "SavedViewQuerySet",
    "SavedViewVisit",
    "SearchWord",
    "SubmissionCount",
    "Team",
    "WayIn",
    "WayInPick",
    "WayInQuerySet",
    "title_sort_key",
]
