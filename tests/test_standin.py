"""The Bot API stand-in: Telegram's rules, the state machine, and the real PTB stack on top."""

import asyncio
import datetime as dt
import json
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from standin import (
    TIMED_OUT,
    TINY_PNG,
    ApiError,
    FakeTelegram,
    SimulatedTimeout,
    StandInRequest,
    TelegramUser,
    parse_html,
    rules,
    utf16_len,
)
from standin.messages import NOT_MODIFIED
from standin.updates import command_entities

KEYBOARD = {"inline_keyboard": [[{"text": "More", "callback_data": "more:1"}]]}


@pytest.fixture
def tg() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
def ada(tg: FakeTelegram) -> TelegramUser:
    return tg.user(42, "Ada")


@pytest.fixture
async def bot(tg: FakeTelegram) -> Any:
    request = StandInRequest(tg)
    async with Bot(tg.token, request=request, get_updates_request=request) as bot:
        yield bot


def error_of(call: Any) -> str:
    with pytest.raises(ApiError) as caught:
        call()
    return caught.value.description


# --- HTML parse mode -------------------------------------------------------------------------

PREFIX = "Bad Request: can't parse entities: "


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Hello <foo>x</foo>", 'Unsupported start tag "foo" at byte offset 6'),
        ("é <foo>", 'Unsupported start tag "foo" at byte offset 3'),  # bytes, not characters
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</i>", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("1<2 is true", 'Unsupported start tag "2" at byte offset 1'),
        ("1<2", "Unclosed start tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("Rain & wind", 'Character "&" at byte offset 5 must be escaped as "&amp;"'),
        ("&nbsp;", 'Unsupported HTML entity "&nbsp;" at byte offset 0'),
        ("&#0;", "Invalid character code at byte offset 0"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href="javascript:alert(1)">x</a>', 'Invalid URL "javascript:alert(1)"'),
        ('<a href="https://e.com/?a=1&b=2">x</a>', 'Character "&" at byte offset 27'),
        ('<tg-emoji emoji-id="abc">👍</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_html_errors_use_telegrams_words(text: str, error: str) -> None:
    assert error_of(lambda: parse_html(text)).startswith(PREFIX + error)


def test_html_nested_tags_become_entities_in_utf16_offsets() -> None:
    text, entities = parse_html(
        "😀 <b>bold <i>both</i></b> <u>u</u> <s>s</s> <tg-spoiler>p</tg-spoiler>"
    )
    assert text == "😀 bold both u s p"
    assert entities == [
        {"offset": 3, "length": 9, "type": "bold"},  # the emoji is two UTF-16 units
        {"offset": 8, "length": 4, "type": "italic"},
        {"offset": 13, "length": 1, "type": "underline"},
        {"offset": 15, "length": 1, "type": "strikethrough"},
        {"offset": 17, "length": 1, "type": "spoiler"},
    ]


def test_html_entities_links_code_and_quotes() -> None:
    text, entities = parse_html(
        '&lt;&gt;&amp;&quot;&#65;&#x42; <a href="https://e.com/?a=1&amp;b=2">link</a> '
        '<pre><code class="language-python">x = 1</code></pre> <code>y</code> '
        "<blockquote expandable>q</blockquote><blockquote>r</blockquote> "
        '<span class="tg-spoiler">s</span><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    assert text == '<>&"AB link x = 1 y qr s👍'
    assert {
        "offset": 7,
        "length": 4,
        "type": "text_link",
        "url": "https://e.com/?a=1&b=2",
    } in entities
    assert {"offset": 12, "length": 5, "type": "pre", "language": "python"} in entities
    assert {"offset": 18, "length": 1, "type": "code"} in entities
    assert {"offset": 20, "length": 1, "type": "expandable_blockquote"} in entities
    assert {"offset": 21, "length": 1, "type": "blockquote"} in entities
    assert {
        "offset": 24,
        "length": 2,
        "type": "custom_emoji",
        "custom_emoji_id": "5368324170671202286",
    } in entities


def test_html_accepts_strong_em_ins_strike_del_and_case() -> None:
    text, entities = parse_html(
        "<STRONG>a</STRONG><em>b</em><ins>c</ins><strike>d</strike><del>e</del>"
    )
    assert text == "abcde"
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "strikethrough",
    ]


def test_text_limits_count_utf16_units_after_parsing() -> None:
    assert rules.message_text("a" * 4096, None)[0] == "a" * 4096
    assert rules.message_text("&amp;" * 4096, "HTML")[0] == "&" * 4096  # escapes count once
    assert rules.message_text("😀" * 2048, None)  # 4096 units
    assert (
        error_of(lambda: rules.message_text("a" * 4097, None))
        == "Bad Request: message is too long"
    )
    too_long = "😀" * 2048 + "a"  # 2049 code points, 4097 units
    assert (
        error_of(lambda: rules.message_text(too_long, None)) == "Bad Request: message is too long"
    )
    assert utf16_len("😀") == 2


@pytest.mark.parametrize("text", ["", "   \n ", "<b> </b>"])
def test_empty_text_is_refused(text: str) -> None:
    assert (
        error_of(lambda: rules.message_text(text, "HTML")) == "Bad Request: message text is empty"
    )


def test_captions_stop_at_1024() -> None:
    assert rules.caption("<b>" + "c" * 1024 + "</b>", "HTML")[0] == "c" * 1024
    too_long = "c" * 1025
    assert (
        error_of(lambda: rules.caption(too_long, None))
        == "Bad Request: message caption is too long"
    )


def test_plain_text_is_not_parsed_and_outer_spaces_are_stripped() -> None:
    assert rules.message_text("a < b & <c>", None) == ("a < b & <c>", [])
    assert rules.message_text("  <b>x</b>  ", "HTML") == (
        "x",
        [{"offset": 0, "length": 1, "type": "bold"}],
    )
    assert "HTML only" in error_of(lambda: rules.message_text("*x*", "MarkdownV2"))


@pytest.mark.parametrize(
    ("button", "error"),
    [
        ({"text": "x", "callback_data": "a" * 65}, "BUTTON_DATA_INVALID"),
        ({"text": "x", "callback_data": "é" * 33}, "BUTTON_DATA_INVALID"),  # 66 bytes
        ({"text": "x", "callback_data": ""}, "BUTTON_DATA_INVALID"),
        ({"text": "", "callback_data": "a"}, "BUTTON_TEXT_INVALID"),
        ({"text": "x"}, "text buttons are unallowed in the inline keyboard"),
        ({"text": "x", "callback_data": "a", "url": "https://e.com"}, "more than one action"),
        ({"text": "x", "url": "javascript:alert(1)"}, "BUTTON_URL_INVALID"),
    ],
)
def test_inline_buttons_are_checked(button: dict[str, Any], error: str) -> None:
    assert error in error_of(lambda: rules.reply_markup({"inline_keyboard": [[button]]}))


def test_valid_buttons_pass() -> None:
    rules.reply_markup({"inline_keyboard": [[
        {"text": "x", "callback_data": "é" * 32}, {"text": "y", "url": "tg://resolve?domain=a"},
        {"text": "z", "switch_inline_query": ""},
    ]]})  # fmt: skip


def article(result_id: str, text: str = "m", **content: Any) -> dict[str, Any]:
    message = {"message_text": text, **content}
    return {"type": "article", "id": result_id, "title": "t", "input_message_content": message}


@pytest.mark.parametrize(
    ("results", "error"),
    [
        ([article(str(i)) for i in range(51)], "RESULTS_TOO_MUCH"),
        ([article("1"), article("1")], "RESULT_ID_DUPLICATE"),
        ([article("x" * 65)], "RESULT_ID_INVALID"),
        ([article("1", "<x>", parse_mode="HTML")], "Unsupported start tag"),
    ],
)
def test_inline_results_are_checked(results: list[Any], error: str) -> None:
    assert error in error_of(lambda: rules.inline_results(results))


# --- updates -----------------------------------------------------------------------------------


def test_bot_commands_are_marked_like_telegram_does() -> None:
    assert command_entities("/start") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert command_entities("/read@newsbot_demo_bot 3") == [
        {"type": "bot_command", "offset": 0, "length": 22}
    ]
    assert command_entities("😀 /help") == [{"type": "bot_command", "offset": 3, "length": 5}]
    assert command_entities("a/b and http://x/y") == []


def test_update_ids_and_message_ids_increase(tg: FakeTelegram, ada: TelegramUser) -> None:
    first, second = ada.sends("/start"), ada.sends("hi")
    assert second["update_id"] == first["update_id"] + 1
    assert second["message"]["message_id"] > first["message"]["message_id"]
    assert first["message"]["chat"] == {"id": 42, "type": "private", "first_name": "Ada"}
    Update.de_json(first, None)  # PTB accepts what we build


# --- the state machine -------------------------------------------------------------------------


def send(tg: FakeTelegram, **params: Any) -> tuple[int, dict[str, Any]]:
    return tg.handle("sendMessage", {"chat_id": 42, **params})


def test_unknown_method_is_404(tg: FakeTelegram) -> None:
    assert tg.handle("sendTelepathy", {}) == (
        404, {"ok": False, "error_code": 404, "description": "Not Found"}
    )  # fmt: skip


def test_get_me_describes_the_bot(tg: FakeTelegram) -> None:
    status, body = tg.handle("getMe", {})
    assert status == 200
    assert body["result"]["username"] == "newsbot_demo_bot"
    assert body["result"]["supports_inline_queries"] is True
    assert body["result"]["id"] == int(tg.token.split(":")[0])


def test_chats_must_exist_and_not_block_the_bot(tg: FakeTelegram, ada: TelegramUser) -> None:
    assert send(tg, chat_id=7, text="x")[1]["description"] == "Bad Request: chat not found"
    tg.blocked_chats.add(42)
    blocked = {
        "ok": False,
        "error_code": 403,
        "description": "Forbidden: bot was blocked by the user",
    }
    assert send(tg, text="x") == (403, blocked)


def test_form_strings_and_json_values_mean_the_same(tg: FakeTelegram, ada: TelegramUser) -> None:
    as_json = send(tg, text="<b>x</b>", parse_mode="HTML", reply_markup=KEYBOARD)[1]["result"]
    form = {
        "chat_id": "42",
        "text": "<b>x</b>",
        "parse_mode": "HTML",
        "reply_markup": json.dumps(KEYBOARD),
    }
    as_form = tg.handle("sendMessage", form)[1]["result"]
    assert {**as_form, "message_id": 0} == {**as_json, "message_id": 0}
    assert tg.calls[-1].params["chat_id"] == 42
    bad = send(tg, text="x", reply_markup="{nope")
    assert bad[1]["description"] == "Bad Request: can't parse reply keyboard markup JSON object"


def test_the_chat_shows_text_markup_and_source(tg: FakeTelegram, ada: TelegramUser) -> None:
    send(tg, text="<b>Rain &amp; wind</b>", parse_mode="HTML", reply_markup=KEYBOARD)
    shown = ada.last
    assert (shown.text, shown.source, shown.parse_mode) == (
        "Rain & wind",
        "<b>Rain &amp; wind</b>",
        "HTML",
    )
    assert shown.buttons == KEYBOARD["inline_keyboard"][0]
    assert shown.entities == [{"offset": 0, "length": 11, "type": "bold"}]


def test_photos_by_upload_url_or_issued_id_only(tg: FakeTelegram, ada: TelegramUser) -> None:
    upload = {"photo": ("rain.png", TINY_PNG, "image/png")}
    status, body = tg.handle("sendPhoto", {"chat_id": 42, "caption": "c"}, upload)
    assert status == 200
    file_id = body["result"]["photo"][-1]["file_id"]
    assert tg.handle("sendPhoto", {"chat_id": 42, "photo": file_id})[0] == 200
    assert tg.handle("sendPhoto", {"chat_id": 42, "photo": "https://e.com/a.jpg"})[0] == 200
    wrong = tg.handle("sendPhoto", {"chat_id": 42, "photo": "AgACmadeup"})[1]["description"]
    assert wrong == "Bad Request: wrong file identifier/HTTP URL specified"
    attached = {"chat_id": 42, "photo": "attach://pic"}
    assert tg.handle("sendPhoto", attached, {"pic": ("a.png", TINY_PNG, "image/png")})[0] == 200
    not_image = {"photo": ("a.txt", b"hello", "text/plain")}
    assert tg.handle("sendPhoto", {"chat_id": 42}, not_image)[1]["description"].endswith(
        "IMAGE_PROCESS_FAILED"
    )
    path = tg.handle("getFile", {"file_id": file_id})[1]["result"]["file_path"]
    assert tg.files.by_path(path).content == TINY_PNG  # type: ignore[union-attr]
    assert ada.last.photo is not None


def test_edits_check_existence_and_change(tg: FakeTelegram, ada: TelegramUser) -> None:
    sent = send(tg, text="<b>x</b>", parse_mode="HTML", reply_markup=KEYBOARD)[1]["result"]
    edit = {
        "chat_id": 42,
        "message_id": sent["message_id"],
        "text": "<b>x</b>",
        "parse_mode": "HTML",
    }
    same = tg.handle("editMessageText", {**edit, "reply_markup": KEYBOARD})
    assert same == (
        400,
        {"ok": False, "error_code": 400, "description": f"Bad Request: {NOT_MODIFIED}"},
    )
    assert tg.handle("editMessageText", edit)[0] == 200  # no reply_markup: the keyboard goes
    assert ada.last.reply_markup is None
    assert ada.last.edits == 1
    gone = tg.handle("editMessageText", {**edit, "message_id": 999})[1]["description"]
    assert gone == "Bad Request: message to edit not found"
    same_markup = tg.handle(
        "editMessageReplyMarkup", {"chat_id": 42, "message_id": sent["message_id"]}
    )
    assert same_markup[1]["description"].startswith("Bad Request: message is not modified")
    assert tg.handle("editMessageReplyMarkup", {**edit, "reply_markup": KEYBOARD})[0] == 200
    caption = tg.handle("editMessageCaption", {**edit, "caption": "c"})[1]["description"]
    assert caption == "Bad Request: there is no caption in the message to edit"


def test_delete_once(tg: FakeTelegram, ada: TelegramUser) -> None:
    message_id = send(tg, text="x")[1]["result"]["message_id"]
    assert tg.handle("deleteMessage", {"chat_id": 42, "message_id": message_id}) == (
        200,
        {"ok": True, "result": True},
    )
    again = tg.handle("deleteMessage", {"chat_id": 42, "message_id": message_id})
    assert again[1]["description"] == "Bad Request: message to delete not found"
    assert tg.bot_messages(42) == []
    assert len(tg.messages(42, include_deleted=True)) == 1


def test_queries_are_answered_once(tg: FakeTelegram, ada: TelegramUser) -> None:
    send(tg, text="x", reply_markup=KEYBOARD)
    query = ada.presses("More")["callback_query"]
    assert query["data"] == "more:1"
    assert query["message"]["reply_markup"] == KEYBOARD
    too_long = tg.handle(
        "answerCallbackQuery", {"callback_query_id": query["id"], "text": "x" * 201}
    )
    assert too_long[0] == 400
    assert (
        tg.handle("answerCallbackQuery", {"callback_query_id": query["id"], "text": "ok"})[0]
        == 200
    )
    twice = tg.handle("answerCallbackQuery", {"callback_query_id": query["id"]})[1]["description"]
    assert (
        twice
        == "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    inline = ada.inline_query("rain")["inline_query"]
    results = [
        {
            "type": "article",
            "id": "1",
            "title": "t",
            "input_message_content": {"message_text": "m"},
        }
    ]
    assert (
        tg.handle(
            "answerInlineQuery", {"inline_query_id": inline["id"], "results": json.dumps(results)}
        )[0]
        == 200
    )
    assert tg.answers[inline["id"]]["results"] == results
    with pytest.raises(LookupError):
        ada.presses("Nope")


def test_get_updates_confirms_by_offset(tg: FakeTelegram, ada: TelegramUser) -> None:
    first, second = ada.sends("a"), ada.sends("b")
    assert tg.handle("getUpdates", {"timeout": 30})[1]["result"] == [first, second]  # never blocks
    assert tg.handle("getUpdates", {"offset": second["update_id"]})[1]["result"] == [second]
    assert tg.handle("getUpdates", {"offset": second["update_id"] + 1})[1]["result"] == []
    tg.handle("setWebhook", {"url": "https://e.com/hook"})
    assert tg.handle("getUpdates", {})[0] == 409
    assert tg.handle("deleteWebhook", {})[0] == 200


def test_commands_and_descriptions(tg: FakeTelegram) -> None:
    commands = [{"command": "start", "description": "Say hello"}]
    assert tg.handle("setMyCommands", {"commands": json.dumps(commands)})[0] == 200
    assert tg.handle("getMyCommands", {})[1]["result"] == commands
    assert (
        tg.handle("setMyCommands", {"commands": [{"command": "Bad!", "description": "x"}]})[0]
        == 400
    )
    assert tg.handle("setMyDescription", {"description": "d" * 513})[0] == 400
    assert tg.handle("setMyShortDescription", {"short_description": "news"})[0] == 200


def test_fail_next_then_recover(tg: FakeTelegram, ada: TelegramUser) -> None:
    tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 5", retry_after=5, times=2)
    expected = {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 5",
        "parameters": {"retry_after": 5},
    }
    assert send(tg, text="x") == (429, expected)
    assert send(tg, text="x") == (429, expected)
    assert send(tg, text="x")[0] == 200
    assert [c.status for c in tg.calls] == [429, 429, 200]
    tg.fail_next("sendMessage", timeout=True)
    with pytest.raises(SimulatedTimeout):
        send(tg, text="x")
    assert tg.calls[-1].status == TIMED_OUT


def test_random_faults_repeat_with_the_seed() -> None:
    def outcomes(seed: int) -> list[int]:
        tg = FakeTelegram(seed=seed)
        tg.user(42)
        tg.random_faults(0.5, methods=["sendMessage"])
        found = []
        for _ in range(30):
            try:
                found.append(send(tg, text="x")[0])
            except SimulatedTimeout:
                found.append(TIMED_OUT)
        assert tg.handle("getMe", {})[0] == 200  # other methods unaffected
        return found

    assert outcomes(1) == outcomes(1)
    assert {200, 429, 502, TIMED_OUT} <= set(outcomes(1) + outcomes(2))


def test_blocking_sends_my_chat_member_and_writing_unblocks(
    tg: FakeTelegram, ada: TelegramUser
) -> None:
    blocked = ada.blocks_bot()["my_chat_member"]
    assert blocked["new_chat_member"]["status"] == "kicked"
    assert send(tg, text="x")[0] == 403
    ada.sends("/start")
    assert send(tg, text="x")[0] == 200


# --- the real python-telegram-bot stack ----------------------------------------------------------


async def test_ptb_sends_html_and_the_chat_shows_it(
    bot: Bot, tg: FakeTelegram, ada: TelegramUser
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more:1")]])
    message = await bot.send_message(
        42, "<b>Rain &amp; wind</b>", parse_mode="HTML", reply_markup=markup
    )
    assert message.text == "Rain & wind"
    assert message.entities[0].type == "bold"
    assert message.reply_markup == markup
    assert ada.last.text == "Rain & wind"
    assert tg.calls[-1].params["reply_markup"] == markup.to_dict()


async def test_ptb_uploads_a_photo_then_reuses_its_file_id(
    bot: Bot, tg: FakeTelegram, ada: TelegramUser
) -> None:
    first = await bot.send_photo(42, TINY_PNG, caption="<i>Rain</i>", parse_mode="HTML")
    assert first.caption == "Rain"
    again = await bot.send_photo(42, first.photo[-1].file_id)
    assert again.photo[-1].file_unique_id == first.photo[-1].file_unique_id
    downloaded = await (await bot.get_file(first.photo[-1].file_id)).download_as_bytearray()
    assert bytes(downloaded) == TINY_PNG
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_photo(42, "AgACmadeup")


async def test_ptb_raises_its_own_errors_for_faults(
    bot: Bot, tg: FakeTelegram, ada: TelegramUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # v22 warns on RetryAfter without it
    tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    with pytest.raises(RetryAfter, match="Flood control exceeded") as flood:
        await bot.send_message(42, "x")
    assert flood.value.retry_after == dt.timedelta(seconds=3)
    tg.fail_next("sendMessage", 502, "Bad Gateway")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(42, "x")
    tg.fail_next("sendMessage", timeout=True)
    with pytest.raises(TimedOut):
        await bot.send_message(42, "x")
    ada.blocks_bot()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(42, "x")
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
        await bot.send_message(7, "<x>", parse_mode="HTML")


async def test_ptb_edit_to_the_same_content_is_not_modified(bot: Bot, ada: TelegramUser) -> None:
    message = await bot.send_message(42, "<b>x</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message is not modified"):
        await message.edit_text("<b>x</b>", parse_mode="HTML")
    edited = await message.edit_text("<b>y</b>", parse_mode="HTML")
    assert not isinstance(edited, bool)
    assert edited.text == "y"


async def test_ptb_refuses_a_wrong_token(tg: FakeTelegram) -> None:
    request = StandInRequest(tg)
    with pytest.raises(InvalidToken):
        await Bot("1:wrong", request=request, get_updates_request=request).get_me()


async def test_ptb_long_poll_receives_an_update_queued_while_waiting(
    bot: Bot, ada: TelegramUser
) -> None:
    polling = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0)  # let the poll start waiting
    ada.sends("/start")
    [update] = await polling
    assert update.message is not None
    assert update.message.text == "/start"


async def test_application_runs_a_command_from_a_built_update(
    tg: FakeTelegram, ada: TelegramUser
) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"Hello {context.args}")

    request = StandInRequest(tg)
    app = (
        ApplicationBuilder()
        .token(tg.token)
        .request(request)
        .get_updates_request(request)
        .updater(None)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.process_update(Update.de_json(ada.sends("/start now"), app.bot))
    assert ada.last.text == "Hello ['now']"
    assert [m.from_bot for m in ada.sees] == [False, True]
