"""The accountability registers, declared (issue 15): one spec per kind names its columns,
their types, limits and choices. The parser (``sources.registers``), the templates, the Django
models (``registers.models``, checked against these by a test), the public pages and the API
all follow from these declarations. Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Type(StrEnum):
    TEXT = "text"  # one line, up to max_length characters
    LONG_TEXT = "long text"  # paragraphs, up to max_length characters
    DATE = "date"  # YYYY-MM-DD
    MONEY = "money"  # pounds, 0 or more, at most 2 decimal places
    CHOICE = "choice"  # one of ``choices`` (case does not matter)
    AREA = "area"  # the force or one of its local authorities: code, slug or name
    BODY = "body"  # a governance body of the current plan: slug or name
    LINK = "link"  # an https:// or http:// address
    EMAIL = "email"
    LATITUDE = "latitude"  # WGS84 degrees, within Great Britain and Northern Ireland
    LONGITUDE = "longitude"
    FINANCIAL_YEAR = "financial year"  # 2024/25 (April to March)
    YES_NO = "yes or no"


@dataclass(frozen=True)
class Column:
    name: str
    type: Type
    help: str
    required: bool = True
    max_length: int = 200
    choices: tuple[str, ...] = ()

    @property
    def described(self) -> str:
        """What goes in the column, for the template's guide and the README."""
        kind = {
            Type.TEXT: f"text, up to {self.max_length} characters",
            Type.LONG_TEXT: f"text, up to {self.max_length} characters",
            Type.DATE: "a date, YYYY-MM-DD",
            Type.MONEY: "pounds, 0 or more, like 12500 or 12500.50 (no £ or commas)",
            Type.CHOICE: "one of: " + ", ".join(self.choices),
            Type.AREA: "the force or one of its local authorities (code, slug or name)",
            Type.BODY: "a governance body of the plan (slug or name)",
            Type.LINK: "an address starting https://",
            Type.EMAIL: "an email address",
            Type.LATITUDE: "latitude in degrees (WGS84), like 52.6369",
            Type.LONGITUDE: "longitude in degrees (WGS84), like -1.1398",
            Type.FINANCIAL_YEAR: "a financial year, like 2024/25",
            Type.YES_NO: "yes or no",
        }[self.type]
        return f"{'required' if self.required else 'optional'}; {kind}. {self.help}"


@dataclass(frozen=True)
class RegisterSpec:
    kind: str  # the KIND of import_register and the API resource's name
    title: str  # the register's name on pages
    item: str  # one entry, in a sentence ("grant")
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # columns that identify an entry: a repeat is refused
    order: tuple[str, ...] = ()  # default ordering of the public list (model field names)
    search: tuple[str, ...] = field(default=())  # columns the public search looks in

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _text(name: str, help: str, required: bool = True, max_length: int = 200) -> Column:
    return Column(name, Type.TEXT, help, required, max_length)


def _long(name: str, help: str, required: bool = True, max_length: int = 4000) -> Column:
    return Column(name, Type.LONG_TEXT, help, required, max_length)


def _date(name: str, help: str, required: bool = True) -> Column:
    return Column(name, Type.DATE, help, required)


def _choice(name: str, help: str, choices: tuple[str, ...], required: bool = True) -> Column:
    return Column(name, Type.CHOICE, help, required, choices=choices)


def _link(name: str, help: str, required: bool = False) -> Column:
    return Column(name, Type.LINK, help, required, max_length=1000)


ACTION_STATUSES = ("open", "in progress", "complete")
RECOMMENDATION_STATUSES = ("open", "in progress", "complete", "closed")
RECOMMENDATION_TYPES = ("recommendation", "area for improvement", "cause of concern")
DOCUMENT_TYPES = (
    "annual report",
    "briefing",
    "letter to government",
    "strategy",
    "medium term financial strategy",
    "budget",
    "report",
    "other",
)
PLACE_TYPES = (
    "police station",
    "front counter",
    "beat surgery",
    "community base",
    "mobile police station",
    "other",
)
FINANCE_LINES = ("budget", "mtfs", "outturn", "precept", "savings")

GRANTS = RegisterSpec(
    "grants",
    "Commissioner's Safety Fund grants",
    "grant",
    "Grants the Commissioner's Safety Fund has awarded: to whom, how much, where and for what.",
    (
        _text("reference", "Your reference for the grant, if any.", required=False, max_length=50),
        _text("organisation", "The organisation awarded the grant."),
        Column("amount", Type.MONEY, "The amount awarded."),
        Column("area", Type.AREA, "Where the money is spent; the force for force-wide work."),
        _long("purpose", "What the grant is for.", max_length=2000),
        _date("awarded", "When the grant was awarded."),
        _date("ends", "When the funded work ends.", required=False),
        _long("outcome", "What the grant achieved, once known.", required=False),
    ),
    key=("organisation", "awarded", "purpose"),
    order=("-awarded", "organisation"),
    search=("organisation", "purpose", "reference"),
)

PLACES = RegisterSpec(
    "places",
    "Police buildings and places to meet officers",
    "place",
    "Police stations, front counters and other places where the public can meet the police.",
    (
        _text("name", "The place's name."),
        _choice("type", "What kind of place it is.", PLACE_TYPES),
        _text("address", "Its address, on one line.", max_length=300),
        _text("postcode", "Its postcode.", required=False, max_length=10),
        Column("area", Type.AREA, "The local authority it is in."),
        Column("latitude", Type.LATITUDE, "Where it is (from the map or the postcode)."),
        Column("longitude", Type.LONGITUDE, "Where it is."),
        _text("opening_hours", "When it is open to the public.", required=False, max_length=300),
        _text("accessibility", "Step-free access, hearing loop...", required=False, max_length=500),
        Column("public_access", Type.YES_NO, "Whether the public can go in and speak to someone."),
        _date(
            "visibility_increased",
            "When its public visibility was last increased (signage, "
            "opening hours, access), if it has been.",
            required=False,
        ),  # fmt: skip
    ),
    key=("name",),
    order=("name",),
    search=("name", "address", "postcode"),
)

