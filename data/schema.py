"""The atlas data model: entity tables, their fields and the allowed vocabularies.

This module is the single description of a dataset directory. The loader validates
against it, ``data/README.md`` documents it (a test keeps the two in step), and the
importer and the generator write files that follow it.

A dataset directory holds:

``dataset.json``        metadata (title, home region, notes)
``sectors.csv``         the broad sectors the value chains belong to
``gvcs.csv``            the global value chains (GVC taxonomy)
``groupings.csv``       networks, clusters and programmes (nodes without own geometry)
``actors*.csv|geojson|gpkg``  point actors (any number of files)
``areas*.geojson|gpkg`` polygons (any number of files)
``links*.csv``          links between any two ids above
``statistics*.csv``     published aggregate figures (e.g. start-up counts)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FieldType = Literal["str", "int", "float", "bool", "list", "date"]


@dataclass(frozen=True)
class Field:
    """One column of an entity table."""

    name: str
    type: FieldType
    required: bool
    meaning: str
    example: str
    choices: tuple[str, ...] = ()
    #: id of another table's vocabulary the values must exist in ("gvcs", "groupings", ...)
    refers_to: str = ""
    #: a field of the same table this one may not be less than (an end year and its start year)
    not_before: str = ""


@dataclass(frozen=True)
class Table:
    """An entity table: the files it is read from and its fields."""

    name: str
    patterns: tuple[str, ...]
    geometry: Literal["point", "polygon", "none"]
    fields: tuple[Field, ...]
    description: str
    optional_table: bool = False
    extra: dict = field(default_factory=dict)

    def field(self, name: str) -> Field:
        """The field called ``name``; KeyError if the table has none."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the fields that must not be empty."""
        return tuple(f.name for f in self.fields if f.required)


CONFIDENCE = ("confirmed", "unconfirmed", "synthetic")

ACTOR_KINDS = (
    "technopole",  # a technopole of the High Technology Network (its main site)
    "technopole_site",  # a further site of a technopole
    "university",
    "research_centre",  # research institutes, labs and innovation centres
    "infrastructure",  # big-data and computing infrastructure, networks' points of presence
    "startup",
    "firm",
    "support_body",  # agencies, programmes and bodies with a seat (ART-ER, R2B venue, ...)
    "government",  # public administrations with a seat
)

AREA_KINDS = (
    "region",  # the home region
    "province",  # its provinces
    "partner_region",  # regions abroad with a partnership agreement
    "programme_area",  # the area of a network or programme (Interreg, EUSAIR)
    "member_region",  # a member region of a network (Vanguard)
    "country",  # a country outline: the world map's background, not a node of the network
)

GROUPING_KINDS = (
    "cluster",  # Clust-ER associations
    "research_network",  # High Technology Network
    "regions_network",  # networks of regions (Vanguard Initiative, Under2 Coalition)
    "macro_region",  # EU macro-regional strategies (EUSAIR)
    "interreg_programme",
    "support_programme",  # start-up and innovation support programmes
    "policy",  # policy frameworks (S3, Labour Pact)
)

LINK_TYPES = (
    "cluster_membership",  # actor is a member of a Clust-ER cluster
    "value_chain",  # actor takes part in a value chain
    "research_collaboration",  # joint research or technology transfer
    "programme_support",  # a programme or body supports an actor
    "partner_agreement",  # partnership agreement between regions
    "network_membership",  # member of a network or programme (or eligible area of it)
    "infrastructure",  # infrastructure connection (computing backbone, GARR, LEPIDA)
    "part_of",  # a site or unit is part of a larger actor, or hosted by it
    "coordination",  # a body coordinates or manages a network or programme
    "external_programme",  # takes part in or follows a programme whose area it is not in
)

SUNDIAL = ("education_training", "social_services", "business_services", "research")

LOCATION_PRECISION = ("exact", "site", "municipality", "province", "region", "country")

_PROVENANCE = (
    Field(
        "source",
        "str",
        True,
        "Where the record comes from: a URL, or a document with its date.",
        "https://www.interregeurope.eu/good-practices/clust-er-greentech",
    ),
    Field(
        "source_date", "date", False, "Date of the source or of reading it (YYYY, YYYY-MM or YYYY-MM-DD).", "2018-02-19"
    ),
    Field(
        "confidence",
        "str",
        True,
        "confirmed: a source states it; unconfirmed: believed, not yet sourced (say why in the note); "
        "synthetic: a generated demo record, no fact at all (goes with synthetic=true).",
        "confirmed",
        choices=CONFIDENCE,
    ),
    Field(
        "synthetic",
        "bool",
        False,
        "true for generated demo records; never mixed up with facts. Default false.",
        "false",
    ),
    Field("note", "str", False, "Free text: caveats, what is not confirmed and why.", "House number not confirmed"),
)

