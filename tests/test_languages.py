"""The added languages on news prose: sentences split where they end, summaries whole and in
order, and the language told from the text alone."""

import pytest

from summaries.summarize import METHODS, summarize
from summaries.tokenizer import split_sentences

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
