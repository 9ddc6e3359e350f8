"""Derive the applicability thresholds (settings.cfg [applicability]) from data and measure how often they
flag real English news.

- `min_body_words` (too_short): contiguous runs of sentences of real articles (allsides-mbfc and recovery,
  the training sets' crawls; articles of >= 600 body words, seeded sample) are scored at growing lengths;
  the score's noise at a length is the within-article SD over random runs of that length (root mean
  square over articles). The threshold is the length where that SD, fitted as c * L^-k over the grid,
  falls to the stated number of points: by default the SD of the score between whole articles / sqrt 2,
  the point below which reading noise is more than half the variance between articles (reliability
  under 0.5: the score says more about which sentences happen to be in the text than about how the
  article is reported); `--max-sd` states another number.
- `min_latin_word_share`, `min_function_word_share` (not_english): the English articles of the two
  training crawls against non-English text found offline: the non-English pages of the
  article-extraction-benchmark (gold bodies, their language read by hand: ids below) and short news
  paragraphs in 14 languages written for this script (`HAND_WRITTEN`, stated as such). Each threshold is
  the midpoint between the English articles' 0.1% quantile and the highest non-English value.
- `max_code_symbol_runs_per_word`, `max_number_word_share` (not_prose): the same English articles against
  300-word pieces of real Python source (this interpreter's standard library) and of real tables (Baly
  2020's article metadata TSV in shared data, the benchmark's basketball-results page): the midpoint
  between the English 99.9% quantile and the code's / tables' 5% quantile. Pieces of real lists without
  numbers (the outlet-label TSVs, the FakeNewsCorpus websites list) are only reported: what they are
  flagged as.

Then every shared data set (and the seeds, the demo sample, the benchmark pages as read from HTML) is
checked with the derived thresholds: the share of articles flagged, per reason, with the flagged ones
listed. Writes benchmarks/results/applicability.json; `--write-settings` rewrites the [applicability]
section of scoring/settings.cfg with the derived values.

    .venv/bin/python benchmarks/applicability.py [--write-settings]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import random
import re
import sys
import sysconfig
import tarfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "corpus"))

import build_training_corpus as shared_readers  # noqa: E402

from scoring.applicability import REASONS, BodyMeasures, _measures, warnings_for  # noqa: E402
from scoring.ingest import iter_articles  # noqa: E402
from scoring.model import ReportingStyleModel, default_model_path  # noqa: E402
from scoring.pipeline import analyse  # noqa: E402
from scoring.records import Article, content_id  # noqa: E402
from scoring.segment import segment  # noqa: E402
from scoring.text import WORD_RE  # noqa: E402

SHARED = Path(os.environ.get("NEWSSCORE_SHARED", ROOT.parent / "shared")) / "data"
SAMPLE_WORDS = 256  # the word shares' sample (settings sample_words), written with the derived thresholds
MIN_WORDS_FOR_SHARES = 30  # fewer body words: shares of the page (settings min_words_for_shares)
RESULTS = ROOT / "benchmarks" / "results" / "applicability.json"
SETTINGS_FILE = ROOT / "scoring" / "settings.cfg"
LENGTHS = (25, 50, 75, 100, 125, 150, 200, 250, 300, 400)
# article-extraction-benchmark pages whose gold body is not English (language read by hand)
NON_ENGLISH_PAGES = {
    "11ea381ad92b5448cf66eae62f52ac565361a244c8881615fc6a7bb523cc0c32": "Portuguese",
    "23aaecd14171f96cfd201a8a46666097e286ad71f74f29347a78c5ecba50da1e": "Portuguese",
    "21486419bb109c5a62a68957f528e6ff29c92f58d8d3c1f2837c86ff3f3e11f9": "Indonesian",
    "7837c9d66c815b9a21dd669a3dc21677c3f084b1b7dd603d56e87867d8970dd3": "Indonesian",
    "57b4dafd18cfd0531b69f81e87158648227c673ef159f8d8c87d34e34bdb21f2": "German",
    "ba07d1e64775f4090e39116c382111f5a2cfe9528dd179673f4e9bfcea370c15": "German",
    "c4a3637c6696f238cf9fe1c7fbb17bbb6731a71d4f5fe399b9b4fc3294a96a6b": "Russian",
    "f105de6e63ca91ea482f60193f6252092557f969f2fd128ff68c0d4d6b90dd7d": "Japanese",
}
TABLE_PAGES = ("c81e134ed49902bcf69b551426b4a346c5a77ae993cac8bda68b5541a664ef4c",)  # basketball results
# Written for this script (not from a corpus): one short news paragraph per language, in the register of
# the articles newsscore reads, to stand for non-English news; the Latin-script ones are the hard cases.
HAND_WRITTEN = {
    "French": "Le gouvernement a annoncé mardi une hausse du salaire minimum de deux pour cent à partir du "
              "mois prochain. Selon le ministre du Travail, cette mesure concerne près de deux millions de "
              "salariés. Les syndicats estiment que l'augmentation reste insuffisante face à l'inflation, "
              "tandis que les organisations patronales craignent une baisse des embauches dans les petites "
              "entreprises. Le débat doit se poursuivre à l'Assemblée nationale la semaine prochaine.",
    "Spanish": "El Gobierno anunció el martes un aumento del salario mínimo del dos por ciento a partir del "
               "próximo mes. Según el ministro de Trabajo, la medida afecta a casi dos millones de "
               "trabajadores. Los sindicatos consideran que la subida es insuficiente frente a la inflación, "
               "mientras que la patronal teme un descenso de las contrataciones en las pequeñas empresas. El "
               "debate continuará en el Congreso la próxima semana, donde la oposición ya ha pedido cambios.",
    "German": "Die Bundesregierung hat am Dienstag eine Erhöhung des Mindestlohns um zwei Prozent ab dem "
              "kommenden Monat angekündigt. Nach Angaben des Arbeitsministers betrifft die Maßnahme fast "
              "zwei Millionen Beschäftigte. Die Gewerkschaften halten die Erhöhung angesichts der Inflation "
              "für unzureichend, während die Arbeitgeberverbände einen Rückgang der Einstellungen in kleinen "
              "Betrieben befürchten. Die Debatte wird in der kommenden Woche im Bundestag fortgesetzt.",
    "Italian": "Il governo ha annunciato martedì un aumento del salario minimo del due per cento a "
               "partire dal "
               "mese prossimo. Secondo il ministro del Lavoro, la misura riguarda quasi due milioni di "
               "lavoratori. I sindacati ritengono che l'aumento sia insufficiente rispetto all'inflazione, "
               "mentre le associazioni degli imprenditori temono un calo delle assunzioni nelle piccole "
               "imprese. Il dibattito proseguirà in Parlamento la prossima settimana.",
    "Portuguese": "O governo anunciou na terça-feira um aumento de dois por cento do salário mínimo a "
                  "partir do "
                  "próximo mês. Segundo o ministro do Trabalho, a medida abrange quase dois milhões de "
                  "trabalhadores. Os sindicatos consideram o aumento insuficiente diante da inflação, "
                  "enquanto "
                  "as associações empresariais temem uma queda nas contratações das pequenas empresas. O "
                  "debate continua no Parlamento na próxima semana.",
    "Dutch": "De regering heeft dinsdag een verhoging van het minimumloon met twee procent aangekondigd, die "
             "volgende maand ingaat. Volgens de minister van Sociale Zaken gaat het om bijna twee miljoen "
             "werknemers. De vakbonden vinden de verhoging onvoldoende gezien de inflatie, terwijl de "
             "werkgeversorganisaties vrezen dat kleine bedrijven minder mensen zullen aannemen. Het debat "
             "wordt volgende week in de Tweede Kamer voortgezet.",
    "Swedish": "Regeringen meddelade på tisdagen att minimilönen höjs med två procent från och med nästa "
               "månad. Enligt arbetsmarknadsministern berörs nästan två miljoner anställda. Fackförbunden "
               "anser att höjningen är otillräcklig med tanke på inflationen, medan arbetsgivarna befarar "
               "att småföretagen anställer färre. Debatten fortsätter i riksdagen nästa vecka.",
    "Polish": "Rząd ogłosił we wtorek podwyżkę płacy minimalnej o dwa procent od przyszłego miesiąca. Według "
              "ministra pracy zmiana obejmie prawie dwa miliony pracowników. Związki zawodowe uważają, że "
              "podwyżka jest niewystarczająca wobec inflacji, a pracodawcy obawiają się spadku zatrudnienia "
              "w małych firmach. Debata będzie kontynuowana w Sejmie w przyszłym tygodniu.",
    "Turkish": "Hükümet salı günü asgari ücretin gelecek aydan itibaren yüzde iki artırılacağını açıkladı. "
               "Çalışma bakanına göre düzenleme yaklaşık iki milyon çalışanı kapsıyor. Sendikalar artışın "
               "enflasyon karşısında yetersiz olduğunu savunurken işveren örgütleri küçük işletmelerde işe "
               "alımların azalmasından endişe ediyor. Tartışma gelecek hafta mecliste sürecek.",
    "Indonesian": "Pemerintah pada hari Selasa mengumumkan kenaikan upah minimum sebesar dua persen "
                  "mulai bulan "
                  "depan. Menurut menteri tenaga kerja, kebijakan ini mencakup hampir dua juta pekerja. "
                  "Serikat "
                  "pekerja menilai kenaikan itu tidak cukup untuk mengimbangi inflasi, sementara para "
                  "pengusaha "
                  "khawatir perusahaan kecil akan mengurangi perekrutan. Pembahasan akan dilanjutkan di DPR "
                  "pekan depan.",
    "Russian": "Правительство во вторник объявило о повышении минимальной зарплаты на два процента со "
               "следующего месяца. По словам министра труда, мера затронет почти два миллиона работников. "
               "Профсоюзы считают повышение недостаточным на фоне инфляции, а работодатели опасаются "
               "сокращения найма в малом бизнесе.",
    "Greek": "Η κυβέρνηση ανακοίνωσε την Τρίτη αύξηση του κατώτατου μισθού κατά δύο τοις εκατό από τον "
             "επόμενο μήνα. Σύμφωνα με τον υπουργό Εργασίας, το μέτρο αφορά σχεδόν δύο εκατομμύρια "
             "εργαζόμενους. Τα συνδικάτα θεωρούν την αύξηση ανεπαρκή λόγω του πληθωρισμού.",
    "Arabic": "أعلنت الحكومة يوم الثلاثاء رفع الحد الأدنى للأجور بنسبة اثنين في المئة اعتبارا من الشهر "
              "المقبل. وقال وزير العمل إن القرار يشمل نحو مليوني عامل. وترى النقابات أن الزيادة غير كافية "
              "في ظل التضخم.",
    "Chinese": "政府周二宣布，从下个月起将最低工资提高百分之二。劳动部长表示，这项措施涉及近两百万名工人。"
               "工会认为，面对通货膨胀，这一涨幅并不足够，而雇主则担心小企业会减少招聘。",
}


def english_training_articles() -> dict[str, list[str]]:
    """The texts of the two training crawls (English news)."""
    return {"allsides-mbfc": [r["text"] for r in shared_readers.read_allsides_mbfc(SHARED)],
            "recovery": [r["text"] for r in shared_readers.read_recovery(SHARED)]}


def shared_sets() -> dict[str, list[Article]]:
    """Every article data set of shared data, the seeds and the demo sample, as the pipeline reads them."""
    readers = {"allsides-mbfc": shared_readers.read_allsides_mbfc, "recovery": shared_readers.read_recovery,
               "baly2020-allsides": shared_readers.read_allsides,
               "fakenewscorpus-sample": shared_readers.read_fakenewscorpus,
               "horne2017": shared_readers.read_horne, "golbeck2018": shared_readers.read_golbeck,
               "polnear": shared_readers.read_polnear}
    sets = {name: [_article(r["text"], f"{name}:{r['source_ref']}") for r in read(SHARED)]
            for name, read in readers.items()}
    with tarfile.open(SHARED / "semeval2020-propaganda" / "data.tar.gz") as tar:
        members = sorted((m for m in tar.getmembers()
                          if m.isfile() and re.search(r"article\d+\.txt$", m.name)), key=lambda m: m.name)
        sets["semeval2020-propaganda"] = [
            _article(tar.extractfile(m).read().decode("utf-8"), f"semeval:{m.name}") for m in members]
    pages = sorted((SHARED / "article-extraction-benchmark" / "html").glob("*.html.gz"))
    sets["article-extraction-benchmark (HTML)"] = list(iter_articles([str(p) for p in pages]))
    sets["corpus/seeds"] = list(iter_articles([str(ROOT / "corpus" / "seeds")]))
    sets["corpus/sample (demo)"] = list(iter_articles([str(ROOT / "corpus" / "sample" / "articles.jsonl")]))
    return sets


def _article(text: str, source: str) -> Article:
    return Article(id=content_id(text), source=source, text=text)


def body_measures(text: str) -> tuple[BodyMeasures, object]:
    """The body's measures of a text (always of the body, whatever its length) and its Document."""
    document = segment(_article(text, "x"))
    measures = _measures(document.body_word_count, document.body_lowered, document.body_text, exact=True)
    return measures, document


