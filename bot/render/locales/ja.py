"""The bot's own wording in Japanese, keyed by its English (see `bot.render.locales`)."""

from __future__ import annotations

from bot.answers.daily import UNKNOWN_ZONE
from bot.answers.help import EXTRACTION, PRIVACY, SOURCES

MONTHS = ("1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月")
MONTHS_OF = MONTHS  # a month reads the same with a day as alone

CATALOGUE: dict[str, str] = {
    # Discord: command, option and menu names, and their descriptions
    "timeline": "年表",
    "quote": "発言",
    "island": "島",
    "source": "出典",
    "about": "概要",
    "help": "ヘルプ",
    "daily": "毎日",
    "subscribe": "登録",
    "unsubscribe": "解除",
    "status": "状態",
    "preview": "プレビュー",
    "check": "検証",
    "Check quotes": "引用を検証",
    "from": "開始年",
    "to": "終了年",
    "speaker": "発言者",
    "name": "名前",
    "article": "記事",
    "text": "本文",
    "channel": "チャンネル",
    "time": "時刻",
    "timezone": "タイムゾーン",
    "date": "日付",
    "private": "非公開",
    "Dated events about the peace treaty and the islands, in date order, with sources": "平和条約と島々に関する出来事を年代順に出典付きで表示",
    "Direct quotes with speaker, date and source": "発言者・日付・出典付きの直接引用",
    "The history of an island, with sources": "島の歴史を出典付きで表示",
    "An article behind the citations: title, outlet, date, link and text": "出典記事のタイトル・媒体・日付・リンク・本文",
    "What this bot is and which articles it knows": "このボットと収録記事について",
    "Every command with an example, where the facts come from, and what the bot keeps": "全コマンドと使用例、事実の出典、ボットが保存する情報",
    "Daily history snippets for a channel": "チャンネルへの毎日の歴史スニペット",
    "Post a daily history snippet to a channel": "チャンネルに毎日歴史スニペットを投稿",
    "Stop the daily snippet in a channel": "チャンネルの毎日の投稿を停止",
    "Show this server's daily snippet subscriptions": "このサーバーの登録状況を表示",
    "Show the snippet that would be posted next": "次に投稿されるスニペットを表示",
    "First year (e.g. 1956)": "開始年（例: 1956）",
    "Last year (e.g. 1960)": "終了年（例: 1960）",
    "Topic words, e.g. joint declaration": "話題の語（例: joint declaration）",
    "Words from the quote": "引用中の語",
    "Who said it": "発言者",
    "Island name in English, Japanese or Russian": "島の名前（英語・日本語・ロシア語）",
    "Article id as shown in citations, or title words": "出典に表示される記事IDまたはタイトルの語",
    "Is a quotation in the sources: word for word, changed, cut, or said by someone else?": "引用が出典にあるか：そのまま・改変・省略・別人の発言かを確認",
    "The quotation to check (quotation marks optional)": "確認する引用（引用符は任意）",
    "Who it is said to be by": "発言したとされる人",
    "Channel to post in": "投稿先チャンネル",
    "Local time, HH:MM (24h)": "現地時刻 HH:MM（24時間制）",
    "Time zone, e.g. Asia/Tokyo": "タイムゾーン（例: Asia/Tokyo）",
    "Local date, YYYY-MM-DD (default: today)": "現地の日付 YYYY-MM-DD（既定: 今日）",
    "Only you see the answer": "自分だけに回答を表示",
    "Channel to stop posting in": "停止するチャンネル",
    # dates
    "undated": "日付不明",
    "{year}": "{year}年",
    "{month} {year}": "{year}年{month}",
    "{day} {month_of} {year}": "{year}年{month_of}{day}日",
    # empty answers
    "No dated events match": "該当する出来事はありません",
    "Nothing matched {scope}.": "{scope}に該当するものはありません。",
    "Nothing matched.": "該当するものはありません。",
    "about {topic}": "{topic}について",
    "No such speaker": "該当する発言者はいません",
    "Nobody called {name} is quoted in the articles.": "{name}という人物の発言は記事にありません。",
    "No quotes match": "該当する引用はありません",
    "Try fewer or other words.": "語を減らすか、別の語でお試しください。",
    "No such island": "該当する島はありません",
    "No island called {name} in the gazetteer.": "地名辞典に{name}という島はありません。",
    "Nothing to check": "確認するものがありません",
    "The message has no words to check.": "メッセージに確認できる語がありません。",
    "No such article": "該当する記事はありません",
    "No article matches {query}. Citations name articles by id, e.g. `004_ca3b18b3347b43dc`.": (
        "{query}に該当する記事はありません。出典では記事をIDで示します（例: `004_ca3b18b3347b43dc`）。"
    ),
    "Nothing to post": "投稿するものがありません",
    "The fact store has no dated events yet.": "事実データベースにはまだ日付のある出来事がありません。",
    "No facts about it in the articles yet.": "この島に関する事実はまだ記事にありません。",
    "Did you mean": "もしかして",
    "Did you mean: {names}?": "もしかして: {names}",
    "No such speaker. Did you mean: {names}?": "該当する発言者はいません。もしかして: {names}",
    # islands
    "Background from {source}": "背景情報の出典: {source}",
    "Group facts: {group}": "{group}に関する事実",
    "{count} fact about {name}": "{name}に関する事実{count}件",
    "{count} facts about {name}": "{name}に関する事実{count}件",
    ", {count} about its groups": "、所属する諸島に関する事実{count}件",
    "Also: {aliases}": "別名: {aliases}",
    "Fact": "事実",
    # timelines, quotes, sources
    "Timeline": "年表",
    "Timeline {scope}": "年表 {scope}",
    "Timeline — {shown} of {total} events": "年表 — 全{total}件中{shown}件",
    "{shown} of {total} events": "全{total}件中{shown}件の出来事",
    "{shown} of {total} quotes": "全{total}件中{shown}件の引用",
    "Page {n}/{pages}": "{n}/{pages}ページ",
    "searched for “{text}”": "「{text}」で検索",
    "(searched for: {text})": "（「{text}」で検索）",
    "Date": "日付",
    "Event": "出来事",
    "Quotes": "引用",
    "Quotes by {speaker}": "{speaker}の発言",
    "Quotes about “{topic}”": "「{topic}」に関する引用",
    "Quotes by {speaker} about “{topic}”": "「{topic}」に関する{speaker}の発言",
    "partial": "一部",
    "(partial quote)": "（引用の一部）",
    "Sources": "出典",
    "Sources (cont.)": "出典（続き）",
    "Source": "出典",
    "More sources": "その他の出典",
    "…and {count} more citations; `/source` shows any article.": "…ほか{count}件。`/source`でどの記事も表示できます。",
    "Unknown outlet": "媒体不明",
    "date unknown": "日付不明",
    "unknown": "不明",
    "(no text)": "（本文なし）",
    "Outlet": "媒体",
    "Published": "公開日",
    "Article": "記事",
    "Link": "リンク",
    "How the date was established": "日付の根拠",
    "Date: {note}": "日付: {note}",
    # daily snippets
    "On this day in {year}": "{year}年の今日",
    "From the history: {date}": "歴史から: {date}",
    "Daily snippet for {date} ({timezone})": "{date}（{timezone}）の毎日のスニペット",
    "fact {key}": "事実 {key}",
    # checks
    "Verbatim": "原文どおり",
    "Trimmed": "省略あり",
    "Altered": "改変あり",
    "Said by someone else": "別人の発言",
    "Not in the sources": "出典に見当たらない",
    "{verdict} · as {speaker}'s": "{verdict} · {speaker}の発言として",
    "as {speaker}'s": "{speaker}の発言として",
    "These words are in the sources, word for word.": "この言葉は一字一句そのまま出典にあります。",
    "These words are part of a longer quotation; what was left out is shown.": (
        "この言葉はより長い引用の一部です。省略された部分を示します。"
    ),
    "A source says nearly this; the words that differ are listed.": (
        "出典にほぼ同じ発言があります。異なる語を挙げます。"
    ),
    "A negation was added or dropped: the meaning is turned around.": (
        "否定が加えられたか削られています。意味が逆になっています。"
    ),
    "These words are in the sources, but {said_by} said them, not {claimed}.": (
        "この言葉は出典にありますが、発言したのは{claimed}ではなく{said_by}です。"
    ),
    "someone else": "別の人物",
    "the speaker named": "名指しされた人物",
    "Nothing close to these words in the {articles} articles searched. "
    "That is all it means: a quotation can be real and simply not in these articles.": (
        "検索した{articles}件の記事に、この言葉に近いものはありません。"
        "それ以上の意味はありません。本物の引用がこれらの記事にないだけということもあります。"
    ),
    "What differs": "相違点",
    "The source: “{text}”": "出典: 「{text}」",
    "changed: {claimed} where the source says {said}": "変更: 出典の{said}が{claimed}になっています",
    "added: {claimed} is not in the source": "追加: {claimed}は出典にありません",
    "dropped: the source also says {said}": "削除: 出典には{said}もあります",
    "left out before: {text}": "前の省略部分: {text}",
    "left out after: {text}": "後の省略部分: {text}",
    # help
    "Kuril Islands fact bot — help": "千島列島ファクトボット — ヘルプ",
    "Command": "コマンド",
    "What it does": "内容",
    "Example": "例",
    "e.g.": "例:",
    "(servers only)": "（サーバーのみ）",
    "Discord servers only": "Discordサーバーのみ",
    "Add `private:True` to an answer command and only you see the answer.": (
        "回答コマンドに`private:True`を付けると、回答は自分だけに表示されます。"
    ),
    "How facts are extracted": "事実の抽出方法",
    "Privacy": "プライバシー",
    "Links": "リンク",
    "{count} articles": "記事{count}件",
    "**{count}** articles": "記事**{count}**件",
    ", published {first} to {last}": "（{first}〜{last}に公開）",
    ", from {outlets}": "、媒体: {outlets}",
    " and others": " ほか",
    "Now: {corpus}.": "現在: {corpus}。",
    "Post a daily history snippet to a channel (needs Manage Server)": (
        "チャンネルに毎日歴史スニペットを投稿（サーバー管理権限が必要）"
    ),
    "Stop the daily snippet in a channel (needs Manage Server)": (
        "チャンネルの毎日の投稿を停止（サーバー管理権限が必要）"
    ),
    "Checks the quotations in a message, at most five (all of it when it quotes none); only you see the answer": (
        "メッセージ内の引用を最大5件確認します（引用がなければ全文）。回答は自分だけに表示されます"
    ),
    SOURCES: (
        "すべての事実は、日露平和条約と北方領土（千島列島）問題に関するニュース記事から得たものです。"
        "記事はボットに同梱されたもの、または運営者が追加したもので、すべての回答は出典（媒体・日付・"
        "リンク・該当箇所）を示します。`/source`で記事全文を、`/about`で記事の一覧を表示します。"
    ),
    EXTRACTION: (
        "ページの装飾を取り除き、ニュース向けの規則で文に分割します。引用は直接引用で、発言者は同じ記事中の"
        "名前・代名詞・役職の記述から特定し、特定できない引用は除外します。日付は日付文法で見つけ、相対的な"
        "日付（「昨年12月」など）は記事の公開日を基準に解釈し、推測はしません。複数の記事にある同じ事実は、"
        "すべての出典を持つ一つの事実になります。"
    ),
    PRIVACY: (
        "ボットが保存するのは二つだけです。毎日のスニペットの登録: サーバー、チャンネル、時刻とタイムゾーン、"
        "登録した人、どこに何を投稿したかの記録。ページボタンのある回答のオプション（年表の年や話題など）: "
        "再起動後もボタンが動くように、直近の1,000件を、最後に使われてから30日以内に限り保存します。"
        "メンバーが書いた内容は読まず、保存もしません。メッセージの内容にはアクセスできません。ただし、"
        "メンバーが「引用を検証」メニューで確認を求めたメッセージはその回答のために読み、何も保存しません。"
        "メンバーについては、登録した人のユーザーID以外は何も保存しません。ページボタンには質問した人の"
        "ユーザーIDが含まれ（ボットの保存領域ではなくメッセージ上）、その人だけがページをめくれます。"
        "スニペットの投稿中にクラッシュした場合、一度だけ投稿するため、チャンネルの直近25件のメッセージから"
        "自分の投稿を探し、それらは何も保存しません。"
    ),
    # errors
    "Which island? Try `/island Shikotan` or `/island 択捉島`.": (
        "どの島ですか？ `/island Shikotan` や `/island 択捉島` のようにお試しください。"
    ),
    "Which article? Try `/source 004` — citations show each article's id.": (
        "どの記事ですか？ `/source 004` のようにお試しください。出典に各記事のIDが表示されます。"
    ),
    "Give the words of the quotation to check, e.g. `/check text:We will not give up`.": (
        "確認する引用の言葉を入力してください（例: `/check text:We will not give up`）。"
    ),
    "`{option}` must be a year such as 1956, not {value}.": (
        "`{option}`には1956のような年を指定してください（{value}は使えません）。"
    ),
    "`{option}` must be a year between {first} and {last}.": "`{option}`には{first}〜{last}の年を指定してください。",
    "`limit` must be a whole number, not {value}.": "`limit`には整数を指定してください（{value}は使えません）。",
    "`limit` must be at least 1.": "`limit`は1以上にしてください。",
    "`to` ({end}) is before `from` ({start}); swap them to see {end}–{start}.": (
        "`to`（{end}）が`from`（{start}）より前です。入れ替えると{end}–{start}を表示できます。"
    ),
    UNKNOWN_ZONE: (
        "{value}は知らないタイムゾーンです。Asia/Tokyo、Europe/Moscow、America/New_YorkのようなIANA名、"
        "またはUTC、JST、MSKのいずれかを使ってください。"
    ),
    "{value} is not a date I understand. Use YYYY-MM-DD, for example 2026-10-19.": (
        "{value}は解釈できない日付です。YYYY-MM-DD形式（例: 2026-10-19）で指定してください。"
    ),
    "Commands start with `/`, e.g. `/island Shikotan`. Type /help for the list.": (
        "コマンドは`/`で始まります（例: `/island Shikotan`）。一覧は/helpで表示します。"
    ),
    "Unknown command `/{name}`. Commands: {commands}.": "不明なコマンド`/{name}`です。コマンド: {commands}。",
    "`/{name}` takes no text.": "`/{name}`には本文を付けられません。",
    "These results have expired. Please run the command again.": (
        "この結果は期限切れです。もう一度コマンドを実行してください。"
    ),
    "Daily snippets are set up in a server channel, not in direct messages.": (
        "毎日のスニペットはダイレクトメッセージではなく、サーバーのチャンネルで設定します。"
    ),
    "Slow down a little: try again in {seconds} s.": "少し待ってください。{seconds}秒後にもう一度お試しください。",
    "You need the **Manage Server** permission for that.": "それには**サーバー管理**権限が必要です。",
    "I could not read the value {value}. Please pick one from the list.": (
        "値{value}を読み取れませんでした。一覧から選んでください。"
    ),
    "Something went wrong on my side. The operators have been told; please try again later.": (
        "ボット側で問題が起きました。運営者に通知しました。しばらくしてからもう一度お試しください。"
    ),
    "(Chart skipped: one chart per person every {seconds} s.)": (
        "（グラフは省略: グラフは一人につき{seconds}秒に一つまでです。）"
    ),
    "(Chart skipped: it could not be drawn; the events are all below.)": (
        "（グラフは省略: 描画できませんでした。出来事はすべて下にあります。）"
    ),
    "(Chart skipped: the bot is busy answering others; ask again shortly.)": (
        "（グラフは省略: 他の人への回答で混み合っています。少ししてからもう一度お試しください。）"
    ),
    "(Chart skipped: the bot is busy drawing other charts; ask again shortly.)": (
        "（グラフは省略: 他のグラフを描画中です。少ししてからもう一度お試しください。）"
    ),
    # about
    "Kuril Islands fact bot": "千島列島ファクトボット",
    (
        "Cited facts about the Japan–Russia peace treaty and the Kuril Islands (Northern Territories) dispute, "
        "extracted from news articles. Every answer names its sources: outlet, date, link and the exact "
        "passage; `/source` shows any article in full."
    ): (
        "日露平和条約と北方領土（千島列島）問題について、ニュース記事から抽出した出典付きの事実です。"
        "すべての回答は出典（媒体・日付・リンク・該当箇所）を示します。`/source`で記事全文を表示します。"
    ),
    (
        "{articles} articles · {events} dated events · {quotes} quotes from {speakers} speakers · "
        "{island_facts} island facts"
    ): (
        "記事{articles}件 · 日付のある出来事{events}件 · 発言者{speakers}人の引用{quotes}件 · "
        "島に関する事実{island_facts}件"
    ),
    "Articles": "記事",
    "Title": "タイトル",
    "{count} articles in all": "記事は全{count}件",
    "Store built {when} UTC": "データベース構築 {when} UTC",
    "Skipped: {files}": "スキップ: {files}",
    # page buttons
    "⏮ First": "⏮ 最初",
    "◀ Previous": "◀ 前へ",
    "Next ▶": "次へ ▶",
    "Last ⏭": "最後 ⏭",
}
