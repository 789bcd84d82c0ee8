"""The demo personas' well-known facts: ids, emails and titles other parts (tickets, docs, tests) cite."""

from __future__ import annotations

DAY = 86_400
HOUR = 3_600


def at(days: int, hour: int = 0, minute: int = 0) -> int:
    """Offset in seconds from 00:00 UTC of the serving day: at(-5, 9, 42) is 09:42 five days ago."""
    return days * DAY + hour * HOUR + minute * 60


AMELIE_EMAIL = "amelie.durand@example.fr"
WEI_EMAIL = "wei.zhang@example.cn"
WEI_WORK_EMAIL = "zhang.wei.work@example.com"
SAM_EMAIL = "sam.taylor@example.com"
PRIYA_EMAIL = "priya.raman@example.in"
HEAVY_EMAIL = "heavy.learner@example.com"
ERASED_EMAIL = "erased.learner@example.com"
NOBODY_EMAIL = "nobody@example.com"

AMELIE_ID = "L-1000001"
WEI_ID = "L-1000002"
WEI_WORK_ID = "L-1000003"
SAM_ID = "L-1000004"
PRIYA_ID = "L-1000005"
HEAVY_ID = "L-1000006"
ERASED_ID = "L-1000007"
SAM_EXTERNAL_ID = "sso-globex-00417"

# Amélie: paid 5 days ago for C-0042, 8 % progress -> refundable under a 14-day / low-progress policy.
AMELIE_RECENT_COURSE_ID = "C-0042"
AMELIE_RECENT_COURSE_TITLE = "Introduction to Machine Learning"
AMELIE_RECENT_COURSE_SLUG = "introduction-to-machine-learning"
AMELIE_RECENT_ENROLMENT_ID = "E-1000011"
AMELIE_RECENT_ORDER_ID = "ORD-2026-004217"
AMELIE_COMPLETED_COURSE_ID = "C-0107"
AMELIE_COMPLETED_COURSE_TITLE = "Écrire pour le Web"
AMELIE_COMPLETED_ENROLMENT_ID = "E-1000012"
AMELIE_CERTIFICATE_CODE = "VC-7Q2M-AD41"
AMELIE_ACTIVE_COURSE_ID = "C-0233"
AMELIE_ACTIVE_ENROLMENT_ID = "E-1000013"

WEI_SUBSCRIPTION_ID = "SUB-1000003"
WEI_FAILED_ORDER_ID = "ORD-2026-005530"

SAM_COURSE_ID = "C-0505"
SAM_COURSE_TITLE = "Project Management Essentials"
SAM_ENROLMENT_ID = "E-1000041"
SAM_DEADLINE_TITLE = "Week 4 assignment: Risk register"
SAM_ORDER_ID = "ORD-2026-003311"
SAM_SPONSOR_ID = "SP-001"
SAM_SPONSOR_NAME = "Globex Corporation"
SAM_SPONSORSHIP_ID = "SPN-1000004"

PRIYA_AID_ID = "FA-1000005"
PRIYA_AID_COURSE_ID = "C-0777"
PRIYA_AID_COURSE_TITLE = "Financial Markets and Institutions"
PRIYA_AID_ORDER_ID = "ORD-2026-002718"

HEAVY_ENROLMENTS = 300
HEAVY_ORDERS = 1_000

# Partners and courses whose names the demo tickets and docs use; the generator keeps them verbatim.
PERSONA_PARTNERS = {
    "P-007": ("Université Lumière de Paris", "university", "FR"),
    "P-012": ("Northbridge University", "university", "GB"),
    "P-031": ("Datawise Labs", "company", "US"),
    "P-044": ("上海理工学院", "university", "CN"),
    "P-058": ("Indian Institute of Commerce", "university", "IN"),
}

