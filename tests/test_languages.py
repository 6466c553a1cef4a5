"""The added languages on news prose: sentences split where they end, summaries whole and in
order, and the language told from the text alone."""

import json
from pathlib import Path

import pytest

from summaries.articles import validate
from summaries.errors import InvalidArticleError, UnsupportedLanguageError
from summaries.feed_ingest import draft_for, feed_language
from summaries.feed_parse import parse_feed
from summaries.languages import detect_language, is_summarized, known_language
from summaries.models import Draft, utc_now
from summaries.sources import Sources
from summaries.store import ArticleStore
from summaries.summarize import METHODS, summarize
from summaries.tokenizer import SUPPORTED_LANGUAGES, split_sentences
from tests.helpers.cli import newsbot_here

# Real-style news paragraphs, one sentence a line: abbreviations ("т. е.", "ca.", "bl.a.",
# "Prof. Dr."), initials, quotes, and numbers such as 3,5 and 1.000.
SENTENCES = {
    "russian": [
        "Правительство РФ в среду утвердило новый бюджет на 2025 г. и плановый период.",
        "По словам министра финансов А. Г. Силуанова, расходы вырастут на 3,5 % и превысят 41 трлн рублей.",
        "«Мы сохраняем все социальные обязательства, т. е. пенсии и пособия будут проиндексированы», — заявил он журналистам.",
        "Дефицит, по оценке ведомства, составит ок. 1,7 % ВВП.",
        "Экономисты ЦБ, в т. ч. главный аналитик банка, назвали прогноз осторожным.",
        "Документ внесут в Госдуму до 1 октября.",
    ],
    "ukrainian": [
        "Кабінет міністрів у середу схвалив проєкт держбюджету на 2025 р. і передав його до Верховної Ради.",
        "За словами прем'єр-міністра Д. Шмигаля, видатки на оборону становитимуть 2,2 трлн гривень.",
        "«Ми зберігаємо всі соціальні виплати, т. зв. захищені статті не скорочуються», — наголосив він.",
        "Засідання відбулося у будівлі на вул. Грушевського, 12/2 у м. Київ.",
        "Дефіцит бюджету, за оцінками Мінфіну, сягне 19,4 % ВВП.",
        "Депутати мають розглянути документ до 15 вересня.",
    ],
    "dutch": [
        "Het kabinet heeft dinsdag de Miljoenennota gepresenteerd.",
        "Volgens minister Van der Meer stijgen de uitgaven met ca. 3,5 procent tot ruim 1.000 miljard euro.",
        '"We beschermen de koopkracht, d.w.z. vooral die van lage inkomens", zei hij in Den Haag.',
        "De oppositie, o.a. GroenLinks-PvdA, noemt de plannen onvoldoende.",
        "Mr. drs. J. de Vries van De Nederlandsche Bank waarschuwde voor een tekort van 2,8 procent.",
        "Het debat begint op 24 september.",
    ],
    "danish": [
        "Regeringen fremlagde tirsdag sit forslag til finanslov for 2025.",
        "Ifølge finansminister Nicolai Wammen stiger udgifterne med ca. 3,5 pct. til over 1.000 mia. kr. i alt.",
        '"Vi prioriterer velfærden, bl.a. ældreplejen og sygehusene", sagde han på et pressemøde.',
        "Oppositionen, dvs. de borgerlige partier, kalder forslaget uambitiøst.",
        "Økonomer i Danmarks Nationalbank venter en vækst på 1,2 procent.",
        "Forhandlingerne begynder den 1. oktober.",
    ],
    "norwegian": [
        "Regjeringen la tirsdag fram forslaget til statsbudsjett for 2025.",
        "Ifølge finansminister Trygve Slagsvold Vedum øker utgiftene med ca. 3,5 prosent til over 1.000 mrd. kroner.",
        '"Vi prioriterer velferd, bl.a. sykehus og eldreomsorg", sa han på en pressekonferanse.',
        "Opposisjonen, dvs. Høyre og Frp, mener budsjettet er for ekspansivt.",
        "Norges Bank venter en styringsrente på 4,5 prosent ut året.",
        "Stortinget behandler budsjettet innen 15. desember.",
    ],
    "finnish": [
        "Hallitus julkisti tiistaina ensi vuoden talousarvioesityksensä.",
        "Valtiovarainministeri Riikka Purran mukaan menot kasvavat n. 3,5 prosenttia eli yli 1.000 miljoonaa euroa.",
        '"Leikkaukset ovat välttämättömiä, esim. sosiaaliturvaan tehdään muutoksia", Purra sanoi tiedotustilaisuudessa.',
        "Oppositio, mm. SDP ja vasemmistoliitto, arvosteli esitystä jyrkästi.",
        "Suomen Pankki ennustaa talouden kasvavan 1,2 prosenttia.",
        "Eduskunta käsittelee esityksen 1. lokakuuta alkaen.",
    ],
    "turkish": [
        "Hükümet salı günü 2025 yılı bütçe teklifini Meclis'e sundu.",
        "Hazine ve Maliye Bakanı Mehmet Şimşek'e göre harcamalar yaklaşık %3,5 artarak 1.000 milyar lirayı aşacak.",
        '"Sosyal harcamalardan, yani emekli ve asgari ücretliden taviz vermeyeceğiz" dedi.',
        "Prof. Dr. Ayşe Yılmaz bütçe açığının milli gelirin %2,9'u olacağını tahmin etti.",
        "Muhalefet partileri CHP, İYİ Parti vb. teklifi yetersiz buldu.",
        "Görüşmeler 15 Ekim'de başlayacak.",
    ],
}
ADDED = ("russian", "ukrainian", "dutch", "danish", "norwegian", "finnish", "turkish")


