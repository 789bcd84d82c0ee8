"""Ticket topics with subjects and descriptions in English, French and Chinese, rendered on read."""
from __future__ import annotations

from datetime import UTC, datetime

GROUPS = {
    360001: "Billing & Refunds",
    360002: "Certificates & Grades",
    360003: "Technical Support",
    360004: "Accounts & Privacy",
    360005: "Enterprise & Partners",
}

# topic: (group id, tags, relative frequency outside spikes)
TOPICS: dict[str, tuple[int, tuple[str, ...], float]] = {
    "refund": (360001, ("billing", "refund"), 0.16),
    "payment_failed": (360001, ("billing", "payment_failed"), 0.09),
    "subscription": (360001, ("billing", "subscription"), 0.08),
    "certificate": (360002, ("certificate",), 0.14),
    "deadline": (360002, ("deadline", "extension"), 0.13),
    "video": (360003, ("technical", "video"), 0.12),
    "login": (360003, ("technical", "login"), 0.12),
    "privacy": (360004, ("account", "privacy"), 0.06),
    "enterprise": (360005, ("enterprise",), 0.10),
    # spike topics: only drawn inside a labelled spike
    "outage": (360003, ("technical", "outage"), 0.0),
    "launch": (360002, ("enrolment", "course_launch"), 0.0),
    "payment_bug": (360001, ("billing", "double_charge"), 0.0),
    "exam_deadline": (360002, ("deadline", "exam"), 0.0),
}
TOPIC_NAMES = list(TOPICS)