MEETINGS = RegisterSpec(
    "meetings",
    "Governance meetings",
    "meeting",
    "Meetings of the bodies through which the Commissioner holds the force to account.",
    (
        Column("body", Type.BODY, "The board, panel or meeting."),
        _date("date", "When it met."),
        _text("title", "The meeting's title."),
        _link("papers", "Where the agenda and papers are published."),
        _link("minutes", "Where the minutes are published."),
        _long("decisions", "What was decided, in brief.", required=False),
    ),
    key=("body", "date", "title"),
    order=("-date", "body"),
    search=("title", "decisions"),
)

ACTIONS = RegisterSpec(
    "actions",
    "Actions from governance meetings",
    "action",
    "What each meeting asked someone to do, by when, and whether it is done.",
    (
        _text("reference", "The action's reference.", max_length=50),
        Column("body", Type.BODY, "The body whose meeting set it."),
        _date("meeting_date", "The meeting that set it."),
        _long("action", "What is to be done.", max_length=2000),
        _text("owner", "Who is to do it (a role, not a personal name)."),
        _date("due", "When it is due."),
        _choice("status", "Where it stands.", ACTION_STATUSES),
        _date("completed", "When it was completed (with status complete).", required=False),
    ),
    key=("reference",),
    order=("due", "reference"),
    search=("action", "owner", "reference"),
)

RECOMMENDATIONS = RegisterSpec(
    "recommendations",
    "HMICFRS recommendations",
    "recommendation",
    "Recommendations and areas for improvement from HMICFRS inspections, with the force's and "
    "the Commissioner's responses and progress.",
    (
        _text("reference", "The recommendation's reference.", max_length=50),
        _text("inspection", "The inspection report it comes from.", max_length=300),
        _date("published", "When the inspection report was published."),
        _choice("type", "What HMICFRS made it.", RECOMMENDATION_TYPES),
        _long("text", "The recommendation as HMICFRS wrote it."),
        _long("force_response", "The force's response.", required=False),
        _long("pcc_response", "The Commissioner's response.", required=False),
        _long("progress", "The latest progress update.", required=False),
        _date("updated", "When progress was last updated.", required=False),
        _choice("status", "Where it stands.", RECOMMENDATION_STATUSES),
        _date("closed", "When it was completed or closed.", required=False),
    ),
    key=("reference",),
    order=("-published", "reference"),
    search=("reference", "inspection", "text", "progress"),
)

DECISIONS = RegisterSpec(
    "decisions",
    "Decisions of the Commissioner",
    "decision",
    "The Police and Crime Commissioner's formal decisions.",
    (
        _text("reference", "The decision's reference.", max_length=50),
        _date("date", "When it was made."),
        _text("title", "Its title.", max_length=300),
        _long("summary", "What was decided and why."),
        _link("document", "The decision record."),
    ),
    key=("reference",),
    order=("-date", "reference"),
    search=("reference", "title", "summary"),
)

DOCUMENTS = RegisterSpec(
    "documents",
    "Documents",
    "document",
    "Annual reports, briefings, letters to government and strategies the Commissioner publishes.",
    (
        _text("title", "The document's title.", max_length=300),
        _choice("type", "What kind of document it is.", DOCUMENT_TYPES),
        _date("date", "When it was published."),
        _link("file", "Where it is published.", required=True),
        _long("summary", "What it is about.", required=False, max_length=2000),
    ),
    key=("title", "date"),
    order=("-date", "title"),
    search=("title", "summary", "type"),
)

FINANCE = RegisterSpec(
    "finance",
    "Finance",
    "finance line",
    "The budget, the Medium Term Financial Strategy (MTFS), the outturn, the precept and "
    "savings, by financial year and category.",
    (
        Column("year", Type.FINANCIAL_YEAR, "The financial year."),
        _choice("line", "Which statement the figure belongs to.", FINANCE_LINES),
        _text("category", "The spending category (for the precept: Band D).", max_length=100),
        Column("amount", Type.MONEY, "The amount."),
        _text("note", "Anything a reader needs to know.", required=False, max_length=500),
    ),
    key=("year", "line", "category"),
    order=("-year", "line", "category"),
    search=("category", "note"),
)

TEAMS = RegisterSpec(
    "teams",
    "Neighbourhood policing teams",
    "team",
    "Local policing teams, their areas and how to contact them, entered by staff for when "
    "the data.police.uk API cannot be reached.",
    (
        _text("name", "The team's name."),
        Column("area", Type.AREA, "The local authority it covers."),
        _text("covers", "The neighbourhoods or wards it covers.", required=False, max_length=500),
        Column("email", Type.EMAIL, "Its email address.", required=False),
        _text("phone", "Its phone number (101 if none).", required=False, max_length=40),
        _link("web", "Its page on the force's website."),
        _text("address", "Where to find it.", required=False, max_length=300),
    ),
    key=("name",),
    order=("name",),
    search=("name", "covers"),
)

SPECS: dict[str, RegisterSpec] = {
    spec.kind: spec
    for spec in (
        MEETINGS,
        ACTIONS,
        RECOMMENDATIONS,
        DECISIONS,
        DOCUMENTS,
        FINANCE,
        PLACES,
        GRANTS,
        TEAMS,
    )
}
