"""A plan's activities as an IATI 2.03 activity file (`iati_activities`), its check against the
official XSD (`schema_errors`) and against the standard's rules that the XSD cannot express
(`rule_errors`).

What goes in, for each activity of the plan's matrices:
- iati-identifier: the reporting organization's identifier, the plan and the activity's code
  (`activity_identifier`): the standard asks that it start with the reporting org's identifier;
- reporting-org (chosen by the caller; by default the lead of the most activities), title,
  description (the title when none is recorded: the XSD requires one);
- participating-org with its role (`ROLES`): the lead is accountable (2), partners and supporting
  organizations implement (4), donors of secured funding fund (1);
- activity-status from the lifecycle (IATI codes 1–6, `Activity.IATI_CODES`), activity-date:
  planned start and end (1, 3), actual start (2) once the activity is past pipeline, actual end
  (4) once closed or in finalisation;
- sector: the thematic area mapped to OECD DAC 5-digit purpose codes (`DAC5_SECTORS`, vocabulary
  1), with percentages adding up to 100;
- tag: each SDG target (vocabulary 3, "UN SDG targets");
- budget: the budget required, over the activity's period when it lasts a year at most (the
  standard's limit for one budget period); longer activities carry none rather than a split the
  records do not support;
- transaction: secured funding only: committed as an incoming commitment (11), received as
  incoming funds (1), from the donor to the lead; approaches and pledges are not transactions.

- recipient-country (ISO 3166-1) and recipient-region (UN M49: region vocabulary 2, "UN", in
  IATI's RegionVocabulary codelist; 1 would be OECD DAC) from geography (`recipient_places`),
  with the percentages where shares are recorded: geography's rules make them add up to 100 over
  the countries and regions together, which is IATI's rule (`rule_errors` checks it);

Not yet in the file, with the hook to fill when the work lands:
- results and indicators (issue 20, results framework);
- which fields are public (`is_public`, issue 18, visibility): today every activity is exported.

For a signed-in reader (the page's download), the file holds only what they may see
(activities.sensitivity): the activities they may list, and of each the description (the title
in its place), the funding (donors, budget, transactions) and the places only where they may
read that field group. The operator's command writes everything.

Organization identifiers: no organization record holds an IATI identifier yet, and INTERPOL's and
UNODC's are not stated in the project's public sources. `org_ref` therefore gives each one an
identifier under the XI-IATI prefix (the agency IATI runs for organizations without another
registration) with "ILLUSTRATIVE" in it, and the file says so in a comment. Replace them by the
real ones (`KNOWN_ORG_REFS`) once they are confirmed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.db.models import Prefetch
from django.utils import timezone
from lxml import etree

from activities.models import Activity, ActivityParticipation, FundingCommitment
from activities.sensitivity import FULL_SIGHT, Sight
from activities.sensitivity_selectors import sight_of, visible_activities, with_sight
from geography.selectors import Places, places_by_activity
from partnership.models import JointActionPlan, Organization

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# OECD DAC CRS 5-digit purpose codes (sector vocabulary 1) per thematic area, with percentages.
# Our reading of the CRS definitions: 15130 "Legal and judicial development" covers law
# enforcement, police, border management and the justice sector; 15210 "Security system
# management and reform"; 16063 "Narcotics control"; 15110 "Public sector policy and
# administrative management". Reviewable: change it here, the tests check the sums.
DAC5_SECTORS: dict[str, tuple[tuple[str, int], ...]] = {
    "terrorism": (("15210", 100),),
    "trafficking-organized-crime": (("16063", 50), ("15130", 50)),
    "cybercrime": (("15130", 100),),
    "maritime-border-security": (("15130", 100),),
    "forensic-criminal-justice": (("15130", 100),),
    "institutional-capacity": (("15110", 100),),
}
UNMAPPED_SECTOR = (("15130", 100),)

# IATI Organisation Role: 1 funding, 2 accountable, 3 extending, 4 implementing.
ROLES = {
    ActivityParticipation.Role.LEAD: "2",
    ActivityParticipation.Role.PARTNER: "4",
    ActivityParticipation.Role.SUPPORTING: "4",
}
FUNDING_ROLE = "1"
# IATI Organisation Type.
ORG_TYPES = {
    Organization.Kind.INTERNATIONAL_ORGANIZATION: "40",  # multilateral
    Organization.Kind.MEMBER_STATE: "10",  # government
    Organization.Kind.DONOR: "10",
    Organization.Kind.OTHER: "90",
}
# IATI Transaction Type per secured funding status.
TRANSACTION_TYPES = {
    FundingCommitment.Status.COMMITTED: "11",  # incoming commitment
    FundingCommitment.Status.RECEIVED: "1",  # incoming funds
}
# Confirmed IATI organization identifiers, by acronym. Empty: none is confirmed (module docstring).
KNOWN_ORG_REFS: dict[str, str] = {}


def org_ref(organization: Organization) -> str:
    if organization.acronym in KNOWN_ORG_REFS:
        return KNOWN_ORG_REFS[organization.acronym]
    return f"XI-IATI-ILLUSTRATIVE-{_identifier_part(organization.acronym)}"


def _identifier_part(text: str) -> str:
    """IATI identifiers take no spaces and none of / & | ? (guidance on identifiers)."""
    return re.sub(r"[\s/&|?]+", "-", text.strip()) or "-"


def activity_identifier(reporting: Organization, plan: JointActionPlan, activity: Activity) -> str:
    return f"{org_ref(reporting)}-P{plan.pk}-{_identifier_part(activity.code)}"


# IATI RegionVocabulary: 1 OECD DAC, 2 UN (M49), the codes geography records.
M49_REGION_VOCABULARY = "2"


def _percentage(share: Decimal) -> str:
    return f"{share.normalize():f}"


def recipient_places(places: Places) -> list[tuple[str, dict[str, str]]]:
    """The activity's recipient countries (by name) and regions (by code) as (element,
    attributes) pairs, e.g. ("recipient-country", {"code": "NG", "percentage": "50"})."""
    elements = []
    for country in places.countries:
        attributes = {"code": country.code}
        if country.share is not None:
            attributes["percentage"] = _percentage(country.share)
        elements.append(("recipient-country", attributes))
    for region in places.regions:
        attributes = {"code": region.code, "vocabulary": M49_REGION_VOCABULARY}
        if region.share is not None:
            attributes["percentage"] = _percentage(region.share)
        elements.append(("recipient-region", attributes))
    return elements


def is_public(activity: Activity) -> bool:
    """Hook for issue 18 (visibility): whether the activity may be published. Until visibility
    rules exist, every activity of the plan is."""
    return True


def _narrative(parent: etree._Element, tag: str, text: str, **attributes: str) -> None:
    element = etree.SubElement(parent, tag, **attributes)
    etree.SubElement(element, "narrative").text = text


def _org(parent: etree._Element, tag: str, organization: Organization, **attributes: str) -> None:
    element = etree.SubElement(
        parent,
        tag,
        ref=org_ref(organization),
        type=ORG_TYPES.get(organization.kind, "90"),
        **attributes,
    )
    etree.SubElement(element, "narrative").text = organization.name


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _activities(plan: JointActionPlan, viewer: object = None) -> list[Activity]:
    """The plan's activities (those `viewer` may list, when given) with all the file needs, the
    tiers and the viewer's partnership read in the activities' query: 6 queries."""
    activities = Activity.objects.filter(matrix__plan=plan)
    if viewer is not None:
        activities = with_sight(activities.filter(visible_activities(viewer)), viewer)
    return list(
        activities.select_related("thematic_area", "matrix")
        .prefetch_related(
            "sdg_targets",
            Prefetch(
                "participations",
                ActivityParticipation.objects.select_related("organization").order_by(
                    "role", "organization__acronym"
                ),
            ),
            Prefetch(
                "funding",
                FundingCommitment.objects.filter(status__in=FundingCommitment.SECURED)
                .select_related("donor")
                .order_by("date", "id"),
            ),
        )
        .order_by("matrix__edition", "code")
    )


def default_reporting_org(activities: list[Activity]) -> Organization | None:
    """The organization leading most of the activities (ties: by acronym)."""
    leads = Counter()
    by_acronym = {}
    for activity in activities:
        for p in activity.participations.all():
            if p.role == ActivityParticipation.Role.LEAD:
                leads[p.organization.acronym] += 1
                by_acronym[p.organization.acronym] = p.organization
    if not leads:
        return None
    best = max(sorted(leads), key=lambda acronym: leads[acronym])
    return by_acronym[best]


def _dates(element: etree._Element, activity: Activity, plan: JointActionPlan) -> None:
    start = activity.start_date or plan.period_start
    end = activity.end_date or plan.period_end
    etree.SubElement(element, "activity-date", type="1", **{"iso-date": start.isoformat()})
    started = activity.lifecycle != Activity.Lifecycle.PIPELINE and start <= timezone.localdate()
    if started and activity.lifecycle != Activity.Lifecycle.CANCELLED:
        etree.SubElement(element, "activity-date", type="2", **{"iso-date": start.isoformat()})
    etree.SubElement(element, "activity-date", type="3", **{"iso-date": end.isoformat()})
    ended = activity.lifecycle in (Activity.Lifecycle.CLOSED, Activity.Lifecycle.FINALISATION)
    if ended and end <= timezone.localdate():
        etree.SubElement(element, "activity-date", type="4", **{"iso-date": end.isoformat()})


def _activity_element(
    activity: Activity,
    plan: JointActionPlan,
    reporting: Organization,
    places: Places,
    sight: Sight = FULL_SIGHT,
) -> etree._Element:
    element = etree.Element(
        "iati-activity",
        {
            XML_LANG: "en",
            "default-currency": activity.currency,
            "last-updated-datetime": activity.updated_at.replace(microsecond=0).isoformat(),
        },
    )
    etree.SubElement(element, "iati-identifier").text = activity_identifier(
        reporting, plan, activity
    )
    _org(element, "reporting-org", reporting)
    _narrative(element, "title", activity.title)
    description = activity.description if sight.sees("description") else ""
    _narrative(element, "description", description or activity.title, type="1")
    participations = list(activity.participations.all())
    lead = next((p.organization for p in participations if p.role == "lead"), None)
    funding = list(activity.funding.all()) if sight.sees("funding") else []
    for donor in {f.donor.pk: f.donor for f in funding}.values():
        _org(element, "participating-org", donor, role=FUNDING_ROLE)
    for p in participations:
        _org(element, "participating-org", p.organization, role=ROLES[p.role])
    etree.SubElement(element, "activity-status", code=str(activity.iati_status_code))
    _dates(element, activity, plan)
    for tag, attributes in recipient_places(places) if sight.sees("places") else ():
        etree.SubElement(element, tag, **attributes)
    for code, percentage in DAC5_SECTORS.get(activity.thematic_area.code, UNMAPPED_SECTOR):
        etree.SubElement(element, "sector", vocabulary="1", code=code, percentage=str(percentage))
    for target in sorted(activity.sdg_targets.all(), key=lambda t: t.code):
        _narrative(element, "tag", target.title, vocabulary="3", code=target.code)
    start, end = activity.start_date, activity.end_date
    budget_seen = sight.sees("funding") and activity.budget_required > 0
    if start and end and (end - start).days <= 365 and budget_seen:
        budget = etree.SubElement(element, "budget", type="1", status="1")
        etree.SubElement(budget, "period-start", **{"iso-date": start.isoformat()})
        etree.SubElement(budget, "period-end", **{"iso-date": end.isoformat()})
        value = etree.SubElement(
            budget, "value", currency=activity.currency, **{"value-date": start.isoformat()}
        )
        value.text = _money(activity.budget_required)
    for line in funding:
        transaction = etree.SubElement(element, "transaction")
        etree.SubElement(transaction, "transaction-type", code=TRANSACTION_TYPES[line.status])
        etree.SubElement(transaction, "transaction-date", **{"iso-date": line.date.isoformat()})
        value = etree.SubElement(
            transaction, "value", currency=line.currency, **{"value-date": line.date.isoformat()}
        )
        value.text = _money(line.amount)
        _org(transaction, "provider-org", line.donor)
        if lead is not None:
            _org(transaction, "receiver-org", lead)
    return element


def iati_activities(
    *, plan_id: int, reporting_acronym: str | None = None, viewer: object = None
) -> bytes:
    """The plan's public activities as an IATI 2.03 activity file (UTF-8 XML), with only what
    `viewer` may see when given (see the module docstring). Queries: the plan (1), its
    activities with what the file needs (6), their countries and regions (2), the reporting
    organization when named (1).
    Raises JointActionPlan.DoesNotExist, Organization.DoesNotExist."""
    plan = JointActionPlan.objects.get(pk=plan_id)
    activities = [a for a in _activities(plan, viewer) if is_public(a)]
    if reporting_acronym:
        reporting = Organization.objects.get(acronym=reporting_acronym)
    else:
        reporting = default_reporting_org(activities)
    root = etree.Element(
        "iati-activities",
        version=IATI_VERSION,
        **{"generated-datetime": timezone.now().replace(microsecond=0).isoformat()},
    )
    if reporting is not None and reporting.acronym not in KNOWN_ORG_REFS:
        root.append(
            etree.Comment(
                " Organization identifiers under XI-IATI-ILLUSTRATIVE- are illustrative: "
                "the organizations' real IATI identifiers are not confirmed. "
            )
        )
    places = places_by_activity(activity.pk for activity in activities)
    for activity in activities:
        if reporting is not None:
            sight = FULL_SIGHT if viewer is None else sight_of(viewer, activity)
            root.append(_activity_element(activity, plan, reporting, places[activity.pk], sight))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- checks ---------------------------------------------------------------------------------------


# The official schemas, kept in the repository (iati_schema/README.md).
SCHEMA_DIR = Path(__file__).resolve().parent / "iati_schema"


@cache
def _schema(directory: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(Path(directory) / "iati-activities-schema.xsd")))


def schema_errors(content: bytes, *, schema_dir: Path = SCHEMA_DIR) -> list[str]:
    """What the official IATI 2.03 XSD (in `schema_dir`, by default the copy kept here) says of
    the file: [] when it is valid."""
    schema = _schema(str(schema_dir))
    try:
        document = etree.fromstring(content)
    except etree.XMLSyntaxError as exc:
        return [f"Not well-formed XML: {exc}"]
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def _date(element: etree._Element | None) -> dt.date | None:
    if element is None:
        return None
    return dt.date.fromisoformat(element.get("iso-date"))


def rule_errors(content: bytes) -> list[str]:
    """The IATI standard's rules the XSD cannot express, checked on the file: sector percentages
    of one vocabulary add up to 100; recipient country and region percentages, where given, are
    given for each and add up to 100; the identifier starts with the reporting org's; planned and
    actual starts precede their ends; a budget period runs forward and lasts a year at most;
    identifiers are unique in the file."""
    errors = []
    root = etree.fromstring(content)
    seen: Counter[str] = Counter()
    for activity in root.iter("iati-activity"):
        identifier = (activity.findtext("iati-identifier") or "").strip()
        seen[identifier] += 1
        reporting = activity.find("reporting-org")
        if reporting is None or not identifier.startswith(reporting.get("ref", "") + "-"):
            errors.append(f"{identifier}: the identifier does not start with the reporting org's.")
        shares: dict[str, Decimal] = defaultdict(Decimal)
        for sector in activity.findall("sector"):
            if sector.get("percentage") is not None:
                shares[sector.get("vocabulary", "1")] += Decimal(sector.get("percentage"))
        for vocabulary, total in shares.items():
            if total != 100:
                errors.append(
                    f"{identifier}: sector percentages of vocabulary {vocabulary} add up to "
                    f"{total}, not 100."
                )
        places = [*activity.findall("recipient-country"), *activity.findall("recipient-region")]
        percentages = [Decimal(p.get("percentage")) for p in places if p.get("percentage")]
        if percentages and (len(percentages) < len(places) or sum(percentages) != 100):
            errors.append(
                f"{identifier}: recipient country and region percentages add up to "
                f"{sum(percentages)}, not 100, or are missing for some."
            )
        dates = {d.get("type"): _date(d) for d in activity.findall("activity-date")}
        for start, end, what in (("1", "3", "planned"), ("2", "4", "actual")):
            if dates.get(start) and dates.get(end) and dates[start] > dates[end]:
                errors.append(f"{identifier}: the {what} start is after the {what} end.")
        for budget in activity.findall("budget"):
            start, end = _date(budget.find("period-start")), _date(budget.find("period-end"))
            if start and end and (end < start or (end - start).days > 365):
                errors.append(f"{identifier}: a budget period must run forward, one year at most.")
    errors.extend(f"{i}: the identifier is used {n} times." for i, n in seen.items() if n > 1)
    return errors
