"""Fixed records: the API user, ~40 agents, the persona requesters and demo tickets 1001-1007."""
from __future__ import annotations

from dataclasses import dataclass

from sandbox.internal import personas as p
from sandbox.zendesk import names
from sandbox.zendesk.texts import GROUPS

API_USER_ID = 1000
AGENT_IDS = list(range(1101, 1141))  # 40 agents
DEMO_REQUESTER_IDS = list(range(2001, 2008))
DEMO_TICKET_IDS = list(range(1001, 1008))
FIRST_HISTORY_TICKET_ID = 10_001
FIRST_HISTORY_USER_ID = 100_001
HOUR = 3_600


@dataclass(frozen=True)
class Persona:
    """A demo requester as Zendesk knows them (Zendesk does not know about erasures elsewhere)."""

    user_id: int
    name: str
    emails: tuple[str, ...]  # first is the primary identity
    lang: str
    external_id: str | None = None
    verified: tuple[str, ...] = ()  # the identities the person verified (registered, or signed in by SSO)


# A person who only ever e-mailed support has an unverified identity: Zendesk made it from the
# sender's address (its default: anybody can submit tickets, no registration or verification).
# Amélie also has an address someone added to her profile and nobody verified.
AMELIE_UNVERIFIED_EXTRA = "amelie.d@example.org"


PERSONAS = [
    Persona(2001, "Amélie Durand", (p.AMELIE_EMAIL, AMELIE_UNVERIFIED_EXTRA), "fr"),
    Persona(2002, "张伟", (p.WEI_EMAIL, p.WEI_WORK_EMAIL), "zh", verified=(p.WEI_WORK_EMAIL,)),
    Persona(2003, "Sam Taylor", (p.SAM_EMAIL,), "en", p.SAM_EXTERNAL_ID, verified=(p.SAM_EMAIL,)),
    Persona(2004, "Priya Raman", (p.PRIYA_EMAIL,), "en", verified=(p.PRIYA_EMAIL,)),
    Persona(2005, "Alex Morgan", (p.HEAVY_EMAIL,), "en"),  # as the learner systems know them
    Persona(2006, "Jordan Ellis", (p.ERASED_EMAIL,), "en"),
    Persona(2007, "Harper Quinn", (p.NOBODY_EMAIL,), "en"),
]

# Demo tickets that came through the help center's web form (the others were e-mailed from the
# requester's primary address): their requesters had registered, so their identities are verified.
WEB_FORM_TICKETS = (1003, 1004)

# ticket id, requester index, hours before generation, subject, description, tags, topic group
DEMO_TICKETS = [
    (1001, 0, 2, f"Demande de remboursement pour {p.AMELIE_RECENT_COURSE_ID}",
     f"Bonjour, j'ai payé il y a cinq jours le certificat vérifié du cours {p.AMELIE_RECENT_COURSE_ID} "
     f"« {p.AMELIE_RECENT_COURSE_TITLE} » (commande {p.AMELIE_RECENT_ORDER_ID}), mais je ne pourrai "
     "finalement pas le suivre. Est-il possible d'être remboursée ? Merci d'avance, Amélie",
     ("billing", "refund"), 360001),
    (1002, 1, 3, "订阅续费失败，账户无法使用",
     f"您好，我的月度订阅续费失败了（订单 {p.WEI_FAILED_ORDER_ID}），现在无法观看课程。"
     "我还有一个工作邮箱的账户，请帮我看看两个账户的情况。谢谢！张伟",
     ("billing", "subscription"), 360001),
    (1003, 2, 4, f"Extension for the {p.SAM_COURSE_ID} assignment",
     f"Hi team, my \"{p.SAM_DEADLINE_TITLE}\" in {p.SAM_COURSE_ID} ({p.SAM_COURSE_TITLE}) is due in two days "
     "and a project at work ate my week. My employer sponsors the course - could I get a short "
     "extension? Thanks, Sam", ("deadline", "extension"), 360002),
    (1004, 3, 5, f"Financial aid for {p.PRIYA_AID_COURSE_ID} and the certificate",
     f"Hello, my financial aid for {p.PRIYA_AID_COURSE_ID} ({p.PRIYA_AID_COURSE_TITLE}) was approved. "
     "Does it also cover the certificate, and can I switch my other audit courses to verified? "
     "Regards, Priya", ("certificate", "financial_aid"), 360002),
    (1005, 4, 6, "Invoice copies for all my orders",
     "Hi, my accountant needs copies of every invoice from this year - I have a lot of orders. "
     "Could you send them for C-0319 and everything else? Thanks", ("billing", "invoice"), 360001),
    (1006, 5, 8, "Please confirm my data was deleted",
     "Hello, I asked for my account to be erased last month. Can you confirm that all my personal "
     "data is gone?", ("account", "privacy"), 360004),
    (1007, 6, 10, "Can't find my account after paying",
     "Hi, I paid for C-0233 with my card but when I log in with this address there is no account. "
     "What happened?", ("account", "login"), 360004),
]


