"""Countries of the demo learners: languages, time zones, currency and local names (Latin, accented, CJK)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    """How learners from one country look: weights of languages, zones, and name parts."""

    code: str
    languages: tuple[str, ...]
    zones: tuple[str, ...]
    currency: str
    first: tuple[str, ...]
    last: tuple[str, ...]
    family_first: bool = False  # CJK order: family name first, no space for zh/ja
    romanized: dict[str, str] | None = None  # CJK name part -> Latin spelling for email addresses


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_ZH = {
    "伟": "wei",
    "芳": "fang",
    "娜": "na",
    "敏": "min",
    "静": "jing",
    "磊": "lei",
    "洋": "yang",
    "婷": "ting",
    "王": "wang",
    "李": "li",
    "张": "zhang",
    "刘": "liu",
    "陈": "chen",
    "杨": "yang",
    "黄": "huang",
    "赵": "zhao",
    "志明": "zhiming",
    "淑芬": "shufen",
    "家豪": "jiahao",
    "怡君": "yijun",
    "林": "lin",
    "吳": "wu",
    "蔡": "cai",
}
_JA = {
    "翔太": "shota",
    "陽菜": "hina",
    "大輝": "daiki",
    "さくら": "sakura",
    "結衣": "yui",
    "蓮": "ren",
    "佐藤": "sato",
    "鈴木": "suzuki",
    "高橋": "takahashi",
    "田中": "tanaka",
    "伊藤": "ito",
    "渡辺": "watanabe",
}
_KO = {
    "민준": "minjun",
    "서연": "seoyeon",
    "지호": "jiho",
    "하은": "haeun",
    "도윤": "doyun",
    "지우": "jiwoo",
    "김": "kim",
    "이": "lee",
    "박": "park",
    "최": "choi",
    "정": "jung",
    "강": "kang",
}

COUNTRIES: tuple[Country, ...] = (
    Country(
        "US",
        ("en",),
        ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
        "USD",
        _split("James Mary Michael Jennifer David Linda Emily Daniel Ashley Chris"),
        _split("Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Moore"),
    ),
    Country(
        "GB",
        ("en",),
        ("Europe/London",),
        "GBP",
        _split("Oliver Amelia George Isla Harry Ava Jack Freya"),
        _split("Taylor Evans Thomas Roberts Walker Wright Hughes Clarke"),
    ),
    Country(
        "CA",
        ("en", "fr"),
        ("America/Toronto", "America/Vancouver", "America/Montreal"),
        "CAD",
        _split("Liam Olivia Noah Émilie Mathis Chloé Logan Zoé"),
        _split("Tremblay Gagnon Roy Côté Bouchard MacDonald Campbell Martin"),
    ),
    Country(
        "AU",
        ("en",),
        ("Australia/Sydney", "Australia/Melbourne", "Australia/Perth"),
        "AUD",
        _split("Jack Charlotte William Mia Thomas Matilda Lucas Ruby"),
        _split("Kelly Ryan Nguyen Murphy O'Brien Harris King Lee"),
    ),
    Country(
        "IN",
        ("en", "hi"),
        ("Asia/Kolkata",),
        "INR",
        _split("Aarav Ananya Vivaan Diya Arjun Isha Rohan Kavya"),
        _split("Sharma Patel Iyer Reddy Nair Gupta Singh Menon"),
    ),
    Country(
        "FR",
        ("fr",),
        ("Europe/Paris",),
        "EUR",
        _split("Léa Hugo Chloé Théo Inès Gabriel Amélie Jérôme"),
        _split("Martin Bernard Dubois Lefèvre Moreau Girard Mercier Durand"),
    ),
    Country(
        "DE",
        ("de",),
        ("Europe/Berlin",),
        "EUR",
        _split("Jürgen Lena Lukas Sophie Jörg Mia Felix Hannah"),
        _split("Müller Schmidt Schäfer Weiß Köhler Becker Groß Hoffmann"),
    ),
    Country(
        "ES",
        ("es",),
        ("Europe/Madrid", "Atlantic/Canary"),
        "EUR",
        _split("Lucía Hugo Martina Alejandro Sofía Álvaro Paula Iñigo"),
        _split("García Fernández López Martínez Sánchez Pérez Muñoz Ibáñez"),
    ),
    Country(
        "MX",
        ("es",),
        ("America/Mexico_City", "America/Monterrey", "America/Tijuana"),
        "MXN",
        _split("Santiago Valentina Mateo Ximena José Camila Andrés Renata"),
        _split("Hernández González Rodríguez Ramírez Flores Gómez Díaz Cruz"),
    ),
    Country(
        "AR",
        ("es",),
        ("America/Argentina/Buenos_Aires",),
        "USD",
        _split("Joaquín Sofía Tomás Catalina Benjamín Agustina Martín Lucía"),
        _split("González Rodríguez Gómez Fernández López Díaz Peña Núñez"),
    ),
    Country(
        "CO",
        ("es",),
        ("America/Bogota",),
        "USD",
        _split("Sebastián Mariana Nicolás Daniela Julián Sara"),
        _split("Rodríguez Martínez García Gómez Londoño Castaño"),
    ),
    Country(
        "BR",
        ("pt",),
        ("America/Sao_Paulo", "America/Manaus", "America/Recife"),
        "BRL",
        _split("João Maria Luís Ana Gonçalo Júlia Thiago Letícia"),
        _split("Silva Santos Oliveira Souza Conceição Araújo Magalhães Simões"),
    ),
    Country(
        "PT",
        ("pt",),
        ("Europe/Lisbon",),
        "EUR",
        _split("Tomás Beatriz Duarte Inês Gonçalo Leonor"),
        _split("Ferreira Gonçalves Rodrigues Simões Lourenço Brandão"),
    ),
    Country(
        "IT",
        ("it",),
        ("Europe/Rome",),
        "EUR",
        _split("Francesco Giulia Niccolò Aurora Lorenzo Chiara"),
        _split("Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci"),
    ),
    Country(
        "NL",
        ("nl",),
        ("Europe/Amsterdam",),
        "EUR",
        _split("Daan Emma Sem Julia Lucas Tess Bram Anouk"),
        _split("de_Jong Jansen de_Vries van_den_Berg Bakker Visser Smit Meijer"),
    ),
    Country(
        "NO",
        ("nb",),
        ("Europe/Oslo",),
        "EUR",
        _split("Jakob Nora Emil Ingrid Øystein Åse Sindre Tiril"),
        _split("Hansen Johansen Olsen Larsen Sørensen Bjørnstad Dahl Lønning"),
    ),
    Country(
        "DK",
        ("da",),
        ("Europe/Copenhagen",),
        "EUR",
        _split("William Ida Søren Freja Mads Astrid"),
        _split("Jensen Nielsen Pedersen Sørensen Møller Kjær"),
    ),
    Country(
        "SE",
        ("sv",),
        ("Europe/Stockholm",),
        "EUR",
        _split("Elias Maja Åke Ebba Björn Linnéa"),
        _split("Andersson Johansson Karlsson Nilsson Ångström Öberg"),
    ),
    Country(
        "PL",
        ("pl",),
        ("Europe/Warsaw",),
        "EUR",
        _split("Jakub Zofia Łukasz Małgorzata Paweł Agnieszka"),
        _split("Nowak Kowalski Wiśniewski Wójcik Kamiński Zieliński"),
    ),
    Country(
        "TR",
        ("tr",),
        ("Europe/Istanbul",),
        "EUR",
        _split("Yusuf Zeynep Emir Elif Çağan Ayşe Gökhan Şule"),
        _split("Yılmaz Kaya Demir Şahin Çelik Öztürk Aydın Doğan"),
    ),
    Country(
        "CN",
        ("zh",),
        ("Asia/Shanghai", "Asia/Urumqi"),
        "CNY",
        _split("伟 芳 娜 敏 静 磊 洋 婷"),
        _split("王 李 张 刘 陈 杨 黄 赵"),
        family_first=True,
        romanized=_ZH,
    ),
    Country(
        "JP",
        ("ja",),
        ("Asia/Tokyo",),
        "USD",
        _split("翔太 陽菜 大輝 さくら 結衣 蓮"),
        _split("佐藤 鈴木 高橋 田中 伊藤 渡辺"),
        family_first=True,
        romanized=_JA,
    ),
    Country(
        "KR",
        ("ko",),
        ("Asia/Seoul",),
        "USD",
        _split("민준 서연 지호 하은 도윤 지우"),
        _split("김 이 박 최 정 강"),
        family_first=True,
        romanized=_KO,
    ),
    Country(
        "TW",
        ("zh-TW",),
        ("Asia/Taipei",),
        "USD",
        _split("志明 淑芬 家豪 怡君"),
        _split("林 陳 吳 蔡"),
        family_first=True,
        romanized=_ZH,
    ),
    Country(
        "VN",
        ("vi",),
        ("Asia/Ho_Chi_Minh",),
        "USD",
        _split("Minh Lan Đức Hương Tuấn Ngọc"),
        _split("Nguyễn Trần Lê Phạm Hoàng Võ"),
    ),
    Country(
        "NG",
        ("en",),
        ("Africa/Lagos",),
        "USD",
        _split("Chinedu Ngozi Tunde Aisha Emeka Funmilayo"),
        _split("Okafor Adeyemi Bello Eze Okonkwo Balogun"),
    ),
    Country(
        "EG",
        ("ar", "en"),
        ("Africa/Cairo",),
        "USD",
        _split("Omar Nour Youssef Mariam Karim Salma"),
        _split("Hassan Mahmoud Ibrahim Mostafa Farouk Saleh"),
    ),
    Country(
        "ZA",
        ("en", "af"),
        ("Africa/Johannesburg",),
        "USD",
        _split("Thabo Lerato Pieter Anika Sipho Zanele"),
        _split("Nkosi Dlamini van_der_Merwe Botha Mokoena Naidoo"),
    ),
)


def full_name(country: Country, first: str, last: str) -> str:
    """Display name in the country's order; underscores in name parts stand for spaces."""
    first, last = first.replace("_", " "), last.replace("_", " ")
    if not country.family_first:
        return f"{first} {last}"
    return f"{last} {first}" if country.code == "KR" else f"{last}{first}"


def ascii_part(country: Country, part: str) -> str:
    """A name part spelled for an email address: CJK romanized, accents dropped, lower case."""
    if country.romanized:
        part = country.romanized.get(part, part)
    folded = unicodedata.normalize(
        "NFKD",
        part.replace("ø", "o")
        .replace("Ø", "O")
        .replace("ł", "l")
        .replace("Ł", "L")
        .replace("đ", "d")
        .replace("Đ", "D")
        .replace("ı", "i"),
    )
    return re.sub(r"[^a-z]", "", folded.encode("ascii", "ignore").decode().lower()) or "learner"


def slugify(text: str) -> str:
    """URL slug of a title: accents folded, non-alphanumerics collapsed into hyphens."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "course"