def paragraph(language: str) -> str:
    return " ".join(SENTENCES[language])


@pytest.mark.parametrize("language", ADDED)
def test_news_prose_splits_where_sentences_end(language: str) -> None:
    assert split_sentences(paragraph(language), language) == SENTENCES[language]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("language", ADDED)
def test_summaries_keep_whole_sentences_in_order(language: str, method: str) -> None:
    sentences = SENTENCES[language]
    text = f"{' '.join(sentences[:3])}\n\n{' '.join(sentences[3:])}"  # two paragraphs
    found = summarize(text, language=language, method=method, sentences=3)
    assert len(found) == 3
    assert set(found) <= set(sentences)  # whole sentences, none cut or merged
    assert found == sorted(found, key=sentences.index)  # in the article's order


# Two sentences of news in each of the first ten languages, to tell them apart too.
NEWS = {
    "czech": "Vláda ve středu schválila návrh státního rozpočtu na příští rok. Podle ministra financí se výdaje zvýší o 3,5 procenta.",
    "english": "The government approved next year's budget on Wednesday. Spending will rise by 3.5 per cent, the finance minister said.",
    "french": "Le gouvernement a adopté mercredi le projet de budget pour l'an prochain. Selon le ministre des Finances, les dépenses augmenteront de 3,5 %.",
    "german": "Die Bundesregierung hat am Mittwoch den Haushaltsentwurf für das kommende Jahr beschlossen. Die Ausgaben steigen laut Finanzminister um 3,5 Prozent.",
    "greek": "Η κυβέρνηση ενέκρινε την Τετάρτη το σχέδιο προϋπολογισμού για το επόμενο έτος. Σύμφωνα με τον υπουργό Οικονομικών, οι δαπάνες θα αυξηθούν κατά 3,5%.",
    "italian": "Il governo ha approvato mercoledì la legge di bilancio per il prossimo anno. Secondo il ministro dell'Economia, la spesa crescerà del 3,5 per cento.",
    "polish": "Rząd przyjął w środę projekt budżetu na przyszły rok. Według ministra finansów wydatki wzrosną o 3,5 proc.",
    "portuguese": "O governo aprovou na quarta-feira a proposta de orçamento para o próximo ano. Segundo o ministro das Finanças, a despesa vai aumentar 3,5 por cento.",
    "spanish": "El Gobierno aprobó el miércoles el proyecto de presupuestos para el próximo año. Según el ministro de Hacienda, el gasto crecerá un 3,5 por ciento.",
    "swedish": "Regeringen presenterade på onsdagen sitt förslag till statsbudget för nästa år. Enligt finansministern ökar utgifterna med 3,5 procent.",
}
SWAHILI = (
    "Serikali imewasilisha bungeni bajeti ya mwaka ujao siku ya Jumatano. Kwa mujibu wa "
    "waziri wa fedha, matumizi yataongezeka kwa asilimia 3.5 ili kugharamia elimu na afya."
)


def news_in(language: str) -> str:
    return NEWS[language] if language in NEWS else paragraph(language)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_each_supported_language_is_told_from_news_prose(language: str) -> None:
    assert detect_language(news_in(language)) == language


def test_a_language_we_do_not_summarize_is_told_too() -> None:
    assert detect_language(SWAHILI) == "swahili"
    assert known_language("swahili")
    assert not is_summarized("swahili")


@pytest.mark.parametrize("text", ["Hello world.", "Привет!", "", "12.000 — 3,5 %", "Ok. Ja. Da."])
def test_too_little_text_is_not_told(text: str) -> None:
    assert detect_language(text) is None


def test_an_article_without_a_language_gets_the_one_told_from_its_text() -> None:
    now = utc_now()
    for language in SUPPORTED_LANGUAGES:
        draft = validate(Draft(title="News", body=news_in(language), language=""), now=now)
        assert draft.language == language
    assert validate(Draft(title="Bajeti", body=SWAHILI, language=""), now=now).language == (
        "swahili"
    )
    unsure = validate(Draft(title="Hi", body="Short one.", language=""), now=now)
    assert unsure.language == "english"  # can't be told: the default, as before
    with pytest.raises(InvalidArticleError, match="klingon"):
        validate(Draft(title="Qapla", body=SWAHILI, language="klingon"), now=now)