def text_measures(text: str) -> BodyMeasures:
    """The measures of a whole text (a code or table piece, a non-English sample: no segmentation)."""
    words = [w.lower() for w in WORD_RE.findall(text)]
    return _measures(len(words), words, text, exact=True)


# ---------------------------------------------------------------------------------------------- too_short


def sentence_runs(text: str, document, length: int, draws: int, rng: random.Random) -> list[str]:
    """`draws` runs of consecutive body sentences of at least `length` words, from random starts."""
    sentences = [text[s:e] for s, e in document.body_sentences]
    counts = [len(WORD_RE.findall(s)) for s in sentences]
    starts = [i for i in range(len(sentences)) if sum(counts[i:]) >= length]
    runs = []
    for _ in range(draws):
        if not starts:
            break
        i = rng.choice(starts)
        taken, words = [], 0
        while words < length:
            taken.append(sentences[i].strip())
            words += counts[i]
            i += 1
        runs.append(" ".join(taken))
    return runs


def derive_min_body_words(texts: list[str], model: ReportingStyleModel, max_sd: float, n_articles: int,
                          draws: int, seed: int) -> dict:
    rng = random.Random(seed)
    long_ones = []
    for text in texts:
        measures, document = body_measures(text)
        if measures.body_words >= 600:
            long_ones.append((text, document))
    rng.shuffle(long_ones)
    sample = long_ones[:n_articles]
    full_scores = [float(model.score([analyse(_article(t, "x")).features.values])[0]) for t, _ in sample]
    curve = []
    for length in LENGTHS:
        variances, words = [], []
        for text, document in sample:
            runs = sentence_runs(text, document, length, draws, rng)
            scores = []
            for run in runs:
                analysis = analyse(_article(run, "x"))
                if analysis.features is None:
                    continue
                words.append(analysis.document.body_word_count)
                scores.append(float(model.score([analysis.features.values])[0]))
            if len(scores) >= 2:
                variances.append(float(np.var(scores, ddof=1)))
        curve.append({"length_words": length, "articles": len(variances),
                      "median_body_words": float(np.median(words)) if words else float("nan"),
                      "within_article_sd": (math.sqrt(float(np.mean(variances))) if variances
                                            else float("nan"))})
    between = float(np.std(full_scores, ddof=1))
    target = between / math.sqrt(2) if max_sd is None else max_sd
    # SD = c * L^-k, fitted in log-log over the grid (smooths the sampling noise of each point), solved for
    # the target SD, rounded up to ten words
    lengths = np.log([c["length_words"] for c in curve])
    sds = np.log([c["within_article_sd"] for c in curve])
    slope, intercept = np.polyfit(lengths, sds, 1)
    crossing = math.exp((math.log(target) - intercept) / slope)
    threshold = int(math.ceil(crossing / 10.0) * 10)
    return {"articles": len(sample), "draws_per_length": draws, "max_sd_points": round(target, 2),
            "max_sd_rule": ("between-article SD / sqrt(2): below it, reading noise is under half the "
                            "variance of the score between whole articles" if max_sd is None else "given"),
            "between_article_sd_full_length": between, "fit": {"log_c": intercept, "k": -slope},
            "crossing_words": crossing, "curve": curve, "min_body_words": threshold}


