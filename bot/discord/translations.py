"""Command names and descriptions in Japanese and Russian (Discord shows them in the user's language)."""

from __future__ import annotations

import discord
from discord import app_commands

# English text → {locale: translation}. Names follow Discord's rule: lower case, no spaces, 1–32 chars.
TRANSLATIONS: dict[str, dict[discord.Locale, str]] = {
    # command and group names
    "timeline": {discord.Locale.japanese: "年表", discord.Locale.russian: "хронология"},
    "quote": {discord.Locale.japanese: "発言", discord.Locale.russian: "цитата"},
    "island": {discord.Locale.japanese: "島", discord.Locale.russian: "остров"},
    "source": {discord.Locale.japanese: "出典", discord.Locale.russian: "источник"},
    "about": {discord.Locale.japanese: "概要", discord.Locale.russian: "о-боте"},
    "help": {discord.Locale.japanese: "ヘルプ", discord.Locale.russian: "помощь"},
    "daily": {discord.Locale.japanese: "毎日", discord.Locale.russian: "ежедневно"},
    "subscribe": {discord.Locale.japanese: "登録", discord.Locale.russian: "подписаться"},
    "unsubscribe": {discord.Locale.japanese: "解除", discord.Locale.russian: "отписаться"},
    "status": {discord.Locale.japanese: "状態", discord.Locale.russian: "статус"},
    "preview": {discord.Locale.japanese: "プレビュー", discord.Locale.russian: "предпросмотр"},
    "check": {discord.Locale.japanese: "検証", discord.Locale.russian: "проверить"},
    "Check quotes": {discord.Locale.japanese: "引用を検証", discord.Locale.russian: "Проверить цитаты"},
    # option names
    "from": {discord.Locale.japanese: "開始年", discord.Locale.russian: "с"},
    "to": {discord.Locale.japanese: "終了年", discord.Locale.russian: "по"},
    "speaker": {discord.Locale.japanese: "発言者", discord.Locale.russian: "автор"},
    "name": {discord.Locale.japanese: "名前", discord.Locale.russian: "название"},
    "article": {discord.Locale.japanese: "記事", discord.Locale.russian: "статья"},
    "text": {discord.Locale.japanese: "本文", discord.Locale.russian: "текст"},
    "channel": {discord.Locale.japanese: "チャンネル", discord.Locale.russian: "канал"},
    "time": {discord.Locale.japanese: "時刻", discord.Locale.russian: "время"},
    "timezone": {discord.Locale.japanese: "タイムゾーン", discord.Locale.russian: "часовой-пояс"},
    "date": {discord.Locale.japanese: "日付", discord.Locale.russian: "дата"},
    "private": {discord.Locale.japanese: "非公開", discord.Locale.russian: "лично"},
    # descriptions
    "Dated events about the peace treaty and the islands, in date order, with sources": {
        discord.Locale.japanese: "平和条約と島々に関する出来事を年代順に出典付きで表示",
        discord.Locale.russian: "События о мирном договоре и островах по датам, с источниками",
    },
    "Direct quotes with speaker, date and source": {
        discord.Locale.japanese: "発言者・日付・出典付きの直接引用",
        discord.Locale.russian: "Прямые цитаты с автором, датой и источником",
    },
    "The history of an island, with sources": {
        discord.Locale.japanese: "島の歴史を出典付きで表示",
        discord.Locale.russian: "История острова с источниками",
    },
    "An article behind the citations: title, outlet, date, link and text": {
        discord.Locale.japanese: "出典記事のタイトル・媒体・日付・リンク・本文",
        discord.Locale.russian: "Статья-источник: заголовок, издание, дата, ссылка и текст",
    },
    "What this bot is and which articles it knows": {
        discord.Locale.japanese: "このボットと収録記事について",
        discord.Locale.russian: "Что это за бот и какие статьи он знает",
    },
    "Every command with an example, where the facts come from, and what the bot keeps": {
        discord.Locale.japanese: "全コマンドと使用例、事実の出典、ボットが保存する情報",
        discord.Locale.russian: "Все команды с примерами, откуда берутся факты и что бот хранит",
    },
    "Daily history snippets for a channel": {
        discord.Locale.japanese: "チャンネルへの毎日の歴史スニペット",
        discord.Locale.russian: "Ежедневные исторические заметки для канала",
    },
    "Post a daily history snippet to a channel": {
        discord.Locale.japanese: "チャンネルに毎日歴史スニペットを投稿",
        discord.Locale.russian: "Публиковать ежедневную заметку в канале",
    },
    "Stop the daily snippet in a channel": {
        discord.Locale.japanese: "チャンネルの毎日の投稿を停止",
        discord.Locale.russian: "Остановить ежедневные заметки в канале",
    },
    "Show this server's daily snippet subscriptions": {
        discord.Locale.japanese: "このサーバーの登録状況を表示",
        discord.Locale.russian: "Показать подписки этого сервера",
    },
    "Show the snippet that would be posted next": {
        discord.Locale.japanese: "次に投稿されるスニペットを表示",
        discord.Locale.russian: "Показать следующую заметку",
    },
    "First year (e.g. 1956)": {
        discord.Locale.japanese: "開始年（例: 1956）",
        discord.Locale.russian: "Первый год (напр. 1956)",
    },
    "Last year (e.g. 1960)": {
        discord.Locale.japanese: "終了年（例: 1960）",
        discord.Locale.russian: "Последний год (напр. 1960)",
    },
    "Topic words, e.g. joint declaration": {
        discord.Locale.japanese: "話題の語（例: joint declaration）",
        discord.Locale.russian: "Тема, напр. joint declaration",
    },
    "Words from the quote": {
        discord.Locale.japanese: "引用中の語",
        discord.Locale.russian: "Слова из цитаты",
    },
    "Who said it": {discord.Locale.japanese: "発言者", discord.Locale.russian: "Кто сказал"},
    "Island name in English, Japanese or Russian": {
        discord.Locale.japanese: "島の名前（英語・日本語・ロシア語）",
        discord.Locale.russian: "Название острова (англ., яп. или рус.)",
    },
    "Article id as shown in citations, or title words": {
        discord.Locale.japanese: "出典に表示される記事IDまたはタイトルの語",
        discord.Locale.russian: "Идентификатор статьи из ссылок или слова заголовка",
    },
    "Is a quotation in the sources: word for word, changed, cut, or said by someone else?": {
        discord.Locale.japanese: "引用が出典にあるか：そのまま・改変・省略・別人の発言かを確認",
        discord.Locale.russian: "Есть ли цитата в источниках: дословно, изменена, урезана или чужая?",
    },
    "The quotation to check (quotation marks optional)": {
        discord.Locale.japanese: "確認する引用（引用符は任意）",
        discord.Locale.russian: "Цитата для проверки (кавычки не обязательны)",
    },
    "Who it is said to be by": {
        discord.Locale.japanese: "発言したとされる人",
        discord.Locale.russian: "Кому она приписана",
    },
    "Channel to post in": {
        discord.Locale.japanese: "投稿先チャンネル",
        discord.Locale.russian: "Канал для публикации",
    },
    "Local time, HH:MM (24h)": {
        discord.Locale.japanese: "現地時刻 HH:MM（24時間制）",
        discord.Locale.russian: "Местное время ЧЧ:ММ (24 ч)",
    },
    "Time zone, e.g. Asia/Tokyo": {
        discord.Locale.japanese: "タイムゾーン（例: Asia/Tokyo）",
        discord.Locale.russian: "Часовой пояс, напр. Europe/Moscow",
    },
    "Local date, YYYY-MM-DD (default: today)": {
        discord.Locale.japanese: "現地の日付 YYYY-MM-DD（既定: 今日）",
        discord.Locale.russian: "Местная дата ГГГГ-ММ-ДД (по умолчанию сегодня)",
    },
    "Only you see the answer": {
        discord.Locale.japanese: "自分だけに回答を表示",
        discord.Locale.russian: "Ответ увидите только вы",
    },
    "Channel to stop posting in": {
        discord.Locale.japanese: "停止するチャンネル",
        discord.Locale.russian: "Канал, где остановить публикации",
    },
}


class FactTranslator(app_commands.Translator):
    """Looks command strings up in `TRANSLATIONS`; anything missing stays English."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        return TRANSLATIONS.get(string.message, {}).get(locale)
