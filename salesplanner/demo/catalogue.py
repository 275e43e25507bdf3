"""Fixed reference data for the demo plan: names, teams, products, events.

Invented but plausible for a UK telecoms and home-services contact centre.
"""

from __future__ import annotations

FIRST_NAMES = (
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Emily Ella "
    "Poppy Evie Florence Charlotte Aria Sienna Daisy Harper Sofia Alice Ruby Matilda Zara "
    "Priya Aisha Fatima Chloe Megan Hannah Niamh Eilidh Siobhan Bethan Seren Ffion "
    "Noah Muhammad George Oliver Leo Arthur Oscar Theodore Freddie Harry Archie Jack Henry "
    "Charlie Thomas Jacob Alfie Finley Isaac Joshua James William Lucas Ethan Mason Rhys "
    "Callum Liam Connor Kieran Dylan Owen Ryan Aaron Samuel Daniel Arjun Omar Kwame Tomasz"
).split()
LAST_NAMES = (
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
    "Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan "
    "Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell "
    "Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan "
    "Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell "
    "Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills "
    "Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey "
    "Nowak Kowalski Okafor Mensah MacDonald Fraser Reid Stewart"
).split()

#: code, name, queue, outbound share of calls, primary-category weights.
TEAMS = (
    ("ACQ-N", "Acquisition North", "Sales", 0.10,
     {"Broadband": 5, "Mobile": 4, "TV": 2, "Home phone": 1}),
    ("RET", "Retention", "Retention", 0.15,
     {"Broadband": 5, "TV": 4, "Mobile": 2, "Insurance": 1}),
    ("UPG", "Upgrades", "Upgrades", 0.12,
     {"Broadband": 3, "Mobile": 4, "TV": 3, "Smart home": 2}),
    ("ACQ-S", "Acquisition South", "Sales", 0.10,
     {"Broadband": 5, "Mobile": 4, "TV": 2, "Home phone": 1}),
    ("WIN", "Outbound Winback", "Outbound", 0.85,
     {"Broadband": 5, "Mobile": 3, "TV": 2}),
    ("BUS", "Business Sales", "Business", 0.30,
     {"Business": 8, "Mobile": 2, "Broadband": 1}),
)
TEAM_LEADERS = ("Sarah Whitfield", "Marcus Bell", "Anita Desai", "Gareth Pryce",
                "Joanne McKay", "Daniel Osei")

#: Products: sku, name, category, ladder (up-sell chain), tier, price (GBP,
#: first-year contract value), margin rate.
PRODUCTS = (
    ("BB-FIB36", "Fibre 36", "Broadband", "bb", 1, 336.00, 0.42),
    ("BB-FIB74", "Fibre 74", "Broadband", "bb", 2, 396.00, 0.45),
    ("BB-FF150", "Full Fibre 150", "Broadband", "bb", 3, 444.00, 0.48),
    ("BB-FF500", "Full Fibre 500", "Broadband", "bb", 4, 528.00, 0.50),
    ("BB-FF900", "Full Fibre 900", "Broadband", "bb", 5, 624.00, 0.52),
    ("BB-GIG", "Gigafast 1.6", "Broadband", "bb", 6, 780.00, 0.53),
    ("MB-SIM5", "SIM Only 5GB", "Mobile", "sim", 1, 96.00, 0.55),
    ("MB-SIM30", "SIM Only 30GB", "Mobile", "sim", 2, 144.00, 0.58),
    ("MB-SIM100", "SIM Only 100GB", "Mobile", "sim", 3, 180.00, 0.60),
    ("MB-SIMUL", "SIM Only Unlimited", "Mobile", "sim", 4, 240.00, 0.61),
    ("MB-HS-A", "Handset Plan Essential", "Mobile", "hs", 1, 420.00, 0.22),
    ("MB-HS-B", "Handset Plan Plus", "Mobile", "hs", 2, 612.00, 0.24),
    ("MB-HS-C", "Handset Plan Pro", "Mobile", "hs", 3, 876.00, 0.25),
    ("MB-FAM", "Family SIM Bundle", "Mobile", "fam", 1, 360.00, 0.50),
    ("TV-ESS", "TV Essentials", "TV", "tv", 1, 180.00, 0.35),
    ("TV-ENT", "TV Entertainment", "TV", "tv", 2, 312.00, 0.38),
    ("TV-ULT", "TV Ultimate", "TV", "tv", 3, 540.00, 0.40),
    ("TV-SPT", "Sports Pack", "TV", "sport", 1, 336.00, 0.30),
    ("TV-MOV", "Movies Pack", "TV", "movies", 1, 144.00, 0.33),
    ("TV-KID", "Kids Pack", "TV", "kids", 1, 72.00, 0.45),
    ("TV-BOX", "4K Recording Box", "TV", "box", 1, 96.00, 0.20),
    ("HP-ANY", "Anytime Calls", "Home phone", "hp", 1, 120.00, 0.65),
    ("HP-INT", "International Calls", "Home phone", "hpi", 1, 84.00, 0.70),
    ("HP-EVE", "Evening and Weekend Calls", "Home phone", "hpe", 1, 60.00, 0.66),
    ("IN-DEV", "Device Cover", "Insurance", "devc", 1, 108.00, 0.60),
    ("IN-DEVP", "Device Cover Plus", "Insurance", "devc", 2, 156.00, 0.62),
    ("IN-BBG", "Broadband Guarantee", "Insurance", "bbg", 1, 60.00, 0.75),
    ("IN-HTS", "Home Tech Support", "Insurance", "hts", 1, 96.00, 0.70),
    ("IN-BILL", "Bill Protection", "Insurance", "bill", 1, 48.00, 0.80),
    ("SH-MESH", "Whole Home Wi-Fi", "Smart home", "mesh", 1, 120.00, 0.40),
    ("SH-MESH3", "Whole Home Wi-Fi Pro (3 discs)", "Smart home", "mesh", 2, 180.00, 0.42),
    ("SH-CAM", "Smart Camera", "Smart home", "cam", 1, 144.00, 0.35),
    ("SH-SEC", "Home Security Kit", "Smart home", "sec", 1, 300.00, 0.38),
    ("SH-SPK", "Smart Speaker", "Smart home", "spk", 1, 60.00, 0.30),
    ("BZ-BB", "Business Broadband", "Business", "bzbb", 1, 540.00, 0.50),
    ("BZ-BBP", "Business Broadband Pro", "Business", "bzbb", 2, 780.00, 0.52),
    ("BZ-VOIP", "Business Cloud Voice (per seat)", "Business", "voip", 1, 216.00, 0.55),
    ("BZ-MOB", "Business Mobile (per line)", "Business", "bzm", 1, 240.00, 0.45),
    ("BZ-MOBU", "Business Mobile Unlimited (per line)", "Business", "bzm", 2, 336.00, 0.47),
    ("BZ-4G", "Business 4G Backup", "Business", "bz4g", 1, 144.00, 0.50),
    ("BZ-SEC", "Business Cyber Security", "Business", "bzsec", 1, 288.00, 0.60),
    ("BZ-STAT", "Static IP Address", "Business", "bzip", 1, 60.00, 0.85),
)