SECTORS = Table(
    name="sectors",
    patterns=("sectors.csv",),
    geometry="none",
    description="The broad sectors (S3 priority systems) the value chains are grouped in.",
    fields=(
        Field("id", "str", True, "Unique id.", "agrifood"),
        Field("name", "str", True, "English name.", "Agrifood"),
        Field("name_it", "str", False, "Italian name.", "Agroalimentare"),
        *_PROVENANCE,
    ),
)

GVCS = Table(
    name="gvcs",
    patterns=("gvcs.csv",),
    geometry="none",
    description="The global value chains (GVC taxonomy), each tied to its cluster and sector.",
    fields=(
        Field("id", "str", True, "Unique id.", "mech-flyer"),
        Field(
            "name",
            "str",
            True,
            "Name as the source gives it (English where published).",
            "Avionics and aerospace (FLYER)",
        ),
        Field("name_it", "str", False, "Italian name.", "Avionica e aerospazio"),
        Field("acronym", "str", False, "The value chain's own acronym.", "FLYER"),
        Field(
            "sector",
            "str",
            False,
            "Sector id; blank when no source ties it to a sector.",
            "mechatronics_motoring",
            refers_to="sectors",
        ),
        Field(
            "cluster", "str", True, "Id of the Clust-ER cluster it belongs to.", "clust-er-mech", refers_to="groupings"
        ),
        *_PROVENANCE,
    ),
)

GROUPINGS = Table(
    name="groupings",
    patterns=("groupings.csv",),
    geometry="none",
    description=(
        "Networks, clusters, programmes and initiatives. They have no geometry of their "
        "own: members are linked to them, and their areas (if any) are in `areas`."
    ),
    fields=(
        Field("id", "str", True, "Unique id (shared id space with actors and areas).", "clust-er-agrifood"),
        Field("kind", "str", True, "What it is.", "cluster", choices=GROUPING_KINDS),
        Field("name", "str", True, "English name.", "Clust-ER Agrifood"),
        Field("name_it", "str", False, "Italian name where it differs.", "Clust-ER Agroalimentare"),
        Field("sector", "str", False, "Sector id (clusters).", "agrifood", refers_to="sectors"),
        Field(
            "sundial",
            "list",
            False,
            "Sundial dimension(s) of a programme, `;`-separated.",
            "business_services;research",
            choices=SUNDIAL,
        ),
        Field(
            "gvcs",
            "list",
            False,
            "Value chains it works on, `;`-separated ids.",
            "greentech-low-carbon",
            refers_to="gvcs",
        ),
        Field("year", "int", False, "Year it started.", "2017"),
        Field("url", "str", False, "Official web page.", "https://agrifood.clust-er.it/"),
        Field("description", "str", False, "One or two sentences.", "Association of research labs, firms..."),
        *_PROVENANCE,
    ),
)

ACTORS = Table(
    name="actors",
    patterns=("actors*.csv", "actors*.geojson", "actors*.gpkg"),
    geometry="point",
    description="Point actors: technopoles and their sites, research, infrastructure, start-ups, firms, bodies.",
    fields=(
        Field("id", "str", True, "Unique id (shared id space with groupings and areas).", "tecnopolo-bologna"),
        Field("kind", "str", True, "What it is.", "technopole", choices=ACTOR_KINDS),
        Field("name", "str", True, "English name (or the name, when it has one only).", "Bologna Technopole"),
        Field("name_it", "str", False, "Italian name where it differs.", "Tecnopolo di Bologna"),
        Field(
            "lon",
            "float",
            False,
            "Longitude, WGS84 (CSV only; geometry in GeoJSON/GeoPackage). "
            "May be blank when `municipality` and `province` place it from the gazetteer.",
            "11.3426",
        ),
        Field("lat", "float", False, "Latitude, WGS84 (as `lon`).", "44.4938"),
        Field(
            "location_precision",
            "str",
            False,
            "How precise the point is. Default: exact when the file gives "
            "coordinates, else the precision the gazetteer reached.",
            "municipality",
            choices=LOCATION_PRECISION,
        ),
        Field("province", "str", False, "ISO 3166-2 code of the province.", "IT-BO"),
        Field("municipality", "str", False, "Municipality name.", "Bologna"),
        Field("gvcs", "list", False, "Value chains, `;`-separated ids.", "mech-daama;mech-arer", refers_to="gvcs"),
        Field(
            "clusters",
            "list",
            False,
            "Clust-ER clusters, `;`-separated grouping ids.",
            "clust-er-mech",
            refers_to="groupings",
        ),
        Field("year", "int", False, "Year founded, opened or registered.", "2022"),
        Field("url", "str", False, "Web page.", "https://www.ecmwf.int/"),
        Field("sector_code", "str", False, "ATECO 2007 code (firms, start-ups).", "62.01"),
        Field("sector_name", "str", False, "ATECO 2007 description.", "Software production"),
        Field("description", "str", False, "One or two sentences.", "ECMWF data centre"),
        *_PROVENANCE,
    ),
)

