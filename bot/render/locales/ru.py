"""The bot's own wording in Russian, keyed by its English (see `bot.render.locales`)."""

from __future__ import annotations

from bot.answers.daily import UNKNOWN_ZONE
from bot.answers.help import EXTRACTION, PRIVACY, SOURCES

MONTHS = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
MONTHS_OF = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)  # genitive: '14 ноября'

CATALOGUE: dict[str, str] = {
    # Discord: command, option and menu names, and their descriptions
    "timeline": "хронология",
    "quote": "цитата",
    "island": "остров",
    "source": "источник",
    "about": "о-боте",
    "help": "помощь",
    "daily": "ежедневно",
    "subscribe": "подписаться",
    "unsubscribe": "отписаться",
    "status": "статус",
    "preview": "предпросмотр",
    "check": "проверить",
    "Check quotes": "Проверить цитаты",
    "from": "с",
    "to": "по",
    "speaker": "автор",
    "name": "название",
    "article": "статья",
    "text": "текст",
    "channel": "канал",
    "time": "время",
    "timezone": "часовой-пояс",
    "date": "дата",
    "private": "лично",
    "Dated events about the peace treaty and the islands, in date order, with sources": "События о мирном договоре и островах по датам, с источниками",
    "Direct quotes with speaker, date and source": "Прямые цитаты с автором, датой и источником",
    "The history of an island, with sources": "История острова с источниками",
    "An article behind the citations: title, outlet, date, link and text": "Статья-источник: заголовок, издание, дата, ссылка и текст",
    "What this bot is and which articles it knows": "Что это за бот и какие статьи он знает",
    "Every command with an example, where the facts come from, and what the bot keeps": "Все команды с примерами, откуда берутся факты и что бот хранит",
    "Daily history snippets for a channel": "Ежедневные исторические заметки для канала",
    "Post a daily history snippet to a channel": "Публиковать ежедневную заметку в канале",
    "Stop the daily snippet in a channel": "Остановить ежедневные заметки в канале",
    "Show this server's daily snippet subscriptions": "Показать подписки этого сервера",
    "Show the snippet that would be posted next": "Показать следующую заметку",
    "First year (e.g. 1956)": "Первый год (напр. 1956)",
    "Last year (e.g. 1960)": "Последний год (напр. 1960)",
    "Topic words, e.g. joint declaration": "Тема, напр. joint declaration",
    "Words from the quote": "Слова из цитаты",
    "Who said it": "Кто сказал",
    "Island name in English, Japanese or Russian": "Название острова (англ., яп. или рус.)",
    "Article id as shown in citations, or title words": "Идентификатор статьи из ссылок или слова заголовка",
    "Is a quotation in the sources: word for word, changed, cut, or said by someone else?": "Есть ли цитата в источниках: дословно, изменена, урезана или чужая?",
    "The quotation to check (quotation marks optional)": "Цитата для проверки (кавычки не обязательны)",
    "Who it is said to be by": "Кому она приписана",
    "Channel to post in": "Канал для публикации",
    "Local time, HH:MM (24h)": "Местное время ЧЧ:ММ (24 ч)",
    "Time zone, e.g. Asia/Tokyo": "Часовой пояс, напр. Europe/Moscow",
    "Local date, YYYY-MM-DD (default: today)": "Местная дата ГГГГ-ММ-ДД (по умолчанию сегодня)",
    "Only you see the answer": "Ответ увидите только вы",
    "Channel to stop posting in": "Канал, где остановить публикации",
    # dates
    "undated": "без даты",
    "{year}": "{year} г.",
    "{month} {year}": "{month} {year} г.",
    "{day} {month_of} {year}": "{day} {month_of} {year} г.",
    # empty answers
    "No dated events match": "Подходящих событий нет",
    "Nothing matched {scope}.": "Ничего не найдено: {scope}.",
    "Nothing matched.": "Ничего не найдено.",
    "about {topic}": "по теме {topic}",
    "No such speaker": "Такого автора нет",
    "Nobody called {name} is quoted in the articles.": "В статьях нет цитат человека по имени {name}.",
    "No quotes match": "Подходящих цитат нет",
    "Try fewer or other words.": "Попробуйте меньше слов или другие слова.",
    "No such island": "Такого острова нет",
    "No island called {name} in the gazetteer.": "В справочнике нет острова {name}.",
    "Nothing to check": "Нечего проверять",
    "The message has no words to check.": "В сообщении нет слов для проверки.",
    "No such article": "Такой статьи нет",
    "No article matches {query}. Citations name articles by id, e.g. `004_ca3b18b3347b43dc`.": (
        "Нет статьи, подходящей под {query}. В ссылках статьи указаны по идентификатору, "
        "напр. `004_ca3b18b3347b43dc`."
    ),
    "Nothing to post": "Нечего публиковать",
    "The fact store has no dated events yet.": "В базе фактов пока нет датированных событий.",
    "No facts about it in the articles yet.": "В статьях пока нет фактов об этом острове.",
    "Did you mean": "Возможно, вы имели в виду",
    "Did you mean: {names}?": "Возможно, вы имели в виду: {names}?",
    "No such speaker. Did you mean: {names}?": "Такого автора нет. Возможно, вы имели в виду: {names}?",
    # islands
    "Background from {source}": "Справка: {source}",
    "Group facts: {group}": "Факты о группе: {group}",
    "{count} fact about {name}": "{name}: фактов — {count}",
    "{count} facts about {name}": "{name}: фактов — {count}",
    ", {count} about its groups": ", о его группах — {count}",
    "Also: {aliases}": "Другие названия: {aliases}",
    "Fact": "Факт",
    # timelines, quotes, sources
    "Timeline": "Хронология",
    "Timeline {scope}": "Хронология {scope}",
    "Timeline — {shown} of {total} events": "Хронология — {shown} из {total} событий",
    "{shown} of {total} events": "{shown} из {total} событий",
    "{shown} of {total} quotes": "{shown} из {total} цитат",
    "Page {n}/{pages}": "Страница {n}/{pages}",
    "searched for “{text}”": "искали «{text}»",
    "(searched for: {text})": "(искали: {text})",
    "Date": "Дата",
    "Event": "Событие",
    "Quotes": "Цитаты",
    "Quotes by {speaker}": "Цитаты: {speaker}",
    "Quotes about “{topic}”": "Цитаты по теме «{topic}»",
    "Quotes by {speaker} about “{topic}”": "Цитаты: {speaker}, по теме «{topic}»",
    "partial": "фрагмент",
    "(partial quote)": "(фрагмент цитаты)",
    "Sources": "Источники",
    "Sources (cont.)": "Источники (продолжение)",
    "Source": "Источник",
    "More sources": "Другие источники",
    "…and {count} more citations; `/source` shows any article.": (
        "…и ещё ссылок: {count}; `/source` покажет любую статью."
    ),
    "Unknown outlet": "Издание неизвестно",
    "date unknown": "дата неизвестна",
    "unknown": "неизвестно",
    "(no text)": "(нет текста)",
    "Outlet": "Издание",
    "Published": "Опубликовано",
    "Article": "Статья",
    "Link": "Ссылка",
    "How the date was established": "Как установлена дата",
    "Date: {note}": "Дата: {note}",
    # daily snippets
    "On this day in {year}": "В этот день в {year} году",
    "From the history: {date}": "Из истории: {date}",
    "Daily snippet for {date} ({timezone})": "Заметка дня на {date} ({timezone})",
    "fact {key}": "факт {key}",
    # checks
    "Verbatim": "Дословно",
    "Trimmed": "С сокращениями",
    "Altered": "Изменено",
    "Said by someone else": "Сказал другой человек",
    "Not in the sources": "Нет в источниках",
    "{verdict} · as {speaker}'s": "{verdict} · как слова: {speaker}",
    "as {speaker}'s": "как слова: {speaker}",
    "These words are in the sources, word for word.": "Эти слова есть в источниках дословно.",
    "These words are part of a longer quotation; what was left out is shown.": (
        "Эти слова — часть более длинной цитаты; пропущенное показано."
    ),
    "A source says nearly this; the words that differ are listed.": (
        "В источнике сказано почти то же; отличающиеся слова перечислены."
    ),
    "A negation was added or dropped: the meaning is turned around.": (
        "Отрицание добавлено или убрано: смысл обращён в противоположный."
    ),
    "These words are in the sources, but {said_by} said them, not {claimed}.": (
        "Эти слова есть в источниках, но их сказал(а) {said_by}, а не {claimed}."
    ),
    "someone else": "кто-то другой",
    "the speaker named": "названный автор",
    "Nothing close to these words in the {articles} articles searched. "
    "That is all it means: a quotation can be real and simply not in these articles.": (
        "В просмотренных статьях ({articles}) нет ничего похожего на эти слова. "
        "Только это и означает: цитата может быть настоящей, но отсутствовать в этих статьях."
    ),
    "What differs": "Что отличается",
    "The source: “{text}”": "Источник: «{text}»",
    "changed: {claimed} where the source says {said}": "изменено: {claimed}, а в источнике {said}",
    "added: {claimed} is not in the source": "добавлено: {claimed} — этого нет в источнике",
    "dropped: the source also says {said}": "пропущено: в источнике есть ещё {said}",
    "left out before: {text}": "пропущено до: {text}",
    "left out after: {text}": "пропущено после: {text}",
    # help
    "Kuril Islands fact bot — help": "Бот фактов о Курильских островах — помощь",
    "Command": "Команда",
    "What it does": "Что делает",
    "Example": "Пример",
    "e.g.": "напр.",
    "(servers only)": "(только на серверах)",
    "Discord servers only": "только на серверах Discord",
    "Add `private:True` to an answer command and only you see the answer.": (
        "Добавьте `private:True` к команде, и ответ увидите только вы."
    ),
    "How facts are extracted": "Как извлекаются факты",
    "Privacy": "Конфиденциальность",
    "Links": "Ссылки",
    "{count} articles": "статей: {count}",
    "**{count}** articles": "статей: **{count}**",
    ", published {first} to {last}": ", опубликованных с {first} по {last}",
    ", from {outlets}": ", издания: {outlets}",
    " and others": " и другие",
    "Now: {corpus}.": "Сейчас: {corpus}.",
    "Post a daily history snippet to a channel (needs Manage Server)": (
        "Публиковать ежедневную заметку в канале (нужно право «Управлять сервером»)"
    ),
    "Stop the daily snippet in a channel (needs Manage Server)": (
        "Остановить ежедневные заметки в канале (нужно право «Управлять сервером»)"
    ),
    "Checks the quotations in a message, at most five (all of it when it quotes none); only you see the answer": (
        "Проверяет цитаты в сообщении, не больше пяти (всё сообщение, если цитат нет); ответ видите только вы"
    ),
    SOURCES: (
        "Все факты взяты из новостных статей о мирном договоре между Японией и Россией и споре о Курильских "
        "островах — поставляемых с ботом или добавленных его владельцем, и каждый ответ ссылается на них: "
        "издание, дата, ссылка и точный отрывок. `/source` показывает статью целиком, `/about` — список всех."
    ),
    EXTRACTION: (
        "Служебные элементы страницы удаляются; текст делится на предложения по правилам для новостей. "
        "Цитаты — это прямая речь, автор которой определяется по имени, местоимению или описанию должности в "
        "той же статье; цитаты без автора отбрасываются. Даты находятся по грамматике дат; относительные "
        "даты («в декабре прошлого года») отсчитываются от даты публикации статьи и никогда не угадываются. "
        "Один и тот же факт из нескольких статей — один факт со всеми источниками."
    ),
    PRIVACY: (
        "Бот хранит только две вещи. Подписки на ежедневные заметки: сервер, канал, время и часовой пояс, "
        "кто её настроил, и журнал того, что и где опубликовано. Параметры ответов с кнопками страниц "
        "(например, годы и тема хронологии), чтобы кнопки работали после перезапуска: 1000 последних, "
        "не дольше 30 дней после последнего запроса. Он не читает и не хранит то, что пишут участники: у "
        "него нет доступа к содержимому сообщений, кроме сообщения, которое участник попросил проверить "
        "через меню «Проверить цитаты», — его он читает для этого ответа и ничего из него не хранит; об "
        "участниках он хранит только идентификатор пользователя, настроившего подписку. Кнопки страниц "
        "содержат идентификатор спросившего (в сообщении, а не в хранилище бота), чтобы страницы листал "
        "только он. После сбоя во время публикации заметки бот просматривает 25 последних сообщений канала в "
        "поисках своей публикации, чтобы опубликовать её ровно один раз, и ничего из них не хранит."
    ),
    # errors
    "Which island? Try `/island Shikotan` or `/island 択捉島`.": (
        "Какой остров? Попробуйте `/island Shikotan` или `/island 択捉島`."
    ),
    "Which article? Try `/source 004` — citations show each article's id.": (
        "Какая статья? Попробуйте `/source 004` — в ссылках указан идентификатор каждой статьи."
    ),
    "Give the words of the quotation to check, e.g. `/check text:We will not give up`.": (
        "Укажите слова цитаты для проверки, напр. `/check text:We will not give up`."
    ),
    "`{option}` must be a year such as 1956, not {value}.": (
        "`{option}` должен быть годом, например 1956, а не {value}."
    ),
    "`{option}` must be a year between {first} and {last}.": "`{option}` должен быть годом от {first} до {last}.",
    "`limit` must be a whole number, not {value}.": "`limit` должен быть целым числом, а не {value}.",
    "`limit` must be at least 1.": "`limit` должен быть не меньше 1.",
    "`to` ({end}) is before `from` ({start}); swap them to see {end}–{start}.": (
        "`to` ({end}) раньше, чем `from` ({start}); поменяйте их местами, чтобы увидеть {end}–{start}."
    ),
    UNKNOWN_ZONE: (
        "Часовой пояс {value} мне неизвестен. Используйте имя IANA, например Asia/Tokyo, Europe/Moscow или "
        "America/New_York, либо UTC, JST, MSK."
    ),
    "{value} is not a date I understand. Use YYYY-MM-DD, for example 2026-10-19.": (
        "Не могу понять дату {value}. Используйте формат ГГГГ-ММ-ДД, например 2026-10-19."
    ),
    "Commands start with `/`, e.g. `/island Shikotan`. Type /help for the list.": (
        "Команды начинаются с `/`, напр. `/island Shikotan`. Список — /help."
    ),
    "Unknown command `/{name}`. Commands: {commands}.": "Неизвестная команда `/{name}`. Команды: {commands}.",
    "`/{name}` takes no text.": "`/{name}` не принимает текст.",
    "These results have expired. Please run the command again.": (
        "Срок действия этих результатов истёк. Выполните команду ещё раз."
    ),
    "Daily snippets are set up in a server channel, not in direct messages.": (
        "Ежедневные заметки настраиваются в канале сервера, а не в личных сообщениях."
    ),
    "Slow down a little: try again in {seconds} s.": "Чуть помедленнее: попробуйте снова через {seconds} с.",
    "You need the **Manage Server** permission for that.": "Для этого нужно право **Управлять сервером**.",
    "I could not read the value {value}. Please pick one from the list.": (
        "Не удалось прочитать значение {value}. Выберите его из списка."
    ),
    "Something went wrong on my side. The operators have been told; please try again later.": (
        "У меня что-то пошло не так. Операторы уведомлены; попробуйте позже."
    ),
    "(Chart skipped: one chart per person every {seconds} s.)": (
        "(Без графика: не больше одного графика на человека раз в {seconds} с.)"
    ),
    "(Chart skipped: it could not be drawn; the events are all below.)": (
        "(Без графика: его не удалось построить; все события ниже.)"
    ),
    "(Chart skipped: the bot is busy answering others; ask again shortly.)": (
        "(Без графика: бот занят ответами другим; спросите чуть позже.)"
    ),
    "(Chart skipped: the bot is busy drawing other charts; ask again shortly.)": (
        "(Без графика: бот занят другими графиками; спросите чуть позже.)"
    ),
    # about
    "Kuril Islands fact bot": "Бот фактов о Курильских островах",
    (
        "Cited facts about the Japan–Russia peace treaty and the Kuril Islands (Northern Territories) dispute, "
        "extracted from news articles. Every answer names its sources: outlet, date, link and the exact "
        "passage; `/source` shows any article in full."
    ): (
        "Факты со ссылками о мирном договоре между Японией и Россией и споре о Курильских островах "
        "(«Северных территориях»), извлечённые из новостных статей. Каждый ответ называет источники: издание, "
        "дату, ссылку и точный отрывок; `/source` показывает любую статью целиком."
    ),
    (
        "{articles} articles · {events} dated events · {quotes} quotes from {speakers} speakers · "
        "{island_facts} island facts"
    ): (
        "статей: {articles} · датированных событий: {events} · цитат: {quotes} (авторов: {speakers}) · "
        "фактов об островах: {island_facts}"
    ),
    "Articles": "Статьи",
    "Title": "Заголовок",
    "{count} articles in all": "Всего статей: {count}",
    "Store built {when} UTC": "База собрана {when} UTC",
    "Skipped: {files}": "Пропущено: {files}",
    # page buttons
    "⏮ First": "⏮ В начало",
    "◀ Previous": "◀ Назад",
    "Next ▶": "Вперёд ▶",
    "Last ⏭": "В конец ⏭",
}
