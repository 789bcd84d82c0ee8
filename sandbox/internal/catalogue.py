"""Generate the course catalogue: partners, courses, sessions and their deadlines."""

from __future__ import annotations

import random

from sandbox.internal.names import slugify
from sandbox.internal.personas import DAY, PERSONA_COURSES, PERSONA_PARTNERS

PARTNERS = 140
COURSES = 1_800
SESSIONS_PER_COURSE = 4

_CITIES = {
    "en": [
        "Northfield",
        "Kingsbridge",
        "Ashford",
        "Riverside",
        "Westmoor",
        "Brighton Bay",
        "Eastvale",
        "Hollins",
        "Carver",
        "Lakeshore",
        "Sutherland",
        "Pinecrest",
    ],
    "fr": ["Lyon", "Bordeaux", "Rennes", "Grenoble", "Lille", "Nantes", "Québec"],
    "de": ["Mittelberg", "Nordheim", "Rosenau", "Kölnbrück", "Würzfeld"],
    "es": ["Valparaíso", "Córdoba", "Sevilla Norte", "Medellín", "Monterrey", "Cádiz"],
    "pt": ["Coimbra", "Porto Alegre", "Belo Horizonte", "Braga"],
    "it": ["Bologna Nord", "Padova", "Trento"],
    "zh": ["北京", "上海", "杭州", "南京", "成都"],
    "ja": ["京都", "大阪", "名古屋", "福岡"],
    "ko": ["서울", "부산", "대전"],
}
_UNIVERSITY = {
    "en": "University of {}",
    "fr": "Université de {}",
    "de": "Universität {}",
    "es": "Universidad de {}",
    "pt": "Universidade de {}",
    "it": "Università di {}",
    "zh": "{}大学",
    "ja": "{}大学",
    "ko": "{} 대학교",
}
_LANG_COUNTRY = {
    "en": "US",
    "fr": "FR",
    "de": "DE",
    "es": "ES",
    "pt": "BR",
    "it": "IT",
    "zh": "CN",
    "ja": "JP",
    "ko": "KR",
}
_COMPANY_A = [
    "Bright",
    "Blue",
    "Quantum",
    "North",
    "Open",
    "Clear",
    "Deep",
    "Swift",
    "Green",
    "Atlas",
    "Nimbus",
    "Vertex",
]
_COMPANY_B = ["Labs", "Analytics", "Academy", "Cloud", "Systems", "Learning", "Works", "Digital"]
_TOPICS = [
    "Machine Learning",
    "Data Science",
    "Python Programming",
    "Public Health",
    "Marketing Analytics",
    "Financial Accounting",
    "Cybersecurity",
    "UX Design",
    "Project Management",
    "Climate Science",
    "Supply Chain Management",
    "Linear Algebra",
    "Creative Writing",
    "Cloud Architecture",
    "Psychology",
    "Negotiation",
    "Blockchain Basics",
    "Digital Photography",
    "Molecular Biology",
    "Game Design",
    "Web Development",
    "SQL for Analysts",
    "Leadership",
    "Econometrics",
    "Renewable Energy",
    "Human Rights Law",
    "Music Theory",
    "Statistics",
    "Neuroscience",
    "Entrepreneurship",
]
_PATTERNS = [
    "Introduction to {}",
    "{} for Everyone",
    "Advanced {}",
    "Applied {}",
    "{} Fundamentals",
    "{} in Practice",
    "Foundations of {}",
    "{}: Capstone Project",
    "{} Specialization, Part 2",
]
_LOCAL_TITLES = {
    "fr": [
        "Introduction à la science des données",
        "Marketing digital",
        "Gestion de projet agile",
        "Économie du développement durable",
        "Programmer en Python",
    ],
    "es": [
        "Introducción a la programación",
        "Finanzas para no financieros",
        "Diseño de experiencia de usuario",
        "Energías renovables",
        "Liderazgo y negociación",
    ],
    "de": [
        "Einführung in die Statistik",
        "Grundlagen der Elektrotechnik",
        "Maschinelles Lernen für Einsteiger",
    ],
    "pt": ["Introdução à programação", "Gestão de projetos", "Ciência de dados aplicada"],
    "zh": ["数据科学导论", "机器学习基础", "云计算入门", "商务沟通"],
    "ja": ["データサイエンス入門", "機械学習の基礎", "プロジェクトマネジメント"],
}
_DEADLINE_KINDS = [
    ("Quiz {}", "exam"),
    ("Week {} assignment", "assignment"),
    ("Peer-reviewed project {}", "project"),
]