# -------------------------------------------------------------------------------------- language, prose


def quantile(values: list[float], q: float) -> float:
    return float(np.quantile(np.asarray(values, dtype=float), q))


def python_pieces(words: int = 300, files: int = 60) -> list[str]:
    """300-word pieces of this interpreter's standard library source (real code), one per file."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    pieces = []
    for path in sorted(stdlib.glob("*.py"))[:files]:
        text = path.read_text(encoding="utf-8", errors="replace")
        spans = [m.end() for m in WORD_RE.finditer(text)]
        if len(spans) > words + 200:
            start = [m.start() for m in WORD_RE.finditer(text)][200]  # past the module docstring, mostly
            pieces.append(text[start:spans[200 + words - 1]])
    return pieces


def _pieces(lines: list[str], lines_per_piece: int, count: int) -> list[str]:
    return ["\n".join(lines[start:start + lines_per_piece])
            for start in range(0, min(len(lines), count * lines_per_piece), lines_per_piece)]


def table_pieces(lines_per_piece: int = 30) -> list[str]:
    """Pieces of a real table with numbers: Baly 2020's article metadata (ids, outlets, URLs, dates, topics,
    titles, word counts), header left out."""
    with gzip.open(SHARED / "baly2020-allsides" / "metadata_all.tsv.gz", "rt", encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(40 * lines_per_piece + 1)][1:]
    return _pieces(lines, lines_per_piece, 40)


def list_pieces(lines_per_piece: int = 30) -> list[str]:
    """Pieces of real lists without numbers: the outlet-label TSVs and the FakeNewsCorpus websites list
    (reported only: what they are flagged as)."""
    files = [SHARED / "baly2018-outlet-labels" / "data" / "emnlp18" / "corpus.tsv",
             SHARED / "fakenewscorpus-sample" / "websites.csv"]
    return [piece for path in files
            for piece in _pieces(path.read_text(encoding="utf-8").splitlines()[1:], lines_per_piece, 20)]


def derive_language_and_prose(english: list[BodyMeasures]) -> dict:
    gold = json.loads((SHARED / "article-extraction-benchmark" / "ground-truth.json").read_text())
    foreign = {f"benchmark page {key[:8]} ({language})": text_measures(gold[key]["articleBody"])
               for key, language in NON_ENGLISH_PAGES.items()}
    foreign |= {f"hand-written {language}": text_measures(text) for language, text in HAND_WRITTEN.items()}
    code = [text_measures(piece) for piece in python_pieces()]
    tables = [text_measures(piece) for piece in table_pieces()]
    lists = [text_measures(piece) for piece in list_pieces()]
    tables += [text_measures(gold[key]["articleBody"]) for key in TABLE_PAGES]
    latin_foreign = {k: m for k, m in foreign.items() if m.latin_word_share >= 0.5}
    fw_english_low = quantile([m.function_word_share for m in english], 0.001)
    fw_foreign_high = max(m.function_word_share for m in latin_foreign.values())
    latin_english_low = quantile([m.latin_word_share for m in english], 0.001)
    latin_foreign_high = max(m.latin_word_share for k, m in foreign.items() if k not in latin_foreign)
    code_english_high = quantile([m.code_symbol_runs_per_word for m in english], 0.999)
    code_low = quantile([m.code_symbol_runs_per_word for m in code], 0.05)
    numbers_english_high = quantile([m.number_word_share for m in english], 0.999)
    numbers_tables_low = quantile([m.number_word_share for m in tables], 0.05)
    return {
        "non_english_samples": {k: _shares(m) for k, m in foreign.items()},
        "function_word_share": {"english_q001": fw_english_low,
                                "latin_script_non_english_max": fw_foreign_high,
                                "threshold": round((fw_english_low + fw_foreign_high) / 2, 3)},
        "latin_word_share": {"english_q001": latin_english_low, "non_latin_max": latin_foreign_high,
                               "threshold": round((latin_english_low + latin_foreign_high) / 2, 3)},
        "code_symbol_runs_per_word": {"english_q999": code_english_high, "python_q05": code_low,
                              "python_pieces": len(code),
                              "threshold": round((code_english_high + code_low) / 2, 4)},
        "number_word_share": {"english_q999": numbers_english_high, "tables_q05": numbers_tables_low,
                              "table_pieces": len(tables),
                              "threshold": round((numbers_english_high + numbers_tables_low) / 2, 3)},
        "_code": code, "_tables": tables, "_lists": lists, "_foreign": foreign,
    }


def _shares(m: BodyMeasures) -> dict[str, float]:
    return {"function_word_share": round(m.function_word_share, 4),
            "latin_word_share": round(m.latin_word_share, 4),
            "code_symbol_runs_per_word": round(m.code_symbol_runs_per_word, 4),
            "number_word_share": round(m.number_word_share, 4)}


# ---------------------------------------------------------------------------------------------- flag rates


def flag_rates(sets: dict[str, list[Article]], limits: SimpleNamespace) -> dict:
    import scoring.applicability as applicability
    from scoring.applicability import measure  # body, or the page when the body is short

    applicability.SETTINGS.applicability = limits  # `measure` reads min_body_words from the settings
    result = {}
    for name, articles in sets.items():
        counts = dict.fromkeys(REASONS, 0)
        flagged, read = [], 0
        for article in articles:
            if not article.ok:
                continue
            read += 1
            warnings = warnings_for(measure(segment(article)), limits)
            for warning in warnings:
                counts[warning.code] += 1
            if warnings:
                flagged.append({"source": article.source[-90:], "warnings": [w.message for w in warnings]})
        any_flag = len(flagged)
        result[name] = {"articles": read, "flagged": any_flag,
                        "flagged_share": round(any_flag / read, 5) if read else None,
                        **{f"{code}_share": round(counts[code] / read, 5) if read else None
                           for code in REASONS},
                        "flagged_articles": flagged[:40]}
    return result


def write_settings(limits: SimpleNamespace, derivation: dict) -> None:
    text = SETTINGS_FILE.read_text(encoding="utf-8")
    head = text[:text.index("[applicability]")]
    short = derivation["too_short"]
    lang = derivation["language_and_prose"]
    fw, latin = lang["function_word_share"], lang["latin_word_share"]
    code, numbers = lang["code_symbol_runs_per_word"], lang["number_word_share"]
    section = f"""[applicability]