def agent_rows(created_at: int) -> list[tuple]:
    """users rows for the API user and the agents, each agent in one of the groups."""
    group_ids = list(GROUPS)
    rows = [(API_USER_ID, "Demo Agent", "agent@demo.example", "admin", "en-US", names.LANGS["en"][1],
             names.LANGS["en"][2], None, created_at, created_at, group_ids[0], "en")]
    for n, user_id in enumerate(AGENT_IDS):
        name, email = names.agent(n)
        rows.append((user_id, name, email, "agent", "en-US", "London", "Europe/London", None,
                     created_at, created_at, group_ids[n % len(group_ids)], "en"))
    return rows


def persona_rows(created_at: int) -> tuple[list[tuple], list[tuple]]:
    """users and identities rows of the seven persona requesters."""
    users, identities = [], []
    for persona in PERSONAS:
        locale, tz, iana, _ = names.LANGS[persona.lang]
        users.append((persona.user_id, persona.name, persona.emails[0], "end-user", locale, tz, iana,
                      persona.external_id, created_at, created_at, None, persona.lang))
        for position, email in enumerate(persona.emails):
            identities.append((persona.user_id * 10 + position, persona.user_id, "email", email,
                               int(email in persona.verified), int(position == 0), created_at))
    return users, identities


def agent_for(ticket_id: int) -> int:
    """The agent a demo ticket is assigned to (stable, spread over the team)."""
    return AGENT_IDS[(ticket_id * 7) % len(AGENT_IDS)]


def ticket_rows(now: int) -> list[dict]:
    """Demo tickets as column dicts, created a few hours before `now` and still open."""
    rows = []
    for ticket_id, who, hours_ago, subject, description, tags, group_id in DEMO_TICKETS:
        persona = PERSONAS[who]
        created = now - hours_ago * HOUR
        rows.append({
            "id": ticket_id, "requester_id": persona.user_id, "submitter_id": persona.user_id,
            "assignee_id": agent_for(ticket_id), "group_id": group_id, "lang": persona.lang,
            "topic": None, "variant": 0, "course_n": 0, "order_n": 0, "subject": subject,
            "description": description, "status": "open", "priority": "normal", "type": "question",
            "channel": "web" if ticket_id in WEB_FORM_TICKETS else "email", "tags": " ".join(tags),
            "created_at": created, "updated_at": created + 600,
            "spike": None, "replies": 0, "reopens": 0, "assigned_at": created + 600,
            "initially_assigned_at": created + 600, "first_reply_at": None, "reply_cal": None,
            "reply_bus": None, "first_solved_at": None, "solved_at": None, "first_res_cal": None,
            "first_res_bus": None, "full_res_cal": None, "full_res_bus": None, "closed_at": None,
            "deleted_at": None, "latest_comment_at": created,
        })
    return rows