AREAS = Table(
    name="areas",
    patterns=("areas*.geojson", "areas*.gpkg"),
    geometry="polygon",
    description="Polygons: the region, its provinces, partner regions and the areas of networks and programmes.",
    fields=(
        Field("id", "str", True, "Unique id; ISO 3166-2 where there is one.", "IT-BO"),
        Field("kind", "str", True, "What it is.", "province", choices=AREA_KINDS),
        Field("name", "str", True, "English name.", "Bologna"),
        Field("name_it", "str", False, "Italian name where it differs.", "Assia"),
        # the partner regions' languages: the atlas shows a record's name in the page's language
        Field("name_de", "str", False, "German name where it differs.", "Kalifornien"),
        Field("name_fr", "str", False, "French name where it differs.", "Hesse"),
        Field("name_pl", "str", False, "Polish name where it differs.", "Hesja"),
        Field("name_zh", "str", False, "Chinese (simplified) name.", "广东省"),
        Field("iso", "str", False, "ISO 3166 code(s) of the unit(s), `;`-separated.", "IT-BO"),
        Field(
            "networks",
            "list",
            False,
            "Groupings this area is the area of, `;`-separated ids.",
            "interreg-adrion",
            refers_to="groupings",
        ),
        Field(
            "units",
            "str",
            False,
            "The units a dissolved area was built from.",
            "Ferrara; Ravenna; Forlì-Cesena; Rimini",
        ),
        *_PROVENANCE,
    ),
)

LINKS = Table(
    name="links",
    patterns=("links*.csv",),
    geometry="none",
    description="Directed links between two ids of actors, groupings or areas.",
    fields=(
        Field("id", "str", True, "Unique id.", "l-hessen-agreement"),
        Field("source_id", "str", True, "Id of the link's start.", "IT-45"),
        Field("target_id", "str", True, "Id of the link's end.", "DE-HE"),
        Field("link_type", "str", True, "What kind of link.", "partner_agreement", choices=LINK_TYPES),
        Field(
            "gvcs", "list", False, "Value chains the link is about, `;`-separated ids.", "mech-moves", refers_to="gvcs"
        ),
        Field("year", "int", False, "Year the link started.", "1992"),
        Field(
            "end_year",
            "int",
            False,
            "Last year the link existed (an agreement that lapsed, a membership left); blank while it "
            "lasts. Compared views (`compare=`) use `year` and `end_year` to tell added from ended links.",
            "2019",
            not_before="year",
        ),
        Field("weight", "float", False, "Strength (default 1).", "1"),
        *_PROVENANCE,
    ),
)

STATISTICS = Table(
    name="statistics",
    patterns=("statistics*.csv",),
    geometry="none",
    optional_table=True,
    description="Published aggregate figures about an area (e.g. innovative start-up counts).",
    fields=(
        Field("id", "str", True, "Unique id.", "s-startups-er-2018-10"),
        Field("area_id", "str", True, "Id of the area the figure is about.", "IT-45"),
        Field("indicator", "str", True, "What is counted.", "innovative_startups"),
        Field("date", "date", True, "Date of the figure (YYYY, YYYY-MM or YYYY-MM-DD).", "2018-10-15"),
        Field("value", "float", True, "The figure.", "919"),
        *_PROVENANCE,
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in (SECTORS, GVCS, GROUPINGS, ACTORS, AREAS, LINKS, STATISTICS)}

#: tables whose ids share one id space (links may point at any of them)
NODE_TABLES = ("actors", "groupings", "areas")


def schema_markdown() -> str:
    """The field tables of ``data/README.md``, rendered from this module (a test keeps them equal)."""
    lines: list[str] = []
    for table in TABLES.values():
        files = ", ".join(f"`{p}`" for p in table.patterns)
        optional = " Optional." if table.optional_table else ""
        lines += [
            f"### {table.name}",
            "",
            f"{table.description} Files: {files}.{optional}",
            "",
            "| field | type | required | meaning | example |",
            "|---|---|---|---|---|",
        ]
        for f in table.fields:
            meaning = f.meaning
            if f.choices:
                meaning += " One of: " + ", ".join(f"`{c}`" for c in f.choices) + "."
            if f.refers_to:
                meaning += f" Must exist in `{f.refers_to}`."
            if f.not_before:
                meaning += f" Not before `{f.not_before}`."
            lines.append(f"| `{f.name}` | {f.type} | {'yes' if f.required else 'no'} | {meaning} | `{f.example}` |")
        lines.append("")
    return "\n".join(lines)