# id -> (title, slug, language, partner_id, workload hours, {session seq: (start, end, [deadlines])}).
# A deadline is (title, kind, due offset); sessions not listed are generated like any other course's.
PERSONA_COURSES: dict[str, tuple] = {
    "C-0042": (
        AMELIE_RECENT_COURSE_TITLE,
        AMELIE_RECENT_COURSE_SLUG,
        "en",
        "P-012",
        40,
        {
            3: (
                at(-12),
                at(44),
                [
                    ("Week 1 quiz", "exam", at(-5, 23, 59)),
                    ("Week 3 assignment: Linear models", "assignment", at(9, 23, 59)),
                    ("Final exam", "exam", at(42, 23, 59)),
                ],
            )
        },
    ),
    "C-0107": (
        AMELIE_COMPLETED_COURSE_TITLE,
        "ecrire-pour-le-web",
        "fr",
        "P-007",
        24,
        {
            1: (
                at(-170),
                at(-110),
                [
                    ("Devoir 1 : le titre", "assignment", at(-150, 21)),
                    ("Projet final : un article", "project", at(-112, 21)),
                ],
            )
        },
    ),
    "C-0233": (
        "Data Visualization with Python",
        "data-visualization-with-python",
        "en",
        "P-031",
        30,
        {
            2: (
                at(-55),
                at(20),
                [
                    ("Project 1: Dashboards", "project", at(-10, 23, 59)),
                    ("Project 2: Storytelling", "project", at(12, 23, 59)),
                ],
            )
        },
    ),
    "C-0318": (
        "Cloud Computing Fundamentals",
        "cloud-computing-fundamentals",
        "zh",
        "P-044",
        36,
        {1: (at(-320), at(-250), [("期末考试", "exam", at(-252, 16))])},
    ),
    "C-0319": (
        "Deep Learning Specialization",
        "deep-learning-specialization",
        "en",
        "P-031",
        80,
        {
            2: (
                at(-60),
                at(60),
                [
                    ("Course 2 project: CNNs", "project", at(16, 23, 59)),
                    ("Capstone", "project", at(58, 23, 59)),
                ],
            )
        },
    ),
    "C-0505": (
        SAM_COURSE_TITLE,
        "project-management-essentials",
        "en",
        "P-012",
        28,
        {
            2: (
                at(-24),
                at(21),
                [
                    ("Week 2 quiz", "exam", at(-10, 12)),
                    (SAM_DEADLINE_TITLE, "assignment", at(2, 12)),
                    ("Final exam", "exam", at(19, 12)),
                ],
            )
        },
    ),
    "C-0512": (
        "Agile Leadership",
        "agile-leadership",
        "en",
        "P-012",
        16,
        {1: (at(-90), at(-45), [("Capstone: a team charter", "project", at(-47, 12))])},
    ),
    "C-0777": (
        PRIYA_AID_COURSE_TITLE,
        "financial-markets-and-institutions",
        "en",
        "P-058",
        33,
        {
            2: (
                at(-30),
                at(40),
                [("Problem set 2", "assignment", at(6, 18, 30)), ("Final exam", "exam", at(38, 18, 30))],
            )
        },
    ),
    "C-0778": (
        "Public Health for Everyone",
        "public-health-for-everyone",
        "en",
        "P-058",
        12,
        {1: (at(-20), at(30), [("Quiz 1", "exam", at(8, 18, 30))])},
    ),
    "C-0779": (
        "Python for Everybody",
        "python-for-everybody",
        "en",
        "P-031",
        20,
        {1: (at(-240), at(-180), [("Final project", "project", at(-182, 18, 30))])},
    ),
    "C-0780": (
        "Statistics with R",
        "statistics-with-r",
        "en",
        "P-058",
        26,
        {1: (at(-230), at(-170), [("Final exam", "exam", at(-172, 18, 30))])},
    ),
}

SPONSORS = [
    "Globex Corporation",
    "Initech",
    "Umbrella Health",
    "Stark Mobility",
    "Wayne Logistics",
    "Nakatomi Trading",
    "Soylent Foods",
    "Hooli",
    "Vandelay Industries",
    "Tyrell Systems",
    "Cyberdyne Software",
    "Oceanic Air",
    "Massive Dynamic",
    "Aperture Science",
    "Monarch Energy",
    "Siemens-Nord GmbH",
    "Banco Solaris",
    "Grupo Andino",
    "Øresund Shipping",
    "Pacífico Seguros",
    "三星精工",
    "東京フィナンシャル",
    "Lumière Conseil",
    "Müller & Söhne",
    "Nordlys AS",
    "Sakura Retail",
    "Kairos Analytics",
    "Mumbai Textiles",
    "Lagos Fintech",
    "Cape Minerals",
]