def partners(rng: random.Random) -> list[tuple]:
    """140 partners (id, name, kind, country): universities in many languages and companies."""
    rows, used = [], {name for name, _, _ in PERSONA_PARTNERS.values()}
    for number in range(1, PARTNERS + 1):
        pid = f"P-{number:03d}"
        if pid in PERSONA_PARTNERS:
            rows.append((pid, *PERSONA_PARTNERS[pid]))
            continue
        while True:
            if rng.random() < 0.6:
                lang = rng.choice(list(_UNIVERSITY))
                name, kind, country = (
                    _UNIVERSITY[lang].format(rng.choice(_CITIES[lang])),
                    "university",
                    _LANG_COUNTRY[lang],
                )
            else:
                name, kind = (
                    f"{rng.choice(_COMPANY_A)}{rng.choice(['', ' '])}{rng.choice(_COMPANY_B)}",
                    "company",
                )
                country = rng.choice(["US", "GB", "DE", "FR", "IN", "JP", "BR"])
            if name not in used:
                used.add(name)
                rows.append((pid, name, kind, country))
                break
    return rows


def _language_of(country: str) -> str:
    return {v: k for k, v in _LANG_COUNTRY.items()}.get(country, "en")


def courses(rng: random.Random, partner_rows: list[tuple]) -> list[tuple]:
    """1,800 courses (id, slug, title, language, partner_id, workload_hours) with unique slugs."""
    slugs = {spec[1] for spec in PERSONA_COURSES.values()}
    rows = []
    for number in range(1, COURSES + 1):
        cid = f"C-{number:04d}"
        if cid in PERSONA_COURSES:
            title, slug, language, partner_id, hours, _ = PERSONA_COURSES[cid]
            rows.append((cid, slug, title, language, partner_id, hours))
            continue
        partner = rng.choice(partner_rows)
        language = _language_of(partner[3])
        if language in _LOCAL_TITLES and rng.random() < 0.5:
            title = rng.choice(_LOCAL_TITLES[language])
        else:
            language, title = "en", rng.choice(_PATTERNS).format(rng.choice(_TOPICS))
        base = slug = slugify(title)
        suffix = 2
        while slug in slugs:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        slugs.add(slug)
        rows.append((cid, slug, title, language, partner[0], rng.choice([6, 10, 12, 16, 20, 24, 30, 40, 60])))
    return rows


def _deadlines(rng: random.Random, session_id: str, start: int, end: int) -> list[tuple]:
    count = rng.randint(2, 4)
    span = end - start
    rows = []
    for seq in range(1, count + 1):
        template, kind = rng.choice(_DEADLINE_KINDS)
        title, due = template.format(seq), start + span * seq // (count + 1) + rng.randint(0, 23) * 3600
        rows.append((f"D-{session_id[2:]}-{seq}", session_id, seq, title, kind, due))
    rows.append((f"D-{session_id[2:]}-{count + 1}", session_id, count + 1, "Final exam", "exam", end - DAY))
    return rows


def sessions(rng: random.Random, course_rows: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """Four sessions per course, the latest running or about to start, each with its deadlines."""
    session_rows, deadline_rows = [], []
    for course in course_rows:
        cid = course[0]
        fixed = PERSONA_COURSES.get(cid, (None,) * 6)[5] or {}
        length, gap = rng.choice([28, 42, 56, 70, 84]) * DAY, rng.randint(14, 40) * DAY
        last_start = rng.randint(-40, 50) * DAY
        for seq in range(1, SESSIONS_PER_COURSE + 1):
            sid = f"S-{cid[2:]}-{seq}"
            if seq in fixed:
                start, end, deadlines = fixed[seq]
                session_rows.append((sid, cid, seq, start, end))
                deadline_rows += [
                    (f"D-{cid[2:]}-{seq}-{n}", sid, n, title, kind, due)
                    for n, (title, kind, due) in enumerate(deadlines, 1)
                ]
                continue
            start = last_start - (SESSIONS_PER_COURSE - seq) * (length + gap)
            session_rows.append((sid, cid, seq, start, start + length))
            deadline_rows += _deadlines(rng, sid, start, start + length)
    return session_rows, deadline_rows
