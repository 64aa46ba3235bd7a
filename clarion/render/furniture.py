"""Fixed words of a document's furniture (cover notes, asks lead-ins, ENDS…), per language."""
from __future__ import annotations

#: one entry per phrase; each gives the text in every built-in language (English as fallback).
#: Placeholders: {date}, {name}, {title} (cover notes).
PHRASES: dict[str, dict[str, str]] = {
    "cover": {
        "en": "Please find below, for your information, the open letter we sent on {date} "
              "to {name}{title}.",
        "fr": "Nous vous transmettons ci-dessous, pour information, la lettre ouverte que "
              "nous avons adressée le {date} à {name}{title}.",
        "ru": "Направляем Вам для сведения открытое письмо от {date}, адресованное "
              "получателю: {name}{title}.",
        "az": "{date} tarixində göndərdiyimiz açıq məktubu (ünvançı: {name}{title}) "
              "məlumat üçün Sizə təqdim edirik.",
    },
    "copy": {"en": "Copy", "fr": "Copie", "ru": "Копия", "az": "Surət"},
    "asks:open-letter": {
        "en": "We urge you to:", "fr": "Nous vous demandons de\u00a0:",
        "ru": "Мы призываем Вас:", "az": "Sizi aşağıdakılara çağırırıq:",
    },
    "asks": {
        "en": "We call on the authorities to:", "fr": "Nous appelons les autorités à\u00a0:",
        "ru": "Мы призываем власти:", "az": "Hakimiyyət orqanlarını aşağıdakılara çağırırıq:",
    },
    "ends": {"en": "ENDS", "fr": "Fin", "ru": "Конец", "az": "Son"},
    "media contact": {"en": "Media contact", "fr": "Contact presse",
                      "ru": "Контакты для СМИ", "az": "Media ilə əlaqə"},
    "notes to editors": {"en": "Notes to editors", "fr": "Notes aux rédactions",
                         "ru": "Примечания для редакций", "az": "Redaksiyalar üçün qeydlər"},
    "contact": {"en": "Contact", "fr": "Contact", "ru": "Контакты", "az": "Əlaqə"},
    "time": {"en": "Time", "fr": "Heure", "ru": "Время", "az": "Saat"},
    "court address": {"en": "Court address", "fr": "Adresse du tribunal",
                      "ru": "Адрес суда", "az": "Məhkəmənin ünvanı"},
    "case number": {"en": "Case number", "fr": "Numéro de l’affaire",
                    "ru": "Номер дела", "az": "İşin nömrəsi"},
    "observers": {"en": "Observers", "fr": "Observateurs", "ru": "Наблюдателям",
                  "az": "Müşahidəçilər"},
    "signature": {"en": "Signature", "fr": "Signature", "ru": "Подпись", "az": "İmza"},
    "phone": {"en": "Phone", "fr": "Tél.", "ru": "Тел.", "az": "Tel."},
}


def phrase(key: str, language: str) -> str:
    """The phrase `key` in `language`, else in English."""
    forms = PHRASES[key]
    return forms.get(language) or forms["en"]


def asks_intro(kind: str, language: str) -> str:
    """The default lead-in of a campaign's asks for its kind."""
    key = f"asks:{kind}"
    return phrase(key if key in PHRASES else "asks", language)
