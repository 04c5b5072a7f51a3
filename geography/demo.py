"""Where the 2016 demo activities happen (activities.demo.data), loaded by `load_demo_places`,
which `load_demo` calls by name.

Public places (is_illustrative False) are those the public programmes describe: AIRCOP builds
Joint Airport Interdiction Task Forces at airports in West and Central Africa, Latin America and
the Caribbean (UNODC's and the WCO's project pages; the JAITFs of Bamako and Niamey date from
2014–2015, and Benin, Cameroon, Cabo Verde, Côte d'Ivoire, Gambia, Ghana, Guinea-Bissau, Mali and
Togo took part in its 2015 annual meeting); CRIMJUST works along the cocaine route through Latin
America, the Caribbean and West Africa. Everything else is illustrative and flagged so on each
place: the countries of the illustrative activities (the Sahel's G5 countries for TER-04, the Gulf
of Guinea's coastal states for maritime piracy), and the CRIMJUST countries, which the shared
reference data does not name.
"""

from __future__ import annotations

from decimal import Decimal

from geography.rules import Place

PUBLIC, ILLUSTRATIVE = False, True


def _places(codes: str, illustrative: bool, shares: dict[str, str] | None = None) -> list[Place]:
    shares = shares or {}
    return [
        Place(code, Decimal(shares[code]) if code in shares else None, illustrative)
        for code in codes.split()
    ]


SAHEL = "BF ML MR NE TD"
GULF_OF_GUINEA = "BJ CI CM GA GH GQ NG ST TG"

# activity code → (countries, regions)
DEMO_PLACES: dict[str, tuple[list[Place], list[Place]]] = {
    "TOC-01": (  # AIRCOP
        _places("BJ CI CM CV GH GM GW ML NE TG", PUBLIC),
        _places("011 017 419", PUBLIC),
    ),
    "FCJ-02": (  # CRIMJUST
        _places("BO CO DO GH NG PA PE CV", ILLUSTRATIVE),
        _places("419 011", PUBLIC),
    ),
    "TER-04": (  # the Sahel, in equal shares
        _places(SAHEL, ILLUSTRATIVE, dict.fromkeys(SAHEL.split(), "20")),
        [],
    ),
    "MBS-03": (_places(GULF_OF_GUINEA, ILLUSTRATIVE), []),  # piracy in the Gulf of Guinea
    "MBS-01": (  # the Global Maritime Crime Programme in the Indian Ocean
        _places("KE SC SO TZ", ILLUSTRATIVE, {"KE": "30", "SC": "20", "SO": "30", "TZ": "20"}),
        [],
    ),
    "FCJ-01": (_places("GH NG SN", ILLUSTRATIVE), _places("011", ILLUSTRATIVE)),
    "TER-01": (_places("IQ JO LB TR", ILLUSTRATIVE), []),
    "TER-02": (_places("MA TN", ILLUSTRATIVE), []),
    "TER-03": (_places("KE NG", ILLUSTRATIVE), []),
    "TER-05": (_places("ML NE", ILLUSTRATIVE), []),
    "TOC-02": (_places("KE MZ TZ VN", ILLUSTRATIVE), []),  # ICCWC's 2016 joint work
    "TOC-03": (_places("EG IQ LY", ILLUSTRATIVE), []),
    "TOC-05": (_places("LY NE NG", ILLUSTRATIVE), []),
    "TOC-06": (_places("BR ZA", ILLUSTRATIVE), []),
    "TOC-07": (_places("BF ML SN", ILLUSTRATIVE), []),
    "TOC-09": (_places("MM TH", ILLUSTRATIVE), _places("035", ILLUSTRATIVE)),
    "CYB-01": (_places("SV GT HN", ILLUSTRATIVE), _places("035", ILLUSTRATIVE)),
    "CYB-02": (_places("KE UG", ILLUSTRATIVE), []),
    "MBS-02": (_places("EC PA PK", ILLUSTRATIVE), []),
    "MBS-04": (_places("BF ML NE", ILLUSTRATIVE), []),
    "FCJ-03": (_places("UA", ILLUSTRATIVE), []),
    "FCJ-05": (_places("CO PE", ILLUSTRATIVE), []),
    "INS-01": (_places("BJ TG", ILLUSTRATIVE), []),
}
# The other activities (dark net research, e-learning, advocacy, staff exchange…) are global:
# they name no recipient country or region.
