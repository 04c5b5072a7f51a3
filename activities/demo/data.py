"""The 2016 INTERPOL–UNODC partnership as a demo data set: plain Python data, no ORM.

`activities.demo.loader` writes it; `python manage.py load_demo` calls the loader.

Sources. Public facts come from ../shared/data/REFERENCE-2016.md and the INTERPOL Secretary
General's remarks of 23 May 2016 (the Legal Agreement signed that day in Vienna by Yury Fedotov and
Jürgen Stock; the six thematic areas; current and aspirational activities; eleven priorities for
2016 in nine named areas; INTERPOL's and UNODC's contributions; AIRCOP, ICCWC, CRIMJUST, the
cultural property tool, the Global Programme on Cybercrime). Everything else is illustrative: the
titles of the eleven priorities are not public, nor are any milestones, indicators, progress
reports, budgets or funding figures. Activities not taken from a public fact carry
`is_illustrative=True`; for the public ones the description says which parts are illustrative.
Money is in USD throughout so the funding rule compares like with like.

The monitoring story. The milestones, indicators, progress updates and funding of the eleven 2016
priorities are dated so that the monitoring rules (monitoring/rules.py, default policy: milestone
overdue → at risk, > 30 days → off track; progress gap > 15 points → at risk, > 30 → off track;
no approved update for > 90 days → at risk; indicator shortfall > 15 % of the planned change →
at risk; secured funding < 50 % once started → at risk; 30 days' grace after the start), replayed
at each month end of 2016, tell the story written in `STORIES_2016` and in the comment above each
priority. Progress updates are approved about a week after the period they report on, so a month
end sees the previous month's report.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

# --- Small constructors: they only turn literals into dates and decimals --------------------------


def D(iso: str) -> date:
    return date.fromisoformat(iso)


def participation(organization: str, role: str, contribution: str) -> dict[str, Any]:
    return {"organization": organization, "role": role, "contribution": contribution}


def milestone(title: str, due: str, completed: str | None = None, weight: int = 1) -> dict:
    return {
        "title": title,
        "due_date": D(due),
        "completed_on": D(completed) if completed else None,
        "weight": weight,
    }


def indicator(
    name: str,
    unit: str,
    baseline: str,
    baseline_date: str,
    target: str,
    target_date: str,
    measurements: list[tuple[str, str, str]],
    direction: str = "increase",
) -> dict[str, Any]:
    """`measurements`: (measured on, value, note)."""
    return {
        "name": name,
        "unit": unit,
        "baseline": Decimal(baseline),
        "baseline_date": D(baseline_date),
        "target": Decimal(target),
        "target_date": D(target_date),
        "direction": direction,
        "measurements": [
            {"measured_on": D(on), "value": Decimal(value), "note": note}
            for on, value, note in measurements
        ],
    }


def update(
    period_end: str,
    percent: int,
    narrative: str,
    *,
    approved: str | None = None,
    returned: str | None = None,
    submitted: str | None = None,
    review_note: str = "",
    risks: str = "",
) -> dict[str, Any]:
    """A progress update. Its state follows from the dates given: approved or returned (then
    submitted three days after the period unless stated), submitted, or else a draft."""
    end = D(period_end)
    reviewed = approved or returned
    if submitted is None and reviewed:
        submitted = (end + timedelta(days=3)).isoformat()
    if approved:
        state = "approved"
    elif returned:
        state = "returned"
    elif submitted:
        state = "submitted"
    else:
        state = "draft"
    return {
        "period_end": end,
        "percent_complete": percent,
        "narrative": narrative,
        "risks": risks,
        "state": state,
        "submitted_on": D(submitted) if submitted else None,
        "reviewed_on": D(reviewed) if reviewed else None,
        "review_note": review_note,
    }


def funding(donor: str, amount: str, status: str, on: str) -> dict[str, Any]:
    return {"donor": donor, "amount": Decimal(amount), "status": status, "date": D(on)}


# --- Organizations, partnership, agreements, plan, matrix -----------------------------------------

ORGANIZATIONS: list[dict[str, str]] = [
    # The two partners.
    {
        "acronym": "INTERPOL",
        "name": "International Criminal Police Organization",
        "kind": "international_organization",
        "website": "https://www.interpol.int",
    },
    {
        "acronym": "UNODC",
        "name": "United Nations Office on Drugs and Crime",
        "kind": "international_organization",
        "website": "https://www.unodc.org",
    },
    # The United Nations is INTERPOL's counterpart in the 1997 agreement.
    {
        "acronym": "UN",
        "name": "United Nations",
        "kind": "international_organization",
        "website": "https://www.un.org",
    },
    # Partners in the public projects (AIRCOP, ICCWC, CRIMJUST).
    {
        "acronym": "WCO",
        "name": "World Customs Organization",
        "kind": "international_organization",
        "website": "https://www.wcoomd.org",
    },
    {
        "acronym": "CITES",
        "name": "CITES Secretariat",
        "kind": "international_organization",
        "website": "https://cites.org",
    },
    {
        "acronym": "WB",
        "name": "World Bank",
        "kind": "international_organization",
        "website": "https://www.worldbank.org",
    },
    {
        "acronym": "TI",
        "name": "Transparency International",
        "kind": "other",
        "website": "https://www.transparency.org",
    },
    # Donors. The EU funds AIRCOP and CRIMJUST (public); every other donor role and all amounts
    # are illustrative. States that fund activities are member states that act as donors.
    {
        "acronym": "EU",
        "name": "European Union",
        "kind": "donor",
        "website": "https://european-union.europa.eu",
    },
    {"acronym": "DEU", "name": "Germany", "kind": "member_state", "website": ""},
    {"acronym": "NOR", "name": "Norway", "kind": "member_state", "website": ""},
    {"acronym": "USA", "name": "United States of America", "kind": "member_state", "website": ""},
    # Member states with a part in the story: the host countries of the two secretariats, and
    # Qatar, where Fedotov and Stock agreed in 2015 to enhance the cooperation.
    {"acronym": "AUT", "name": "Austria", "kind": "member_state", "website": ""},
    {"acronym": "FRA", "name": "France", "kind": "member_state", "website": ""},
    {"acronym": "QAT", "name": "Qatar", "kind": "member_state", "website": ""},
]

PARTNERSHIP: dict[str, Any] = {
    "name": "INTERPOL–UNODC strategic partnership",
    "organizations": ["INTERPOL", "UNODC"],
    "description": (
        "The enhanced partnership that INTERPOL and UNODC started in August 2015 and framed on "
        "23 May 2016 with three guiding documents: a Legal Agreement, a Joint Action Plan and an "
        "Activity Matrix. It replaces ad hoc, project-based cooperation with a strategic one, "
        "built on efficiency, accountability, visibility and relevance (SDG 16)."
    ),
}

AGREEMENT_1997 = "Agreement on cooperation between the United Nations and INTERPOL"
LEGAL_AGREEMENT_2016 = "Legal Agreement between INTERPOL and UNODC"

# The 1997 agreement is between the United Nations and INTERPOL, so its parties are UN and
# INTERPOL (UNODC acts for the UN Secretariat in the 2016 framework, which builds on it).
AGREEMENTS: list[dict[str, Any]] = [
    {
        "title": AGREEMENT_1997,
        "kind": "cooperation_agreement",
        "parties": ["UN", "INTERPOL"],
        "signed_on": D("1997-07-08"),
        "place": "",
        "entry_into_force": None,
        "builds_on": None,
        "summary": (
            "In 1997 INTERPOL and the United Nations entered into an agreement to cooperate, "
            "after ECOSOC's 1971 arrangement for co-operation and INTERPOL's observer status at "
            "the General Assembly (resolution 51/1, 1996). The INTERPOL Secretary General's "
            "remarks of 23 May 2016 call it the Memorandum of Understanding between INTERPOL and "
            "the United Nations signed in 1997. Illustrative: the public reference gives the "
            "year only; the day (8 July) is illustrative."
        ),
        "document_url": "",
    },
    {
        "title": LEGAL_AGREEMENT_2016,
        "kind": "legal_agreement",
        "parties": ["INTERPOL", "UNODC"],
        "signed_on": D("2016-05-23"),
        "place": "Vienna",
        "entry_into_force": None,
        "builds_on": AGREEMENT_1997,
        "summary": (
            "Signed on 23 May 2016 in Vienna by UNODC's Executive Director Yury Fedotov and "
            "INTERPOL's Secretary General Jürgen Stock at a side event of the 25th session of "
            "the Commission on Crime Prevention and Criminal Justice (CCPCJ). It sets the legal "
            "parameters of the cooperation between the two organizations and, with the Joint "
            "Action Plan and the Activity Matrix, forms the framework of the enhanced "
            "partnership, building on the 1997 agreement between INTERPOL and the United Nations."
        ),
        "document_url": "",
    },
]

# The plan's reporting calendar: quarterly, each report due a week after its quarter ends. The
# quarter-end updates below are the quarterly reports (the monthly ones in between are interim
# updates, on no period); a few were submitted late, and quarters without one are missing.
REPORTING: dict[str, Any] = {"frequency": "quarterly", "due_after_days": 7}

PLAN: dict[str, Any] = {
    "title": "INTERPOL–UNODC Joint Action Plan",
    "partnership": PARTNERSHIP["name"],
    "agreement": LEGAL_AGREEMENT_2016,
    # Starts on 1 January 2016 so that the whole year of the eleven 2016 priorities falls inside
    # it (several were running before the signature). Ends on 31 December 2018 because the plan is
    # the partnership's medium-term frame (the remarks look "to the medium term"; a steering
    # committee reviewed progress under it in Lyon on 6 June 2018); the end date is illustrative.
    "period_start": D("2016-01-01"),
    "period_end": D("2018-12-31"),
    "state": "adopted",
    "objectives": (
        "1. Reinforce a coherent multilateral framework that develops and supports national "
        "crime prevention and criminal justice institutions, notably police, and assists them "
        "in their effort to cooperate internationally.\n"
        "2. Coordinate advocacy and engagement in targeted international forums, and develop "
        "joint initiatives which capitalize on the strengths of each organization.\n"
        "Guided by four elements: efficiency (coherence in approaching donors and implementing "
        "activities), accountability (communication and monitoring between the two "
        "organizations), visibility (a forward-looking framework member countries can follow) "
        "and relevance (the Sustainable Development Goals, in particular Goal 16).\n"
        "(The period end, 2018-12-31, is illustrative.)"
    ),
}

MATRIX: dict[str, Any] = {
    "edition": 1,
    "adopted_on": D("2016-05-23"),
    "notes": (
        "First edition, adopted with the Legal Agreement on 23 May 2016: joint and "
        "complementary activities in six thematic areas, current and aspirational. Activities "
        "marked illustrative are not taken from a public source."
    ),
}

TOPICS: list[tuple[str, str]] = [
    ("drugs", "Drugs"),
    ("wildlife-forest-crime", "Wildlife and forest crime"),
    ("cultural-heritage", "Cultural heritage"),
    ("dark-net-research", "Dark net research"),
    ("information-sharing", "Information sharing"),
    ("firearms", "Firearms"),
    ("human-trafficking", "Human trafficking"),
    ("migrant-smuggling", "Migrant smuggling"),
    ("anti-corruption", "Anti-corruption and asset recovery"),
    ("money-laundering", "Money laundering and illicit financial flows"),
    ("foreign-terrorist-fighters", "Foreign terrorist fighters"),
    ("forensics", "Forensics"),
    ("maritime-crime", "Maritime crime"),
    ("e-learning", "E-learning"),
    ("cybercrime", "Cybercrime"),
    ("organized-crime", "Transnational organized crime"),
    ("institutional-cooperation", "Institutional cooperation"),
]

# --- Users ----------------------------------------------------------------------------------------

MANAGER = "manager"
LIAISON = {"INTERPOL": "liaison-interpol", "UNODC": "liaison-unodc"}

USERS: list[dict[str, Any]] = [
    {
        "username": MANAGER,
        "first_name": "Demo",
        "last_name": "Manager",
        "email": "manager@example.org",
        "role": "manager",
        # The partnership's coordination sits with UNODC in Vienna in this demo (illustrative).
        "organization": "UNODC",
    },
    {
        "username": LIAISON["INTERPOL"],
        "first_name": "INTERPOL",
        "last_name": "Liaison Officer",
        "email": "liaison-interpol@example.org",
        "role": "liaison_officer",
        "organization": "INTERPOL",
    },
    {
        "username": LIAISON["UNODC"],
        "first_name": "UNODC",
        "last_name": "Liaison Officer",
        "email": "liaison-unodc@example.org",
        "role": "liaison_officer",
        "organization": "UNODC",
    },
    {
        # For /admin/: a superuser, with the password of the other demo logins.
        "username": "admin",
        "first_name": "Demo",
        "last_name": "Administrator",
        "email": "admin@example.org",
        "role": "admin",
        "organization": None,
        "is_staff": True,
        "is_superuser": True,
    },
    {
        "username": "viewer",
        "first_name": "Demo",
        "last_name": "Viewer",
        "email": "viewer@example.org",
        "role": "viewer",
        "organization": None,
    },
]

# --- Contributions in words (the remarks of 23 May 2016) ------------------------------------------

IP_SUPPORT = "24/7 operational support"
IP_ANALYSIS = "intelligence analysis"
IP_CAPACITY = "capacity building for law enforcement"
IP_DATABASES = "access to I-24/7 and INTERPOL's databases (60+ million records)"
UN_JUSTICE = "Criminal justice support"

ILLUSTRATIVE_FIGURES = "Budget, milestones, indicators, reports and funding are illustrative."

# --- The Activity Matrix --------------------------------------------------------------------------
#
# Six thematic areas, shaped as a real matrix is:
# - cybercrime has no current activity (a gap: "room to explore new avenues", as the remarks say);
# - in maritime and border security only UNODC takes part in the current activities (INTERPOL's
#   part there is aspirational);
# - in illicit trafficking, INTERPOL (TOC-06, iARMS) and UNODC (TOC-07, Global Firearms
#   Programme) run separate current work on firearms: an overlap.
# AIRCOP is placed with illicit trafficking: it is a project against drug trafficking, run at
# airports.
#
# Aspirational activities are in the pipeline, without dates: they wait for the resources the
# remarks say must be mobilised from donors (some donors have been approached).

ACTIVITIES: list[dict[str, Any]] = [
    # === Terrorism ==============================================================================
    # TER-01 — priority 1. Story: on track all year (monthly reports a little ahead of time,
    # milestones on time, FTF-sharing countries ahead of the line, 58 % funded from January).
    {
        "code": "TER-01",
        "title": "Foreign terrorist fighters: sharing identities and travel data through INTERPOL",
        "description": (
            "INTERPOL circulates FTF profiles contributed by member countries through I-24/7 and "
            "analyses travel routes; UNODC helps countries make that information usable in "
            "prosecutions. Illustrative title and figures."
        ),
        "thematic_area": "terrorism",
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2016-01-01"),
        "end_date": D("2016-12-31"),
        "topics": ["foreign-terrorist-fighters", "information-sharing"],
        "sdg_targets": ["16.a", "16.1"],
        "budget_required": Decimal("1200000"),
        "is_illustrative": True,
        "participations": [
            participation(
                "INTERPOL",
                "lead",
                f"{IP_SUPPORT} for FTF diffusions and notices; {IP_ANALYSIS} of travel "
                f"patterns; {IP_DATABASES}.",
            ),
            participation(
                "UNODC",
                "partner",
                f"{UN_JUSTICE}: legislative assistance so that FTF information can serve as "
                "evidence.",
            ),
        ],
        "priority": {
            "rank": 1,
            "rationale": "Terrorism: FTF information sharing is the first joint operational need.",
        },
        "milestones": [
            milestone("Regional FTF information-sharing workshop", "2016-04-15", "2016-04-14"),
            milestone("Analytical report on FTF travel routes", "2016-09-30", "2016-09-28"),
            milestone("Annual review with UNODC", "2016-12-15", "2016-12-14"),
        ],
        "indicators": [
            indicator(
                "Member countries contributing FTF profiles",
                "countries",
                "40",
                "2016-01-01",
                "60",
                "2016-12-31",
                [
                    ("2016-03-31", "47", "Seven new contributors after the regional push."),
                    ("2016-06-30", "52", ""),
                    ("2016-09-30", "57", ""),
                    ("2016-12-15", "60", "Target reached."),
                ],
            )
        ],
        "updates": [
            update("2016-01-31", 9, "Work plan agreed; focal points named.", approved="2016-02-08"),
            update("2016-02-29", 18, "Data-quality guidance circulated.", approved="2016-03-08"),
            update("2016-03-31", 27, "Seven countries joined.", approved="2016-04-07"),
            update("2016-04-30", 35, "Regional workshop held.", approved="2016-05-09"),
            update("2016-05-31", 43, "Analysis cell staffed.", approved="2016-06-07"),
            update("2016-06-30", 52, "Travel-route analysis under way.", approved="2016-07-08"),
            update("2016-07-31", 60, "Draft analytical report.", approved="2016-08-08"),
            update("2016-08-31", 68, "Report in review with UNODC.", approved="2016-09-07"),
            update("2016-09-30", 77, "Analytical report delivered.", approved="2016-10-07"),
            update("2016-10-31", 85, "Follow-up briefings.", approved="2016-11-08"),
            update("2016-11-30", 93, "Annual review prepared.", approved="2016-12-07"),
        ],
        "funding": [
            funding("DEU", "700000", "committed", "2016-01-12"),
            funding("USA", "300000", "received", "2016-03-15"),
            funding("NOR", "200000", "approached", "2016-09-01"),
        ],
    },
    # TER-02 — priority 2. Story: not started until June (it starts after the plan's adoption);
    # at risk in June and July because secured funding covers only 30 % of the budget; Norway's
    # commitment of 10 August brings it on track from August to December.
    {
        "code": "TER-02",
        "title": "Criminal justice responses to foreign terrorist fighters: joint training",
        "description": (
            "Joint training of prosecutors and investigators on FTF cases, combining UNODC's "
            "criminal justice expertise with INTERPOL notices and databases. Illustrative."
        ),
        "thematic_area": "terrorism",
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2016-06-01"),
        "end_date": D("2016-12-31"),
        "topics": ["foreign-terrorist-fighters"],
        "sdg_targets": ["16.a", "16.3"],
        "budget_required": Decimal("800000"),
        "is_illustrative": True,
        "participations": [
            participation(
                "UNODC", "lead", f"{UN_JUSTICE}: curriculum and trainers on FTF prosecutions."
            ),
            participation(
                "INTERPOL",
                "partner",
                f"{IP_CAPACITY}: modules on notices, diffusions and {IP_DATABASES}.",
            ),
        ],
        "priority": {
            "rank": 2,
            "rationale": "Terrorism: turning shared information into successful prosecutions.",
        },
        "milestones": [
            milestone("Training curriculum agreed", "2016-06-30", "2016-06-24"),
            milestone("First regional training", "2016-09-15", "2016-09-15"),
            milestone("Second regional training", "2016-11-30", "2016-11-24"),
        ],
        "indicators": [
            indicator(
                "Prosecutors and investigators trained",
                "people",
                "0",
                "2016-06-01",
                "160",
                "2016-12-31",
                [
                    ("2016-09-16", "85", "First regional training."),
                    ("2016-11-25", "160", "Second regional training."),
                ],
            )
        ],
        "updates": [
            update(
                "2016-06-30",
                16,
                "Curriculum agreed.",
                approved="2016-07-07",
                risks="Only 30 % of the budget is secured; the second training depends on more.",
            ),
            update(
                "2016-07-31",
                31,
                "Trainers recruited; venues booked.",
                approved="2016-08-08",
                risks="Funding still below half of the requirement.",
            ),
            update("2016-08-31", 46, "Norway's commitment received.", approved="2016-09-07"),
            update("2016-09-30", 60, "First regional training held.", approved="2016-10-07"),
            update("2016-10-31", 74, "Second training prepared.", approved="2016-11-08"),
            update("2016-11-30", 88, "Second regional training held.", approved="2016-12-07"),
        ],
        "funding": [
            funding("USA", "240000", "committed", "2016-05-20"),
            funding("NOR", "300000", "committed", "2016-08-10"),
            funding("EU", "260000", "approached", "2016-10-01"),
        ],
    },
    {
        "code": "TER-03",
        "title": "Countering the financing of terrorism: joint financial intelligence training",
        "description": "Aspirational; awaits funding. Illustrative.",
        "thematic_area": "terrorism",
        "cooperation_type": "joint",
        "horizon": "aspirational",
        "lifecycle": "pipeline",
        "start_date": None,
        "end_date": None,
        "topics": ["money-laundering"],
        "sdg_targets": ["16.4", "16.a"],
        "budget_required": Decimal("600000"),
        "is_illustrative": True,
        "participations": [
            participation("UNODC", "lead", f"{UN_JUSTICE}: legal frameworks against financing."),
            participation("INTERPOL", "partner", f"{IP_ANALYSIS} of financial flows."),
        ],
        "funding": [funding("EU", "400000", "approached", "2016-11-15")],
    },
    # TER-04 — not a priority. Suspended: missions were halted for security reasons, so the
    # monitoring shows it as suspended whatever the date.
    {
        "code": "TER-04",
        "title": "Sahel: support to counter-terrorism investigations",
        "description": "Suspended while missions cannot be deployed safely. Illustrative.",
        "thematic_area": "terrorism",
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "suspended",
        "start_date": D("2016-02-01"),
        "end_date": D("2016-12-31"),
        "topics": ["foreign-terrorist-fighters"],
        "sdg_targets": ["16.a"],
        "budget_required": Decimal("500000"),
        "is_illustrative": True,
        "participations": [
            participation("INTERPOL", "lead", f"{IP_SUPPORT} and {IP_ANALYSIS} for investigators."),
            participation("UNODC", "partner", f"{UN_JUSTICE} for investigating magistrates."),
        ],
        "milestones": [milestone("Needs assessment mission", "2016-04-30", "2016-04-20")],
        "updates": [
            update(
                "2016-03-31",
                20,
                "Needs assessment prepared; activity suspended after the mission.",
                approved="2016-04-08",
                risks="Security situation prevents further missions.",
            )
        ],
        "funding": [funding("FRA", "250000", "committed", "2016-01-20")],
    },
    {
        "code": "TER-05",
        "title": "Preventing terrorist access to firearms and explosives",
        "description": "Aspirational. Illustrative.",
        "thematic_area": "terrorism",
        "cooperation_type": "joint",
        "horizon": "aspirational",
        "lifecycle": "pipeline",
        "start_date": None,
        "end_date": None,
        "topics": ["firearms"],
        "sdg_targets": ["16.4", "16.a"],
        "budget_required": Decimal("450000"),
        "is_illustrative": True,
        "participations": [
            participation("INTERPOL", "lead", f"{IP_DATABASES} on firearms and explosives."),
            participation("UNODC", "partner", f"{UN_JUSTICE}: legislation and controls."),
        ],
    },
    # === Illicit trafficking and organized crime ================================================
    # TOC-01 — priority 4. Story: on track all year (EU money received in January, task forces
    # trained ahead of plan).
    {
        "code": "TOC-01",
        "title": "AIRCOP: airport communication project against drug trafficking (2016)",
        "description": (
            "AIRCOP is run by UNODC with INTERPOL and the World Customs Organization and funded "
            "by the European Union (public). This entry is its 2016 work plan. "
            + ILLUSTRATIVE_FIGURES
        ),
        "thematic_area": "trafficking-organized-crime",
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2016-01-01"),
        "end_date": D("2016-12-31"),
        "topics": ["drugs"],
        "sdg_targets": ["3.5", "16.4"],
        "budget_required": Decimal("2000000"),
        "is_illustrative": False,
        "participations": [
            participation(
                "UNODC", "lead", f"Runs the project; {UN_JUSTICE} to airport task forces."
            ),
            participation(
                "INTERPOL",
                "partner",
                f"Connects the task forces to I-24/7; {IP_SUPPORT}; {IP_DATABASES}.",
            ),
            participation("WCO", "partner", "Customs communication and training."),
        ],
        "priority": {
            "rank": 4,
            "rationale": "Drugs: interdiction at airports along trafficking routes.",
        },
        "milestones": [
            milestone("Annual AIRCOP meeting", "2016-03-31", "2016-03-17"),
            milestone("Two new task forces connected to I-24/7", "2016-07-31", "2016-07-20"),
            milestone("Regional joint operation debriefed", "2016-11-30", "2016-11-25"),
        ],
        "indicators": [
            indicator(
                "Task-force officers trained in 2016",
                "officers",
                "0",
                "2016-01-01",
                "300",
                "2016-12-31",
                [
                    ("2016-02-29", "60", ""),
                    ("2016-04-30", "120", ""),
                    ("2016-06-30", "170", ""),
                    ("2016-08-31", "225", ""),
                    ("2016-10-31", "270", ""),
                    ("2016-12-09", "300", "Target reached."),
                ],
            )
        ],
        "updates": [
            update("2016-01-31", 9, "Work plan agreed with the EU.", approved="2016-02-08"),
            update("2016-02-29", 18, "Training cycle opened.", approved="2016-03-08"),
            update("2016-03-31", 27, "Annual meeting held.", approved="2016-04-07"),
            update("2016-04-30", 35, "Task-force trainings continue.", approved="2016-05-09"),
            update("2016-05-31", 43, "Connecting two task forces.", approved="2016-06-07"),
            update("2016-06-30", 52, "Seizures reported through I-24/7.", approved="2016-07-08"),
            update("2016-07-31", 60, "Two task forces connected.", approved="2016-08-08"),
            update("2016-08-31", 68, "Joint operation planned.", approved="2016-09-07"),
            update("2016-09-30", 77, "Joint operation under way.", approved="2016-10-07"),
            update("2016-10-31", 85, "Operation results consolidated.", approved="2016-11-08"),
            update("2016-11-30", 93, "Operation debriefed.", approved="2016-12-07"),
        ],
        "funding": [
            funding("EU", "1200000", "received", "2016-01-18"),
            funding("NOR", "300000", "committed", "2016-06-01"),
        ],
    },
    # TOC-02 — priority 5. Story: on track all year (ICCWC partners fund two thirds from
    # January; the toolkit reaches countries ahead of plan).
    {
        "code": "TOC-02",
        "title": "ICCWC: combating wildlife and forest crime (2016 joint work)",
        "description": (
            "The International Consortium on Combating Wildlife Crime (CITES Secretariat, "
            "INTERPOL, UNODC, World Bank, WCO; established 23 November 2010) is public. This "
            "entry is the two partners' 2016 work within it. " + ILLUSTRATIVE_FIGURES
        ),
        "thematic_area": "trafficking-organized-crime",
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2016-01-01"),
        "end_date": D("2016-12-31"),
        "topics": ["wildlife-forest-crime"],
        "sdg_targets": ["15.7", "15.c"],
        "budget_required": Decimal("1500000"),
        "is_illustrative": False,
        "participations": [
            participation(
                "UNODC",
                "lead",
                f"{UN_JUSTICE}: the Wildlife and Forest Crime Analytic Toolkit.",
            ),
            participation("INTERPOL", "partner", f"{IP_ANALYSIS} and {IP_SUPPORT} for operations."),
            participation("CITES", "supporting", "Consortium coordination."),
            participation("WB", "supporting", "Anti-money-laundering angle of wildlife crime."),
            participation("WCO", "supporting", "Customs enforcement."),
        ],
        "priority": {
            "rank": 5,
            "rationale": "Wildlife and forest crime: the consortium's 2016 joint work.",
        },
        "milestones": [
            milestone("Toolkit missions planned with three countries", "2016-03-31", "2016-03-30"),
            milestone("Transnational wildlife operation supported", "2016-08-31", "2016-08-26"),
            milestone("Consortium annual report contribution", "2016-12-15", "2016-12-12"),
        ],
        "indicators": [
            indicator(
                "Countries that completed the analytic toolkit",
                "countries",
                "8",
                "2016-01-01",
                "14",
                "2016-12-31",
                [
                    ("2016-04-30", "10", ""),
                    ("2016-08-31", "12", ""),
                    ("2016-11-30", "14", "Target reached."),
                ],
            )
        ],
        "updates": [
            update("2016-01-31", 9, "Country requests reviewed.", approved="2016-02-08"),
            update("2016-02-29", 18, "Toolkit experts contracted.", approved="2016-03-08"),
            update("2016-03-31", 27, "Missions planned.", approved="2016-04-07"),
            update("2016-04-30", 35, "Two toolkit analyses completed.", approved="2016-05-09"),
            update("2016-05-31", 43, "Operation planning started.", approved="2016-06-07"),
            update("2016-06-30", 52, "Intelligence packages prepared.", approved="2016-07-08"),
            update("2016-07-31", 60, "Operation launched.", approved="2016-08-08"),
            update("2016-08-31", 68, "Operation concluded.", approved="2016-09-07"),
            update("2016-09-30", 77, "Two further analyses under way.", approved="2016-10-07"),
            update("2016-10-31", 85, "Analyses completed.", approved="2016-11-08"),
            update("2016-11-30", 93, "Annual report drafted.", approved="2016-12-07"),
        ],
        "funding": [
            funding("DEU", "600000", "received", "2016-01-20"),
            funding("USA", "400000", "committed", "2016-01-28"),
            funding("EU", "300000", "pledged", "2016-06-15"),
        ],
    },
    # TOC-03 — priority 6. Story: not started until the tool's launch on 23 May; on track from
    # May to October; final report approved on 4 November, so completed at the end of November
    # and December (lifecycle closed).
    {
        "code": "TOC-03",
        "title": "Trafficking in cultural property: rolling out UNODC's practical assistance tool",
        "description": (
            "UNODC launched a practical assistance tool on trafficking in cultural property on "
            "23 May 2016 (public); the remarks name cultural heritage as an area where the two "
            "organizations already work closely. Rollout with INTERPOL's Stolen Works of Art "
            "database. " + ILLUSTRATIVE_FIGURES
        ),
        "thematic_area": "trafficking-organized-crime",
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "closed",
        "start_date": D("2016-05-23"),
        "end_date": D("2016-10-31"),
        "topics": ["cultural-heritage"],
        "sdg_targets": ["11.4", "16.4"],
        "budget_required": Decimal("350000"),
        "is_illustrative": False,
        "participations": [
            participation("UNODC", "lead", f"{UN_JUSTICE}: the practical assistance tool."),
            participation(
                "INTERPOL",
                "partner",
                f"{IP_CAPACITY}: the Stolen Works of Art database and its use.",
            ),
        ],
        "priority": {
            "rank": 6,
            "rationale": "Cultural heritage: the tool launched on the day of the signature.",
        },
        "milestones": [
            milestone("Tool launched at the CCPCJ side event", "2016-05-23", "2016-05-23"),
            milestone("First joint training", "2016-07-15", "2016-07-14"),
            milestone("Second regional workshop", "2016-09-30", "2016-09-29"),
            milestone("Final report", "2016-10-31", "2016-10-28"),
        ],
        "indicators": [
            indicator(
                "Officials trained on the tool and the Stolen Works of Art database",
                "officials",
                "0",
                "2016-05-23",
                "120",
                "2016-10-31",
                [
                    ("2016-07-15", "45", "First joint training."),
                    ("2016-09-29", "100", "Second regional workshop."),
                    ("2016-10-28", "120", "Target reached."),
                ],
            )
        ],
        "updates": [
            update("2016-06-15", 15, "Tool launched; training planned.", approved="2016-06-20"),
            update("2016-06-30", 30, "Trainers briefed.", approved="2016-07-06"),
            update("2016-07-31", 50, "First joint training held.", approved="2016-08-05"),
            update("2016-08-31", 70, "Workshop prepared.", approved="2016-09-06"),
            update("2016-09-30", 88, "Second regional workshop held.", approved="2016-10-06"),
            update("2016-10-31", 100, "Final report delivered.", approved="2016-11-04"),
        ],
        "funding": [
            funding("DEU", "200000", "committed", "2016-05-10"),
            funding("USA", "150000", "received", "2016-06-15"),
        ],
    },
    # TOC-04 — priority 9. Story: not started in January and February; on track March to May;
    # at risk in June (the data-access arrangement, due 15 June, is overdue); off track in July
    # and August (that milestone more than 30 days overdue) and from September to December
    # (reported progress more than 30 points behind, even after the arrangement is signed on
    # 20 October). Its November report was returned for more detail.
    {
        "code": "TOC-04",
        "title": "Dark net research: drug trafficking on dark net markets",
        "description": (
            "Joint research on how drugs are traded on dark net markets, combining UNODC's "
            "research with INTERPOL's case data. Illustrative."
        ),
        "thematic_area": "trafficking-organized-crime",
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2016-03-01"),
        "end_date": D("2016-12-31"),
        "topics": ["dark-net-research", "drugs"],
        "sdg_targets": ["3.5", "16.4"],
        "budget_required": Decimal("450000"),
        "is_illustrative": True,
        "participations": [
            participation("UNODC", "lead", "Research and analysis of dark net drug markets."),
            participation(
                "INTERPOL",
                "partner",
                f"{IP_ANALYSIS}; data from criminal analysis files on dark net cases.",
            ),
        ],
        "priority": {
            "rank": 9,
            "rationale": "Dark net research: evidence for policy on online drug markets.",
        },
        "milestones": [
            milestone("Research design agreed", "2016-04-15", "2016-04-12"),
            milestone("Data-access arrangement for seized market data", "2016-06-15", "2016-10-20"),
            milestone("Interim findings presented to the steering meeting", "2016-11-15"),
            milestone("Research report published", "2016-12-31"),
        ],
        "indicators": [
            indicator(
                "Dark net market listings coded and analysed",
                "listings",
                "0",
                "2016-03-01",
                "3000",
                "2016-12-31",
                [
                    ("2016-04-30", "650", ""),
                    ("2016-06-30", "1050", ""),
                    ("2016-08-31", "1300", "Coding slowed without the seized data."),
                    ("2016-10-31", "1600", ""),
                    ("2016-12-15", "2000", ""),
                ],
            )
        ],
        "updates": [
            update("2016-03-31", 12, "Team in place; literature reviewed.", approved="2016-04-07"),
            update("2016-04-30", 22, "Research design agreed.", approved="2016-05-06"),
            update(
                "2016-05-31",
                30,
                "Open-source listings coded.",
                approved="2016-06-07",
                risks="The data-access arrangement is still under legal review.",
            ),
            update(
                "2016-07-31",
                35,
                "Waiting for the data-access arrangement.",
                approved="2016-08-09",
                risks="Without seized market data the study covers open sources only.",
            ),
            update("2016-09-30", 38, "Arrangement in final review.", approved="2016-10-10"),
            update("2016-10-31", 45, "Arrangement signed on 20 October.", approved="2016-11-09"),
            update(
                "2016-11-30",
                52,
                "Seized data received; coding resumed.",
                submitted="2016-12-05",
                returned="2016-12-09",
                review_note=(
                    "Please quantify the delay to the interim findings and give a new date for "
                    "the steering meeting."
                ),
            ),
        ],
        "funding": [funding("USA", "250000", "committed", "2016-02-20")],
    },
    # TOC-05 — priority 11. Story: under-funded from the start: at risk from February to
    # September (secured funding below half of the budget; progress more than 15 points behind
    # from April); off track from October to December (progress more than 30 points behind and
    # the joint operation due 30 September not held). Its November report awaits review.
    {
        "code": "TOC-05",
        "title": "Human trafficking and migrant smuggling: joint investigations support",
        "description": (
            "UNODC's release of 23 May 2016 names joint work on human trafficking and migrant "
            "smuggling (public). This entry supports investigations along one route and is "
            "illustrative."
        ),
        "thematic_area": "trafficking-organized-crime",
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2016-02-01"),
        "end_date": D("2016-12-31"),
        "topics": ["human-trafficking", "migrant-smuggling", "organized-crime"],
        "sdg_targets": ["16.2", "16.4"],
        "budget_required": Decimal("1000000"),
        "is_illustrative": True,
        "participations": [
            participation(
                "UNODC", "lead", f"{UN_JUSTICE}: prosecutors' network and legal assistance."
            ),
            participation(
                "INTERPOL", "partner", f"{IP_SUPPORT} to joint investigations; {IP_ANALYSIS}."
            ),
        ],
        "priority": {
            "rank": 11,
            "rationale": "Transnational organized crime: trafficking and smuggling networks.",
        },
        "milestones": [
            milestone("Regional prosecutors' network meeting", "2016-05-31", "2016-05-26"),
            milestone("Joint operation along the route", "2016-09-30"),
        ],
        "indicators": [
            indicator(
                "Cases referred for joint investigation",
                "cases",
                "0",
                "2016-02-01",
                "40",
                "2016-12-31",
                [
                    ("2016-06-30", "10", ""),
                    ("2016-09-30", "18", "Analysts reassigned for lack of funds."),
                ],
            )
        ],
        "updates": [
            update(
                "2016-02-29",
                8,
                "Scoping with the countries of the route.",
                approved="2016-03-08",
                risks="Only the German contribution is expected before summer.",
            ),
            update(
                "2016-04-30",
                20,
                "Prosecutors' network meeting prepared.",
                approved="2016-05-09",
                risks="Secured funding covers 15 % of the budget.",
            ),
            update("2016-06-30", 36, "Network met; first referrals.", approved="2016-07-08"),
            update(
                "2016-08-31",
                45,
                "Operation planning slowed.",
                approved="2016-09-08",
                risks="The joint operation cannot start before the EU contribution arrives.",
            ),
            update(
                "2016-10-31",
                50,
                "EU contribution committed; operation postponed to 2017.",
                approved="2016-11-10",
            ),
            update(
                "2016-11-30",
                55,
                "Operation plan revised for 2017.",
                submitted="2016-12-06",
            ),
        ],
        "funding": [
            funding("EU", "600000", "approached", "2016-02-15"),
            funding("DEU", "150000", "committed", "2016-03-10"),
            funding("NOR", "200000", "pledged", "2016-04-20"),
            funding("EU", "250000", "committed", "2016-09-20"),
        ],
    },
    # TOC-06 and TOC-07: the overlap. Both current, both on firearms, each with one partner only.
    {
        "code": "TOC-06",
        "title": "Firearms tracing with iARMS",
        "description": (
            "INTERPOL's Illicit Arms Records and tracing Management System used by member "
            "countries' firearms units. Illustrative."
        ),
        "thematic_area": "trafficking-organized-crime",
        "cooperation_type": "complementary",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2015-01-01"),
        "end_date": D("2017-12-31"),
        "topics": ["firearms"],
        "sdg_targets": ["16.4"],
        "budget_required": Decimal("900000"),
        "is_illustrative": True,
        "participations": [
            participation("INTERPOL", "lead", f"{IP_DATABASES}; {IP_SUPPORT} for tracing."),
        ],
        "milestones": [milestone("iARMS training for ten countries", "2016-06-30", "2016-06-22")],
        "updates": [
            update("2015-12-31", 34, "2015 report.", approved="2016-01-12"),
            update("2016-03-31", 42, "Tracing requests up.", approved="2016-04-11"),
            update(
                "2016-06-30",
                50,
                "Ten countries trained.",
                submitted="2016-07-10",
                approved="2016-07-11",
            ),
            update(
                "2016-09-30",
                58,
                "Tracing requests up again.",
                submitted="2016-10-10",
                approved="2016-10-11",
            ),
        ],
        "funding": [funding("USA", "600000", "committed", "2014-12-10")],
    },
    # Not enough money for UNODC's firearms work: at risk all year on funding.
    {
        "code": "TOC-07",
        "title": "Global Firearms Programme: legislative assistance and tracing",
        "description": "UNODC's firearms work with national authorities. Illustrative.",
        "thematic_area": "trafficking-organized-crime",
        "cooperation_type": "complementary",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2015-01-01"),
        "end_date": D("2017-12-31"),
        "topics": ["firearms"],
        "sdg_targets": ["16.4"],
        "budget_required": Decimal("1000000"),
        "is_illustrative": True,
        "participations": [
            participation("UNODC", "lead", f"{UN_JUSTICE}: firearms legislation and tracing."),
        ],
        "milestones": [milestone("Model legislation workshop", "2016-05-31", "2016-05-25")],
        "updates": [
            update("2015-12-31", 33, "2015 report.", approved="2016-01-12"),
            update("2016-03-31", 41, "Two legislative reviews.", approved="2016-04-11"),
            update("2016-06-30", 50, "Workshop held.", approved="2016-07-11"),
            update("2016-09-30", 57, "Tracing pilots.", approved="2016-10-11"),
        ],
        "funding": [
            funding("DEU", "400000", "committed", "2014-12-15"),
            funding("EU", "300000", "approached", "2016-06-01"),
        ],
    },
    {
        "code": "TOC-08",
        "title": "Illicit financial flows from trafficking: joint analysis",
        "description": "Planned work named in UNODC's release of 23 May 2016. Illustrative.",
        "thematic_area": "trafficking-organized-crime",
        "cooperation_type": "joint",
        "horizon": "aspirational",
        "lifecycle": "pipeline",
        "start_date": None,
        "end_date": None,
        "topics": ["money-laundering", "organized-crime"],
        "sdg_targets": ["16.4"],
        "budget_required": Decimal("700000"),
        "is_illustrative": True,
        "participations": [
            participation("UNODC", "lead", "Research on illicit financial flows."),
            participation("INTERPOL", "partner", f"{IP_ANALYSIS} of financial intelligence."),
        ],
        "funding": [funding("NOR", "350000", "approached", "2016-10-10")],
    },
    {
        "code": "TOC-09",
        "title": "Synthetic drugs: early warning and INTERPOL notices",
        "description": "UNODC's early warning on new substances feeds INTERPOL. Illustrative.",
        "thematic_area": "trafficking-organized-crime",
        "cooperation_type": "complementary",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2015-07-01"),
        "end_date": D("2017-06-30"),
        "topics": ["drugs"],
        "sdg_targets": ["3.5"],
        "budget_required": Decimal("400000"),
        "is_illustrative": True,
        "participations": [
            participation("UNODC", "lead", "Early warning on new psychoactive substances."),
            participation("INTERPOL", "supporting", "Purple notices on modi operandi."),
        ],
        "milestones": [milestone("Joint alert format agreed", "2016-04-30", "2016-04-28")],
        "updates": [
            update("2015-12-31", 27, "Second half of 2015.", approved="2016-01-12"),
            update("2016-03-31", 38, "First joint alert.", approved="2016-04-11"),
            update("2016-06-30", 50, "Alert format agreed.", approved="2016-07-11"),
            update(
                "2016-09-30",
                62,
                "Alerts circulated monthly.",
                submitted="2016-10-11",
                approved="2016-10-11",
            ),
        ],
        "funding": [funding("USA", "250000", "committed", "2015-06-15")],
    },
    # === Cybercrime: all aspirational — the gap the remarks point to ==========================
    {
        "code": "CYB-01",
        "title": "Global Programme on Cybercrime: joint capacity building for investigators",
        "description": (
            "UNODC's Global Programme on Cybercrime was established in 2013 and UNODC's release "
            "of 23 May 2016 names cybercrime as planned joint work (public). Budget "
            "illustrative."
        ),
        "thematic_area": "cybercrime",
        "cooperation_type": "joint",
        "horizon": "aspirational",
        "lifecycle": "pipeline",
        "start_date": None,
        "end_date": None,
        "topics": ["cybercrime"],
        "sdg_targets": ["16.a"],
        "budget_required": Decimal("1500000"),
        "is_illustrative": False,
        "participations": [
            participation("UNODC", "lead", f"{UN_JUSTICE} under the Global Programme."),
            participation("INTERPOL", "partner", f"{IP_CAPACITY}; cyber {IP_ANALYSIS}."),
        ],
        "funding": [funding("USA", "500000", "approached", "2016-09-15")],
    },
    {
        "code": "CYB-02",
        "title": "Digital evidence: joint training for investigators and prosecutors",
        "description": "Aspirational. Illustrative.",
        "thematic_area": "cybercrime",
        "cooperation_type": "joint",
        "horizon": "aspirational",
        "lifecycle": "pipeline",
        "start_date": None,
        "end_date": None,
        "topics": ["cybercrime", "forensics"],
        "sdg_targets": ["16.3"],
        "budget_required": Decimal("500000"),
        "is_illustrative": True,
        "participations": [
            participation("INTERPOL", "lead", f"{IP_CAPACITY}: digital forensics."),
            participation("UNODC", "partner", f"{UN_JUSTICE}: admissibility of e-evidence."),
        ],
    },
    {
        "code": "CYB-03",
        "title": "Cybercrime e-learning for law enforcement",
        "description": "E-learning is planned joint work (UNODC, 23 May 2016). Illustrative.",
        "thematic_area": "cybercrime",
        "cooperation_type": "joint",
        "horizon": "aspirational",
        "lifecycle": "pipeline",
        "start_date": None,
        "end_date": None,
        "topics": ["cybercrime", "e-learning"],
        "sdg_targets": ["16.a"],
        "budget_required": Decimal("250000"),
        "is_illustrative": True,
        "participations": [
            participation("UNODC", "lead", "Global eLearning platform."),
            participation("INTERPOL", "partner", "Course content from the Global Learning Centre."),
        ],
    },
    {
        "code": "CYB-04",
        "title": "Online child sexual exploitation: victim identification database access",
        "description": "Aspirational. Illustrative.",
        "thematic_area": "cybercrime",
        "cooperation_type": "complementary",
        "horizon": "aspirational",
        "lifecycle": "pipeline",
        "start_date": None,
        "end_date": None,
        "topics": ["cybercrime", "information-sharing"],
        "sdg_targets": ["16.2"],
        "budget_required": Decimal("350000"),
        "is_illustrative": True,
        "participations": [
            participation("INTERPOL", "lead", f"{IP_DATABASES}: child sexual exploitation data."),
            participation("UNODC", "supporting", f"{UN_JUSTICE}: legislation on online abuse."),
        ],
    },
    # === Maritime and border security: only UNODC in the current activities ==================
    {
        "code": "MBS-01",
        "title": "Global Maritime Crime Programme: maritime law enforcement in the Indian Ocean",
        "description": "UNODC's maritime crime work with coastal states. Illustrative.",
        "thematic_area": "maritime-border-security",
        "cooperation_type": "complementary",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2015-01-01"),
        "end_date": D("2017-12-31"),
        "topics": ["maritime-crime"],
        "sdg_targets": ["16.3", "16.4"],
        "budget_required": Decimal("2500000"),
        "is_illustrative": True,
        "participations": [
            participation("UNODC", "lead", f"{UN_JUSTICE}: coast guards and piracy trials."),
        ],
        "milestones": [milestone("Coast guard training cycle", "2016-06-30", "2016-06-20")],
        "updates": [
            update("2015-12-31", 34, "2015 report.", approved="2016-01-12"),
            update("2016-03-31", 42, "Training cycle started.", approved="2016-04-11"),
            update("2016-06-30", 50, "Training cycle completed.", approved="2016-07-11"),
            update("2016-09-30", 58, "Trial monitoring.", approved="2016-10-11"),
        ],
        "funding": [funding("NOR", "1500000", "committed", "2014-11-20")],
    },
    {
        "code": "MBS-02",
        "title": "Container Control Programme: port control units",
        "description": "UNODC–WCO port control units. Illustrative.",
        "thematic_area": "maritime-border-security",
        "cooperation_type": "complementary",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2015-01-01"),
        "end_date": D("2017-12-31"),
        "topics": ["maritime-crime", "drugs"],
        "sdg_targets": ["16.4"],
        "budget_required": Decimal("1800000"),
        "is_illustrative": True,
        "participations": [
            participation("UNODC", "lead", f"{UN_JUSTICE}: port control units."),
            participation("WCO", "partner", "Customs profiling and training."),
        ],
        "milestones": [milestone("Three new port control units", "2016-09-30", "2016-09-26")],
        "updates": [
            update("2015-12-31", 35, "2015 report.", approved="2016-01-12"),
            update("2016-03-31", 43, "Unit selection.", approved="2016-04-11"),
            update("2016-06-30", 51, "Units trained.", approved="2016-07-11"),
            update("2016-09-30", 59, "Three units operational.", approved="2016-10-11"),
        ],
        "funding": [funding("USA", "1000000", "committed", "2014-12-01")],
    },
    {
        "code": "MBS-03",
        "title": "Maritime piracy: INTERPOL data in piracy prosecutions",
        "description": "Aspirational. Illustrative.",
        "thematic_area": "maritime-border-security",
        "cooperation_type": "joint",
        "horizon": "aspirational",
        "lifecycle": "pipeline",
        "start_date": None,
        "end_date": None,
        "topics": ["maritime-crime", "information-sharing"],
        "sdg_targets": ["16.3"],
        "budget_required": Decimal("400000"),
        "is_illustrative": True,
        "participations": [
            participation("INTERPOL", "lead", f"{IP_DATABASES}: the maritime piracy database."),
            participation("UNODC", "partner", f"{UN_JUSTICE}: piracy prosecutions."),
        ],
    },
    {
        "code": "MBS-04",
        "title": "Border management: INTERPOL database access at land border posts",
        "description": "Aspirational. Illustrative.",
        "thematic_area": "maritime-border-security",
        "cooperation_type": "joint",
        "horizon": "aspirational",
        "lifecycle": "pipeline",
        "start_date": None,
        "end_date": None,
        "topics": ["information-sharing", "migrant-smuggling"],
        "sdg_targets": ["16.a"],
        "budget_required": Decimal("800000"),
        "is_illustrative": True,
        "participations": [
            participation("INTERPOL", "lead", f"{IP_DATABASES} at border posts."),
            participation("UNODC", "partner", f"{UN_JUSTICE}: border liaison offices."),
        ],
        "funding": [funding("EU", "500000", "approached", "2016-07-01")],
    },
    # === Forensic and criminal justice capacity ================================================
    # FCJ-01 — priority 7. Story: not started in January; on track in February and March; at
    # risk in April (needs assessment 15 days late); on track in May and June; at risk in July
    # and August (laboratories behind their trajectory); on track again from September.
    {
        "code": "FCJ-01",
        "title": "Forensics: capacity building for police and laboratories in West Africa",
        "description": (
            "INTERPOL's DNA and fingerprint services with UNODC's laboratory quality work. "
            "Illustrative."
        ),
        "thematic_area": "forensic-criminal-justice",
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2016-02-01"),
        "end_date": D("2016-12-31"),
        "topics": ["forensics"],
        "sdg_targets": ["16.3", "16.a"],
        "budget_required": Decimal("700000"),
        "is_illustrative": True,
        "participations": [
            participation(
                "INTERPOL",
                "lead",
                f"{IP_CAPACITY}: crime-scene and DNA training; {IP_SUPPORT} for forensic matches.",
            ),
            participation(
                "UNODC", "partner", f"{UN_JUSTICE}: laboratory quality management guidelines."
            ),
        ],
        "priority": {
            "rank": 7,
            "rationale": "Forensics: evidence that holds in court.",
        },
        "milestones": [
            milestone("Regional forensic needs assessment", "2016-04-15", "2016-05-09"),
            milestone("Quality-management guidelines issued", "2016-06-30", "2016-06-27"),
            milestone("Crime-scene training for first responders", "2016-10-31", "2016-10-21"),
        ],
        "indicators": [
            indicator(
                "Laboratories applying the quality-management guidelines",
                "laboratories",
                "0",
                "2016-02-01",
                "12",
                "2016-12-31",
                [
                    ("2016-04-29", "4", ""),
                    ("2016-07-29", "4", "Mentoring visits postponed."),
                    ("2016-08-31", "5", ""),
                    ("2016-09-30", "9", "Mentoring visits resumed."),
                    ("2016-11-30", "11", ""),
                ],
            )
        ],
        "updates": [
            update("2016-02-29", 10, "Experts recruited.", approved="2016-03-07"),
            update("2016-03-31", 20, "Assessment missions started.", approved="2016-04-07"),
            update(
                "2016-04-30",
                30,
                "Assessment report delayed by three weeks.",
                approved="2016-05-06",
            ),
            update("2016-05-31", 40, "Assessment report issued.", approved="2016-06-07"),
            update("2016-06-30", 48, "Guidelines issued.", approved="2016-07-07"),
            update(
                "2016-07-31",
                58,
                "Mentoring visits postponed.",
                approved="2016-08-08",
                risks="Laboratories are adopting the guidelines more slowly than planned.",
            ),
            update("2016-08-31", 66, "Visits rescheduled.", approved="2016-09-07"),
            update("2016-09-30", 76, "Four more laboratories on board.", approved="2016-10-07"),
            update("2016-10-31", 85, "Crime-scene training held.", approved="2016-11-07"),
            update("2016-11-30", 93, "Follow-up mentoring.", approved="2016-12-07"),
        ],
        "funding": [
            funding("DEU", "400000", "committed", "2016-01-25"),
            funding("FRA", "100000", "received", "2016-05-04"),
        ],
    },
    # FCJ-02 — priority 3. Story: not started in January; on track February to June; at risk in
    # July (INTERPOL's accession as implementing partner, due 15 July, is late); on track from
    # August once INTERPOL joined on 30 August 2016 (public date).
    {
        "code": "FCJ-02",
        "title": "CRIMJUST: criminal justice cooperation along the cocaine route",
        "description": (
            "CRIMJUST (public): UNODC with INTERPOL and Transparency International, funded by "
            "the European Union, February 2016 – February 2020; INTERPOL joined as implementing "
            "partner on 30 August 2016. " + ILLUSTRATIVE_FIGURES
        ),
        "thematic_area": "forensic-criminal-justice",
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2016-02-01"),
        "end_date": D("2020-02-29"),
        "topics": ["drugs", "organized-crime", "anti-corruption"],
        "sdg_targets": ["16.3", "16.4", "16.5"],
        "budget_required": Decimal("6000000"),
        "is_illustrative": False,
        "participations": [
            participation(
                "UNODC", "lead", f"{UN_JUSTICE}: investigations and prosecutions across regions."
            ),
            participation(
                "INTERPOL",
                "partner",
                f"Implementing partner from 30 August 2016: {IP_SUPPORT}, {IP_ANALYSIS}.",
            ),
            participation("TI", "partner", "Integrity of criminal justice institutions."),
        ],
        "priority": {
            "rank": 3,
            "rationale": "Organized crime and drugs: networks along the cocaine route.",
        },
        "milestones": [
            milestone("Inception phase completed", "2016-05-31", "2016-05-27"),
            milestone("INTERPOL joins as implementing partner", "2016-07-15", "2016-08-30"),
            milestone("First regional workshop on cocaine-route cases", "2016-11-30", "2016-11-22"),
        ],
        "indicators": [
            indicator(
                "Investigators, prosecutors and judges trained",
                "people",
                "0",
                "2016-02-01",
                "1200",
                "2020-02-29",
                [("2016-06-30", "130", ""), ("2016-11-30", "260", "")],
            )
        ],
        "updates": [
            update("2016-03-31", 4, "Inception missions.", approved="2016-04-08"),
            update(
                "2016-06-30",
                10,
                "Inception phase completed.",
                approved="2016-07-08",
                risks="INTERPOL's implementing-partner agreement is still being negotiated.",
            ),
            update("2016-09-30", 17, "INTERPOL joined on 30 August.", approved="2016-10-10"),
        ],
        "funding": [funding("EU", "5000000", "committed", "2016-01-28")],
    },
    {
        "code": "FCJ-03",
        "title": "Anti-corruption and asset recovery: joint training on tracing stolen assets",
        "description": "Joint work named in UNODC's release of 23 May 2016. Illustrative.",
        "thematic_area": "forensic-criminal-justice",
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2016-03-01"),
        "end_date": D("2017-12-31"),
        "topics": ["anti-corruption", "money-laundering"],
        "sdg_targets": ["16.5", "16.4"],
        "budget_required": Decimal("600000"),
        "is_illustrative": True,
        "participations": [
            participation("UNODC", "lead", f"{UN_JUSTICE}: asset recovery practice."),
            participation("INTERPOL", "partner", f"{IP_CAPACITY}: asset tracing networks."),
        ],
        "milestones": [milestone("Training package agreed", "2016-07-31", "2016-07-28")],
        "updates": [
            update("2016-04-30", 6, "Needs mapped.", approved="2016-05-09"),
            update("2016-06-30", 12, "Package drafted.", approved="2016-07-08"),
            update("2016-08-31", 20, "Package agreed.", approved="2016-09-08"),
            update("2016-10-31", 28, "First course.", approved="2016-11-09"),
        ],
        "funding": [funding("NOR", "350000", "committed", "2016-02-25")],
    },
    {
        "code": "FCJ-04",
        "title": "Financial investigations and money laundering: joint curriculum",
        "description": "Planned work named in UNODC's release of 23 May 2016. Illustrative.",
        "thematic_area": "forensic-criminal-justice",
        "cooperation_type": "joint",
        "horizon": "aspirational",
        "lifecycle": "pipeline",
        "start_date": None,
        "end_date": None,
        "topics": ["money-laundering"],
        "sdg_targets": ["16.4"],
        "budget_required": Decimal("300000"),
        "is_illustrative": True,
        "participations": [
            participation("UNODC", "lead", f"{UN_JUSTICE}: financial investigations."),
            participation("INTERPOL", "partner", f"{IP_CAPACITY}."),
        ],
    },
    {
        "code": "FCJ-05",
        "title": "International cooperation in criminal matters: central authorities and NCBs",
        "description": "Linking mutual legal assistance with police channels. Illustrative.",
        "thematic_area": "forensic-criminal-justice",
        "cooperation_type": "complementary",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2015-01-01"),
        "end_date": D("2017-12-31"),
        "topics": ["information-sharing"],
        "sdg_targets": ["16.3"],
        "budget_required": Decimal("400000"),
        "is_illustrative": True,
        "participations": [
            participation("UNODC", "lead", f"{UN_JUSTICE}: central authorities."),
            participation("INTERPOL", "supporting", "National Central Bureaus' channel."),
        ],
        "updates": [
            update("2015-12-31", 34, "2015 report.", approved="2016-01-12"),
            update("2016-03-31", 42, "Regional meeting.", approved="2016-04-11"),
            update("2016-06-30", 50, "Directory updated.", approved="2016-07-11"),
            update("2016-09-30", 58, "Second regional meeting.", approved="2016-10-11"),
        ],
        "funding": [funding("AUT", "250000", "committed", "2014-12-20")],
    },
    # === Institutional capacity ==================================================================
    # INS-01 — priority 8. Story: on track January to June; at risk in July (no report approved
    # since 7 April: 115 days, and progress 22 points behind); the July report approved on
    # 10 August brings it back on track for the rest of the year. Its December report is a draft.
    {
        "code": "INS-01",
        "title": "Information sharing: I-24/7 access for UNODC-supported law enforcement units",
        "description": (
            "Extending INTERPOL's secure network to units in UNODC's field programmes. "
            "Illustrative."
        ),
        "thematic_area": "institutional-capacity",
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2016-01-01"),
        "end_date": D("2016-12-31"),
        "topics": ["information-sharing"],
        "sdg_targets": ["16.a", "16.6"],
        "budget_required": Decimal("900000"),
        "is_illustrative": True,
        "participations": [
            participation("INTERPOL", "lead", f"{IP_DATABASES}; {IP_SUPPORT}."),
            participation(
                "UNODC",
                "partner",
                f"Selects the units; {UN_JUSTICE} for using police information as evidence.",
            ),
        ],
        "priority": {
            "rank": 8,
            "rationale": "Information sharing: INTERPOL's network where UNODC works.",
        },
        "milestones": [
            milestone("First five units connected", "2016-03-31", "2016-03-29"),
            milestone("Data protection arrangement agreed", "2016-06-30", "2016-06-28"),
            milestone("All twenty units connected", "2016-12-15", "2016-12-12"),
        ],
        "indicators": [
            indicator(
                "UNODC-supported units connected to I-24/7",
                "units",
                "0",
                "2016-01-01",
                "20",
                "2016-12-31",
                [
                    ("2016-03-31", "6", ""),
                    ("2016-06-30", "11", ""),
                    ("2016-09-30", "16", ""),
                    ("2016-12-12", "20", "Target reached."),
                ],
            )
        ],
        "updates": [
            update("2016-01-31", 10, "Units selected.", approved="2016-02-08"),
            update("2016-02-29", 22, "Equipment delivered.", approved="2016-03-07"),
            update("2016-03-31", 36, "Five units connected.", approved="2016-04-07"),
            update(
                "2016-07-31",
                60,
                "Report for April to July (reporting lapsed while staff rotated).",
                approved="2016-08-10",
            ),
            update("2016-08-31", 70, "Twelve units connected.", approved="2016-09-07"),
            update("2016-09-30", 80, "Sixteen units connected.", approved="2016-10-07"),
            update("2016-10-31", 88, "Training of users.", approved="2016-11-08"),
            update("2016-11-30", 95, "Last connections scheduled.", approved="2016-12-07"),
            update("2016-12-31", 100, "All twenty units connected."),
        ],
        "funding": [
            funding("USA", "500000", "committed", "2016-01-20"),
            funding("DEU", "200000", "pledged", "2016-06-30"),
        ],
    },
    # INS-02 — priority 10. Story: on track all year (the framework's own milestones, met on
    # 23 May; the first joint approach to donors in September).
    {
        "code": "INS-02",
        "title": "Institutional cooperation: coordination, joint reporting and a coherent approach "
        "to donors",
        "description": (
            "The machinery of the partnership itself: focal points, the Activity Matrix, "
            "monitoring of the eleven priorities and one approach to donors. Illustrative."
        ),
        "thematic_area": "institutional-capacity",
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2016-01-01"),
        "end_date": D("2016-12-31"),
        "topics": ["institutional-cooperation"],
        "sdg_targets": ["16.6", "16.a"],
        "budget_required": Decimal("300000"),
        "is_illustrative": True,
        "participations": [
            participation("UNODC", "lead", "Secretariat of the joint coordination and reporting."),
            participation("INTERPOL", "partner", "Focal points and joint reporting."),
        ],
        "priority": {
            "rank": 10,
            "rationale": "Institutional cooperation: the partnership's own framework.",
        },
        "milestones": [
            milestone("Legal Agreement signed in Vienna", "2016-05-23", "2016-05-23"),
            milestone("Activity Matrix edition 1 adopted", "2016-05-23", "2016-05-23"),
            milestone("First joint approach to donors", "2016-09-30", "2016-09-21"),
            milestone("Annual review of the eleven priorities", "2016-12-15", "2016-12-13"),
        ],
        "indicators": [
            indicator(
                "Matrix activities with a focal point in each organization",
                "%",
                "0",
                "2016-01-01",
                "100",
                "2016-12-31",
                [
                    ("2016-05-23", "60", "Matrix adopted."),
                    ("2016-09-30", "85", ""),
                    ("2016-12-13", "100", "Target reached."),
                ],
            )
        ],
        "updates": [
            update("2016-01-31", 9, "Drafting of the three documents.", approved="2016-02-08"),
            update("2016-02-29", 18, "Drafts exchanged.", approved="2016-03-08"),
            update("2016-03-31", 27, "Matrix consolidated.", approved="2016-04-07"),
            update("2016-04-30", 35, "Texts agreed.", approved="2016-05-09"),
            update("2016-05-31", 45, "Agreement signed; matrix adopted.", approved="2016-06-07"),
            update("2016-06-30", 52, "Monitoring of the priorities set up.", approved="2016-07-08"),
            update("2016-07-31", 60, "Donor briefing prepared.", approved="2016-08-08"),
            update("2016-08-31", 68, "Donor briefing scheduled.", approved="2016-09-07"),
            update("2016-09-30", 77, "Joint approach to donors made.", approved="2016-10-07"),
            update("2016-10-31", 85, "Follow-up with donors.", approved="2016-11-08"),
            update("2016-11-30", 93, "Annual review prepared.", approved="2016-12-07"),
        ],
        "funding": [funding("AUT", "200000", "committed", "2016-01-15")],
    },
    {
        "code": "INS-03",
        "title": "E-learning: sharing courses between UNODC and INTERPOL learning platforms",
        "description": "Planned e-learning work (UNODC, 23 May 2016). Illustrative.",
        "thematic_area": "institutional-capacity",
        "cooperation_type": "joint",
        "horizon": "aspirational",
        "lifecycle": "pipeline",
        "start_date": None,
        "end_date": None,
        "topics": ["e-learning"],
        "sdg_targets": ["16.a"],
        "budget_required": Decimal("200000"),
        "is_illustrative": True,
        "participations": [
            participation("UNODC", "lead", "Global eLearning programme."),
            participation("INTERPOL", "partner", "Global Learning Centre."),
        ],
    },
    {
        "code": "INS-04",
        "title": "Joint advocacy at the CCPCJ and the CND",
        "description": (
            "Coordinated engagement in targeted international forums, an objective of the plan. "
            "Illustrative."
        ),
        "thematic_area": "institutional-capacity",
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "implementation",
        "start_date": D("2016-01-01"),
        "end_date": D("2016-12-31"),
        "topics": ["institutional-cooperation"],
        "sdg_targets": ["16.8"],
        "budget_required": Decimal("0"),
        "is_illustrative": True,
        "participations": [
            participation("UNODC", "lead", "Secretariat of the commissions."),
            participation("INTERPOL", "partner", "Statements and side events."),
        ],
        "milestones": [
            milestone("Side event at the CND", "2016-03-18", "2016-03-16"),
            milestone("Side event at the CCPCJ 25th session", "2016-05-23", "2016-05-23"),
        ],
        "updates": [
            update("2016-01-31", 10, "Events planned.", approved="2016-02-10"),
            update("2016-03-31", 30, "CND side event held.", approved="2016-04-08"),
            update("2016-05-31", 50, "CCPCJ side event held.", approved="2016-06-08"),
            update("2016-07-31", 62, "Reporting to member states.", approved="2016-08-09"),
            update("2016-09-30", 78, "Preparations for 2017.", approved="2016-10-10"),
            update("2016-11-30", 92, "Preparations for 2017.", approved="2016-12-08"),
        ],
    },
    {
        "code": "INS-05",
        "title": "Staff exchange between the two secretariats",
        "description": "Aspirational. Illustrative.",
        "thematic_area": "institutional-capacity",
        "cooperation_type": "joint",
        "horizon": "aspirational",
        "lifecycle": "pipeline",
        "start_date": None,
        "end_date": None,
        "topics": ["institutional-cooperation"],
        "sdg_targets": ["16.6"],
        "budget_required": Decimal("150000"),
        "is_illustrative": True,
        "participations": [
            participation("INTERPOL", "lead", "Hosts UNODC staff in Lyon."),
            participation("UNODC", "partner", "Hosts INTERPOL staff in Vienna."),
        ],
        "funding": [funding("QAT", "150000", "approached", "2016-11-20")],
    },
]

# --- The eleven priorities of 2016 ----------------------------------------------------------------

PRIORITY_YEAR = 2016

# The nine areas the remarks of 23 May 2016 name → the priority activities that cover each, and
# how an activity covers it: its thematic area ("area", code) or one of its topics ("topic", code).
NAMED_AREAS_2016: dict[str, tuple[str, ...]] = {
    "terrorism": ("TER-01", "TER-02"),
    "transnational organized crime": ("FCJ-02", "TOC-05"),
    "drugs": ("TOC-01", "TOC-04", "FCJ-02"),
    "wildlife and forest crime": ("TOC-02",),
    "cultural heritage": ("TOC-03",),
    "forensics": ("FCJ-01",),
    "information sharing": ("INS-01", "TER-01"),
    "dark net research": ("TOC-04",),
    "institutional cooperation": ("INS-02",),
}
NAMED_AREA_CRITERIA: dict[str, tuple[str, str]] = {
    "terrorism": ("area", "terrorism"),
    "transnational organized crime": ("topic", "organized-crime"),
    "drugs": ("topic", "drugs"),
    "wildlife and forest crime": ("topic", "wildlife-forest-crime"),
    "cultural heritage": ("topic", "cultural-heritage"),
    "forensics": ("topic", "forensics"),
    "information sharing": ("topic", "information-sharing"),
    "dark net research": ("topic", "dark-net-research"),
    "institutional cooperation": ("topic", "institutional-cooperation"),
}

PRIORITY_NOTE = (
    " Illustrative: the remarks of 23 May 2016 name the nine areas of the eleven 2016 "
    "priorities; their titles and ranks are not public."
)

# --- The intended monitoring story (status at each month end of 2016, January → December) ---------

_NS, _ON, _AR, _OFF, _DONE = "not_started", "on_track", "at_risk", "off_track", "completed"

STORIES_2016: dict[str, tuple[str, ...]] = {
    # On track all year.
    "TER-01": (_ON,) * 12,
    "TOC-01": (_ON,) * 12,
    "TOC-02": (_ON,) * 12,
    "INS-02": (_ON,) * 12,
    # At risk for a while, then recovering.
    "TER-02": (_NS,) * 5 + (_AR,) * 2 + (_ON,) * 5,  # funding below half until August
    "FCJ-01": (_NS, _ON, _ON, _AR, _ON, _ON, _AR, _AR, _ON, _ON, _ON, _ON),  # late, then lab lag
    "FCJ-02": (_NS,) + (_ON,) * 5 + (_AR,) + (_ON,) * 5,  # INTERPOL joins late (30 August)
    "INS-01": (_ON,) * 6 + (_AR,) + (_ON,) * 5,  # reporting lapse, caught up in August
    # Off track.
    "TOC-04": (_NS, _NS, _ON, _ON, _ON, _AR) + (_OFF,) * 6,  # data access late, then far behind
    "TOC-05": (_NS,) + (_AR,) * 8 + (_OFF,) * 3,  # under-funded, far behind by October
    # Completed before December.
    "TOC-03": (_NS,) * 4 + (_ON,) * 6 + (_DONE,) * 2,
}

MONTH_ENDS_2016: tuple[date, ...] = tuple(
    D(day)
    for day in (
        "2016-01-31",
        "2016-02-29",
        "2016-03-31",
        "2016-04-30",
        "2016-05-31",
        "2016-06-30",
        "2016-07-31",
        "2016-08-31",
        "2016-09-30",
        "2016-10-31",
        "2016-11-30",
        "2016-12-31",
    )
)