@pytest.mark.parametrize("method", METHODS)
def test_a_language_we_do_not_summarize_gets_its_first_sentences(method: str) -> None:
    text = f"{SWAHILI} Wabunge wataanza kujadili bajeti wiki ijayo. Upinzani umeikosoa."
    found = summarize(text, language="swahili", method=method, sentences=2)
    assert found == [
        "Serikali imewasilisha bungeni bajeti ya mwaka ujao siku ya Jumatano.",
        "Kwa mujibu wa waziri wa fedha, matumizi yataongezeka kwa asilimia 3.5 ili kugharamia "
        "elimu na afya.",
    ]
    with pytest.raises(UnsupportedLanguageError):
        summarize(text, language="klingon", method=method)


def test_the_news_default_is_the_lead_outside_english() -> None:
    # The news model was fitted on English news only; elsewhere it is the lead (BENCHMARKS.md)
    for language in ADDED:
        text = paragraph(language)
        assert summarize(text, language=language) == summarize(
            text, language=language, method="lead"
        )


RSS_WITHOUT_LANGUAGE = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://example.org/</link>
<item><title>Бюджет</title><link>https://example.org/ru</link>
<description>{paragraph("russian")}</description></item>
<item><title>Budget</title><link>https://example.org/en</link>
<description>{NEWS["english"]}</description></item>
</channel></rss>"""


def test_a_feed_without_a_language_has_each_item_told(store: ArticleStore) -> None:
    feed = parse_feed(RSS_WITHOUT_LANGUAGE.encode(), url="https://example.org/feed")
    source = Sources(store.db).add(
        "https://example.org/feed", name="Wire", language=None, every=600, now=utc_now()
    )
    language = feed_language(source, feed)
    assert language == ""  # the feed declares none: each item's is told
    drafts = [draft_for(item, language=language, now=utc_now()) for item in feed.items]
    assert [d.language for d in drafts] == ["russian", "english"]


def test_cli_add_and_import_tell_the_language_and_show_says_what_is_led(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    added = newsbot_here("add", "--title", "Бюджет", stdin=paragraph("ukrainian"), db=db)
    assert added.returncode == 0, added.stderr
    items = tmp_path / "items.jsonl"
    items.write_text(
        json.dumps({"title": "Bajeti", "body": SWAHILI, "url": "https://example.org/sw"}) + "\n",
        encoding="utf-8",
    )
    imported = newsbot_here("import", str(items), db=db)
    assert imported.returncode == 0, imported.stderr
    ukrainian_id = added.stdout.split()[-1]
    found = newsbot_here("list", "--search", "БЮДЖЕТ", db=db).stdout  # Cyrillic case folds
    assert found.startswith(f"{ukrainian_id}\t")
    ukrainian = newsbot_here("show", ukrainian_id, db=db).stdout
    assert "· ukrainian" in ukrainian
    assert "\nSummary:\n" in ukrainian
    assert f"  {SENTENCES['ukrainian'][0]}\n" in ukrainian
    swahili_id = newsbot_here("list", "--search", "bajeti", db=db).stdout.split("\t")[0]
    swahili = newsbot_here("show", swahili_id, db=db).stdout
    assert "· swahili" in swahili
    assert (
        "Summary: the first sentences (Lead), as Swahili is not a language newsbot summarizes:"
    ) in swahili
    first = "  Serikali imewasilisha bungeni bajeti ya mwaka ujao siku ya Jumatano.\n"
    assert first in swahili


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("de", "german"),
        ("DE", "german"),
        ("pt-BR", "portuguese"),
        ("uk", "ukrainian"),
        ("German", "german"),
        ("sw", "swahili"),
    ],
)
def test_a_language_is_given_by_name_or_iso_code(given: str, stored: str) -> None:
    """`--language de` as the console's `--language de`: both are what people type."""
    draft = Draft("Haushalt", NEWS["german"], language=given)
    assert validate(draft, now=utc_now()).language == stored


def test_summarize_tells_the_language_as_add_does(tmp_path: Path) -> None:
    """German rules keep "3,5 Mio. Euro" in one sentence; English ones would cut after Mio."""
    text = tmp_path / "de.txt"
    text.write_text(
        "Der Stadtrat hat am Dienstag den Bau der neuen Brücke beschlossen. Sie kostet rund "
        "3,5 Mio. Euro im Jahr und soll bis 2028 fertig sein. Die Opposition stimmte dagegen, "
        "weil sie z. B. höhere Mieten fürchtet. Der Bürgermeister sprach von einem guten Tag.",
        encoding="utf-8",
    )
    db = tmp_path / "news.db"
    told = newsbot_here("summarize", "--method", "lead", "--sentences", "4", str(text), db=db)
    given = newsbot_here(
        "summarize",
        "--method",
        "lead",
        "--sentences",
        "4",
        "--language",
        "german",
        str(text),
        db=db,
    )
    assert told.returncode == 0, told.stderr
    assert told.stdout == given.stdout
    assert "3,5 Mio. Euro im Jahr" in told.stdout.splitlines()[1]