#: Cross-sell relations: from sku to skus commonly added to it.
CROSS_SELLS = {
    "bb": ("IN-BBG", "SH-MESH", "TV-ESS", "MB-SIM30", "HP-ANY", "IN-HTS"),
    "sim": ("IN-DEV", "IN-BILL", "BB-FIB74"),
    "hs": ("IN-DEV", "IN-DEVP", "IN-BILL"),
    "fam": ("IN-DEV", "BB-FF150"),
    "tv": ("TV-SPT", "TV-MOV", "TV-KID", "TV-BOX", "BB-FF150"),
    "hp": ("HP-INT", "BB-FIB36"),
    "mesh": ("SH-CAM", "IN-HTS"),
    "bzbb": ("BZ-VOIP", "BZ-4G", "BZ-STAT", "BZ-SEC"),
    "bzm": ("BZ-SEC", "IN-DEV"),
    "voip": ("BZ-BB", "BZ-MOB"),
}

COMPETITORS = ("BT", "Sky", "Virgin Media", "Vodafone", "EE", "TalkTalk", "Three", "Hyperoptic")
#: Competitor activity templates: category, text, impact.
COMPETITOR_MOVES = (
    ("Broadband", "cut full-fibre prices by 20% for new customers", "high"),
    ("Broadband", "launched a 2 Gb/s home broadband tier", "medium"),
    ("Broadband", "ran a 'half price for 6 months' switching offer", "high"),
    ("Mobile", "launched a £10 unlimited-data SIM", "high"),
    ("Mobile", "added free roaming in 50 countries", "medium"),
    ("Mobile", "dropped mid-contract price rises", "medium"),
    ("TV", "bundled a streaming service free for 12 months", "high"),
    ("TV", "won exclusive rights to a football league", "medium"),
    ("Home phone", "withdrew landline-only packages", "low"),
    ("Insurance", "started selling device cover at checkout", "low"),
    ("Smart home", "launched a bundled home security package", "low"),
    ("Business", "offered free cloud voice for 3 months to new businesses", "medium"),
)

#: Promotions and campaigns: name, kind, first month, last month (1-12), purpose.
CAMPAIGNS = (
    ("New Year Switch", "acquisition", 1, 1, "Win switchers after the New Year bill review"),
    ("Spring Upgrade", "promotion", 3, 4, "Move existing customers to full fibre"),
    ("Summer of Sport", "promotion", 6, 7, "Sell sports packs ahead of the tournament"),
    ("Back to School", "promotion", 8, 9, "Family SIM bundles and home Wi-Fi"),
    ("Black Friday", "promotion", 11, 11, "Peak-season offers on every range"),
    ("Winback", "winback", 1, 12, "Call customers who left in the last 6 months"),
    ("Loyalty Review", "retention", 1, 12, "Re-contract customers out of contract"),
)

#: Monthly demand (January first): switching peaks after New Year and in
#: November, dips in the summer holidays and before Christmas.
MONTH_DEMAND = (1.18, 1.05, 1.08, 1.00, 0.96, 0.93, 0.88, 0.84, 1.00, 1.04, 1.22, 0.80)
#: Demand by ISO weekday (Monday first); the centre is closed on Sundays.
WEEKDAY_DEMAND = (1.16, 1.06, 1.00, 0.97, 0.88, 0.72, 0.0)
#: Opening hours by ISO weekday: first and last hour open (end exclusive).
OPENING = ((8, 20), (8, 20), (8, 20), (8, 20), (8, 20), (9, 17), (0, 0))
#: Inbound arrivals by hour of day (relative): morning and early-afternoon
#: peaks, a lunchtime dip, a mid-afternoon trough and a small evening peak.
INBOUND_HOURLY = {8: 0.45, 9: 0.95, 10: 1.35, 11: 1.40, 12: 1.05, 13: 1.20, 14: 1.00,
                  15: 0.70, 16: 0.65, 17: 0.80, 18: 0.90, 19: 0.55}
#: Outbound dialling by hour: concentrated in the inbound troughs and early evening.
OUTBOUND_HOURLY = {8: 0.2, 9: 0.4, 10: 0.3, 11: 0.3, 12: 0.6, 13: 0.4, 14: 0.9,
                   15: 1.5, 16: 1.5, 17: 1.3, 18: 1.2, 19: 0.8}