# Derived by benchmarks/applicability.py (results/applicability.json); rerun it to rederive.
# too_short: below this many body words the score's within-article SD over random runs of sentences
# of real articles (allsides-mbfc + recovery, {short['articles']} articles of 600+ words) exceeds
# {short['max_sd_points']:g} points (the between-article SD of whole articles,
# {short['between_article_sd_full_length']:.1f}, / sqrt 2: reliability under 0.5)
min_body_words = {limits.min_body_words}
# not_english: midpoint between English news' 0.1% quantile ({fw['english_q001']:.3f}) and the highest
# Latin-script non-English sample ({fw['latin_script_non_english_max']:.3f}) of the share of words on
# scikit-learn's English stop-word list
min_function_word_share = {limits.min_function_word_share}
# not_english: midpoint between English news' 0.1% quantile ({latin['english_q001']:.3f}) and the highest
# non-Latin sample ({latin['non_latin_max']:.3f}) of the share of words in Latin script
min_latin_word_share = {limits.min_latin_word_share}
# not_prose: midpoint between English news' 99.9% quantile ({code['english_q999']:.4f}) and the 5%
# quantile of Python source pieces ({code['python_q05']:.4f}) of runs of code symbols per word
max_code_symbol_runs_per_word = {limits.max_code_symbol_runs_per_word}
# not_prose: midpoint between English news' 99.9% quantile ({numbers['english_q999']:.3f}) and the 5%
# quantile of real table pieces ({numbers['tables_q05']:.3f}) of words that are numbers
max_number_word_share = {limits.max_number_word_share}
# the word shares are of an evenly spaced sample of at most this many body words (the check's cost stays
# flat; a share of 256 words has a standard error of about 0.03 at English news' 0.4)
sample_words = {limits.sample_words}
# a body of fewer words has its shares measured on the whole page instead (a share of under 30 words has a
# standard error near 0.09 at 0.4, too wide to name a language; a page of menus has few function words)
min_words_for_shares = {limits.min_words_for_shares}
"""
    SETTINGS_FILE.write_text(head + section, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-sd", type=float, default=None,
                        help="points of score noise tolerated (default: the between-article SD / sqrt 2)")
    parser.add_argument("--articles", type=int, default=120, help="articles for the length curve")
    parser.add_argument("--draws", type=int, default=6, help="random runs per article and length")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write-settings", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    english_texts = english_training_articles()
    english = [body_measures(t)[0] for texts in english_texts.values() for t in texts]
    model = ReportingStyleModel.load(default_model_path())
    short = derive_min_body_words([t for texts in english_texts.values() for t in texts], model, args.max_sd,
                                  args.articles, args.draws, args.seed)
    english_long = [m for m in english if m.body_words >= short["min_body_words"]]
    lang = derive_language_and_prose(english_long)
    limits = SimpleNamespace(min_body_words=short["min_body_words"],
                             min_function_word_share=lang["function_word_share"]["threshold"],
                             min_latin_word_share=lang["latin_word_share"]["threshold"],
                             max_code_symbol_runs_per_word=lang["code_symbol_runs_per_word"]["threshold"],
                             max_number_word_share=lang["number_word_share"]["threshold"],
                             sample_words=SAMPLE_WORDS, min_words_for_shares=MIN_WORDS_FOR_SHARES)
    code, tables, lists, foreign = (lang.pop(key) for key in ("_code", "_tables", "_lists", "_foreign"))
    detection = {
        "python_pieces_flagged_not_prose": sum(any(w.code == "not_prose" for w in warnings_for(m, limits))
                                               for m in code) / len(code),
        "table_pieces_flagged": sum(bool(warnings_for(m, limits)) for m in tables) / len(tables),
        "table_pieces_flagged_not_prose": sum(any(w.code == "not_prose" for w in warnings_for(m, limits))
                                              for m in tables) / len(tables),
        "list_pieces_flagged": sum(bool(warnings_for(m, limits)) for m in lists) / len(lists),
        "list_pieces_flagged_as": sorted({w.code for m in lists for w in warnings_for(m, limits)}),
        "non_english_flagged_not_english": {k: any(w.code == "not_english" for w in warnings_for(m, limits))
                                            for k, m in foreign.items()},
    }
    derivation = {"too_short": short, "language_and_prose": lang}
    rates = flag_rates(shared_sets(), limits)
    result = {"thresholds": vars(limits), "derivation": derivation, "detection": detection,
              "flag_rates": rates, "seconds": round(time.perf_counter() - started, 1)}
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.write_settings:
        write_settings(limits, derivation)
    print(json.dumps({"thresholds": vars(limits), "curve": short["curve"],
                      "between_sd": short["between_article_sd_full_length"], "detection": detection,
                      "rates": {k: {kk: vv for kk, vv in v.items() if kk != "flagged_articles"}
                                for k, v in rates.items()}}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