# topic -> lang -> [(subject, description)]; {course} is C-dddd, {order} is ORD-yyyy-dddddd.
TEXTS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "refund": {
        "en": [("Refund request for {course}", "Hi, I paid for the verified certificate of {course} "
                "(order {order}) but I cannot follow the course after all. Could I get a refund? Thanks."),
               ("Charged for a course I don't want", "Hello, order {order} was charged on my card. "
                "I would like my money back, I never started the course.")],
        "fr": [("Demande de remboursement pour {course}", "Bonjour, j'ai payé le certificat du cours "
                "{course} (commande {order}) mais je ne peux finalement pas le suivre. "
                "Puis-je être remboursé(e) ? Merci."),
               ("Remboursement de la commande {order}", "Bonjour, je souhaite annuler ma commande {order}, "
                "je n'ai pas encore commencé le cours. Cordialement.")],
        "zh": [("申请退款 {course}", "您好，我为课程 {course} 的认证证书付了款（订单 {order}），"
                "但我无法继续学习。请问可以退款吗？谢谢。"),
               ("订单 {order} 退款", "你好，订单 {order} 已经扣款，但我还没有开始课程，希望申请退款。")],
    },
    "payment_failed": {
        "en": [("Payment keeps failing", "My card is declined every time I try to pay for {course}. "
                "The bank says everything is fine. What can I do?")],
        "fr": [("Le paiement échoue", "Ma carte est refusée à chaque tentative de paiement pour {course}. "
                "Ma banque dit que tout est normal.")],
        "zh": [("付款一直失败", "我尝试为 {course} 付款时银行卡总是被拒绝，银行说卡没有问题。")],
    },
    "subscription": {
        "en": [("Cancel my subscription", "Please cancel my monthly subscription before the next renewal. "
                "My last payment was order {order}.")],
        "fr": [("Résilier mon abonnement", "Merci de résilier mon abonnement mensuel avant le prochain "
                "renouvellement. Dernier paiement : commande {order}.")],
        "zh": [("取消订阅", "请在下次续费前取消我的月度订阅。上一次付款的订单是 {order}。")],
    },
    "certificate": {
        "en": [("Certificate not issued for {course}", "I passed all assignments of {course} last week "
                "but my certificate still shows 'in progress'."),
               ("Name on my certificate is wrong", "The name on my certificate for {course} is misspelled. "
                "Can you correct it?")],
        "fr": [("Certificat non délivré pour {course}", "J'ai réussi tous les devoirs de {course} la semaine "
                "dernière mais mon certificat est toujours « en cours ».")],
        "zh": [("{course} 证书未发放", "我上周已经完成了 {course} 的所有作业，但证书仍然显示“进行中”。")],
    },
    "deadline": {
        "en": [("Deadline extension for {course}", "I was ill this week. Could I get a few more days for "
                "the assignment in {course}?")],
        "fr": [("Prolongation d'échéance pour {course}", "J'ai été malade cette semaine. Serait-il possible "
                "d'avoir quelques jours de plus pour le devoir de {course} ?")],
        "zh": [("{course} 作业延期申请", "我这周生病了，请问 {course} 的作业可以延期几天吗？")],
    },
    "video": {
        "en": [("Videos won't play in {course}", "The lecture videos of {course} stop after a few seconds "
                "in Chrome and Firefox.")],
        "fr": [("Les vidéos ne se lancent pas", "Les vidéos du cours {course} s'arrêtent après quelques "
                "secondes, sur Chrome comme sur Firefox.")],
        "zh": [("{course} 视频无法播放", "{course} 的课程视频播放几秒后就停止了，换了浏览器也一样。")],
    },
    "login": {
        "en": [("Can't log in", "I reset my password twice but I still cannot log in to my account.")],
        "fr": [("Impossible de me connecter", "J'ai réinitialisé mon mot de passe deux fois mais je ne "
                "peux toujours pas me connecter.")],
        "zh": [("无法登录", "我已经重置了两次密码，但仍然无法登录我的账户。")],
    },
    "privacy": {
        "en": [("Delete my account and data", "Please erase my account and all personal data you hold.")],
        "fr": [("Suppression de mon compte", "Merci de supprimer mon compte et toutes mes données "
                "personnelles (RGPD).")],
        "zh": [("删除我的账户", "请删除我的账户以及所有个人数据。")],
    },
    "enterprise": {
        "en": [("Access through my employer", "My company sponsors my learning but {course} asks me to pay. "
                "Can you check my enterprise access?")],
        "fr": [("Accès via mon entreprise", "Mon entreprise finance ma formation mais {course} me demande "
                "de payer. Pouvez-vous vérifier ?")],
        "zh": [("公司赞助的课程要求付款", "我的公司赞助我的学习，但 {course} 仍然要求我付款，请帮忙检查。")],
    },
    "outage": {
        "en": [("Site down - cannot open any course", "Every page shows an error since this afternoon. "
                "I have a quiz due in {course}!")],
        "fr": [("Site inaccessible", "Toutes les pages affichent une erreur depuis cet après-midi. "
                "J'ai un quiz à rendre dans {course} !")],
        "zh": [("网站无法访问", "从今天下午开始所有页面都报错，我在 {course} 还有测验要交！")],
    },
    "launch": {
        "en": [("Enrolment question about the new {course}", "I want to join the new {course} launched "
                "this week. Is the verified track included in my plan?")],
        "fr": [("Inscription au nouveau cours {course}", "Je voudrais m'inscrire au nouveau cours {course} "
                "lancé cette semaine. Le parcours certifiant est-il inclus ?")],
        "zh": [("关于新课程 {course} 的报名", "我想报名本周新上线的 {course}，认证课程包含在我的套餐里吗？")],
    },
    "payment_bug": {
        "en": [("Charged twice for order {order}", "I was charged twice for order {order}. "
                "Please refund the duplicate payment.")],
        "fr": [("Débité deux fois", "J'ai été débité deux fois pour la commande {order}. Merci de rembourser "
                "le doublon.")],
        "zh": [("订单 {order} 重复扣款", "订单 {order} 被扣了两次款，请退还重复的款项。")],
    },
    "exam_deadline": {
        "en": [("Final exam deadline for {course}", "The final exam of {course} closes tomorrow and the "
                "submit button does not work.")],
        "fr": [("Date limite de l'examen {course}", "L'examen final de {course} ferme demain et le bouton "
                "d'envoi ne fonctionne pas.")],
        "zh": [("{course} 期末考试截止", "{course} 的期末考试明天截止，但提交按钮无法使用。")],
    },
}

AGENT_REPLIES = {
    "en": "Thanks for reaching out! I have looked into your account and updated your request.",
    "fr": "Merci de nous avoir contactés ! J'ai vérifié votre compte et mis à jour votre demande.",
    "zh": "感谢您的联系！我已经查看了您的账户并更新了您的请求。",
}
REQUESTER_FOLLOW_UPS = {
    "en": "Thank you, one more question about this.",
    "fr": "Merci, j'ai encore une question à ce sujet.",
    "zh": "谢谢，我还有一个相关的问题。",
}
INTERNAL_NOTE = "Checked the learner's record in the internal tools."


def course_id(n: int) -> str:
    """A catalogue course id from a number (the internal catalogue has C-0001 … C-1800)."""
    return f"C-{1 + n % 1800:04d}"


def order_id(year: int, n: int) -> str:
    """An order id in the payments system's format."""
    return f"ORD-{year}-{n % 1_000_000:06d}"


def render(topic: str, lang: str, variant: int, course_n: int, order_n: int,
           created_at: int) -> tuple[str, str]:
    """Subject and description of a generated ticket; a pure function of its stored fields."""
    options = TEXTS[topic][lang]
    subject, description = options[variant % len(options)]
    year = datetime.fromtimestamp(created_at, UTC).year
    values = {"course": course_id(course_n), "order": order_id(year, order_n)}
    return subject.format(**values), description.format(**values)
