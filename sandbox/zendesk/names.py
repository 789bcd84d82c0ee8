"""Name pools for generated Zendesk users: English, French and Chinese requesters, and agents."""
from __future__ import annotations

import unicodedata
from functools import cache

EN_FIRST = [
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Chris", "Karen",
    "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra", "Steven", "Ashley",
    "Andrew", "Emily", "Joshua", "Michelle", "Kevin", "Amanda", "Brian", "Melissa", "Ravi", "Anita",
    "Arjun", "Deepa", "Olivia", "Liam", "Noah", "Emma", "Ava", "Ethan", "Sophia", "Lucas",
]
EN_LAST = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
    "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
    "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams",
    "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Patel", "Sharma", "Iyer", "Nair",
]
FR_FIRST = [
    "Amélie", "Benoît", "Camille", "Céline", "Chloé", "Clément", "Élodie", "Émilie", "François", "Gaëlle",
    "Hélène", "Jérôme", "Joël", "Léa", "Léo", "Lucie", "Manon", "Mathéo", "Noémie", "Océane",
    "Raphaël", "Sébastien", "Théo", "Valérie", "Zoé", "Antoine", "Julien", "Margaux", "Nicolas", "Inès",
]
FR_LAST = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Müller",
]
# (characters, pinyin) so that e-mail addresses stay ASCII while names stay in Han characters.
ZH_LAST = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"),
]
ZH_FIRST = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("秀英", "xiuying"), ("敏", "min"), ("静", "jing"),
    ("丽", "li"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"),
    ("艳", "yan"), ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"),
    ("秀兰", "xiulan"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("桂英", "guiying"), ("欣怡", "xinyi"),
]

LANGS = {
    # lang: (Zendesk locale, Zendesk time_zone, IANA time zone, e-mail domain)
    "en": ("en-US", "Eastern Time (US & Canada)", "America/New_York", "example.com"),
    "fr": ("fr", "Paris", "Europe/Paris", "example.fr"),
    "zh": ("zh-cn", "Beijing", "Asia/Shanghai", "example.cn"),
}


@cache
def ascii_slug(text: str) -> str:
    """Lower-case ASCII form of a Latin name for an e-mail local part (accents dropped)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def requester(lang: str, n: int) -> tuple[str, str]:
    """The n-th generated requester of a language: (display name, e-mail); unique per (lang, n)."""
    domain = LANGS[lang][3]
    if lang == "zh":
        last, last_py = ZH_LAST[n % len(ZH_LAST)]
        first, first_py = ZH_FIRST[(n // len(ZH_LAST)) % len(ZH_FIRST)]
        return last + first, f"{last_py}.{first_py}.{n}@{domain}"
    first_pool, last_pool = (FR_FIRST, FR_LAST) if lang == "fr" else (EN_FIRST, EN_LAST)
    first = first_pool[n % len(first_pool)]
    last = last_pool[(n // len(first_pool)) % len(last_pool)]
    return f"{first} {last}", f"{ascii_slug(first)}.{ascii_slug(last)}.{n}@{domain}"


def agent(n: int) -> tuple[str, str]:
    """The n-th support agent: (display name, e-mail at the support domain)."""
    pools = [(EN_FIRST, EN_LAST), (FR_FIRST, FR_LAST)]
    first_pool, last_pool = pools[n % 2]
    first = first_pool[(n // 2 * 7) % len(first_pool)]  # distinct within each pool's 20 agents
    last = last_pool[(n * 11 + 3) % len(last_pool)]
    return f"{first} {last}", f"{ascii_slug(first)}.{ascii_slug(last)}@support.demo.example"
