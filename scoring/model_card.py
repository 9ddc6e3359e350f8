"""The model card (models/NAME.md): criteria and points, training data, evaluation, seeds, limits."""

from __future__ import annotations

from pathlib import Path
from statistics import fmean
from typing import Any

from scoring.model import ReportingStyleModel

PREVIOUS = Path(__file__).resolve().parents[1] / "models" / "previous_model.md"


def _f(value: Any) -> str:
    return "n/a" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))


def card_markdown(
    model: ReportingStyleModel, seeds: dict[str, Any], evaluation: dict[str, Any] | None
) -> str:
    """The card in Markdown, from the model, the seeds check and (when run) the evaluation results."""
    facts, rows = model.facts, model.facts.get("training_rows", {})
    out = [
        f"# Model card: reporting scorecard (newsscore {model.package_version})",
        "",
        "Scores how an article is *reported* (attribution, quotation, sourcing, language, page hygiene), "
        "0-100, as the sum of per-criterion points. It is learned from outlet reliability labels and is not "
        "a fact-check.",
        "",
        f"- format version {model.format_version}, package {model.package_version}, seed {model.seed}, "
        f"trained {model.trained_at}",
        f"- training rows: {rows.get('articles')} articles, {rows.get('outlets')} outlets "
        f"({rows.get('reliable_articles')} from reliable outlets); corpus `{facts.get('corpus')}` "
        f"sha256 {str(facts.get('corpus_sha256', ''))[:16]}",
        f"- label: {model.label_definition}",
        "- fit: logistic regression on the criteria's satisfactions, weights >= 0 (scipy L-BFGS-B, ridge "
        "0.01), one intercept per training data set (dropped at scoring), classes balanced inside each data "
        "set; data sets with one class carry no contrast and are left out of the fit. Per-1k-words rates are "
        "weighed for length before their anchors: (rate x words + prior rate x prior words) / (words + prior "
        "words), the prior fitted on the training rows' features alone (gamma-Poisson method of moments).",
        "- licence: the fitted anchors derive in part from ReCOVery (CC BY-NC-SA 4.0).",
        "",
        "## Criteria and points",
        "",
        "| criterion | max points | typical | weight | features (better; worst -> best anchor) |",
        "|---|---:|---:|---:|---|",
    ]
    for c in model.criteria:
        feats = "; ".join(
            f"`{f['name']}` ({f['better']}; {f['worst']:g} -> {f['best']:g}, {f['anchors']}"
            + (f"; weighed for length: prior {f['prior_rate']:g} over {f['prior_words']:g} words"
               if "prior_rate" in f else "") + ")"
            for f in c["features"]
        )
        kind = " (set)" if c["fixed"] else ""
        out.append(
            f"| {c['title']} | {c['max_points']:.1f}{kind} | {c['typical_points']:.1f} | "
            f"{c['weight']:.3f} | {feats} |"
        )
    out += [
        "",
        "Data-set intercepts of the fit (not used at scoring): "
        + ", ".join(f"{d} {b:+.2f}" for d, b in facts.get("dataset_intercepts", {}).items()),
        "",
    ]
    if seeds.get("articles"):
        out += ["## Seeds", "", "| seed | score | rank | reasons |", "|---|---:|---:|---|"]
        for name, s in seeds["articles"].items():
            out.append(f"| {name} | {s['score']} | {s['rank']} | {'<br>'.join(s['reasons'])} |")
        out += [
            "",
            f"001 ranks first: {seeds.get('001_ranks_first')}; 004 and 000 are the lowest two: "
            f"{seeds.get('004_and_000_lowest_two')}",
            "",
        ]
    if evaluation:
        out += evaluation_markdown(evaluation)
    else:
        out += ["## Evaluation", "", "Not run with this training (run `newsscore evaluate`).", ""]
    if PREVIOUS.exists():
        out += [PREVIOUS.read_text(encoding="utf-8").strip(), ""]
    out += [
        "## Limits",
        "",
        "- Labels are outlet ratings; single articles differ from their outlet.",
        "- The page-hygiene points are set, not learned: training texts are extracted bodies.",
        "- Readability and length are reported, never scored: they have no defensible direction.",
        "",
    ]
    return "\n".join(out)


def evaluation_markdown(ev: dict[str, Any]) -> list[str]:
    """The evaluation section: leave-one-dataset-out, inside-data-set CV, label agreement, reversals."""
    out = [
        "## Evaluation (`newsscore evaluate`)",
        "",
        ev.get("protocol", ""),
        "",
        "### Leave one data set out",
        "",
        "| held-out data set | articles | outlets | scorecard article AUC | outlet AUC | TF-IDF article AUC "
        "| TF-IDF outlet AUC | data-set identity AUC |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in ev["lodo"]["datasets"].items():
        out.append(
            f"| {name} | {r['articles']} | {r['outlets']} | {_f(r['scorecard']['article_auc'])} | "
            f"{_f(r['scorecard']['outlet_auc'])} | {_f(r['tfidf']['article_auc'])} | "
            f"{_f(r['tfidf']['outlet_auc'])} | {_f(r['dataset_identity']['article_auc'])} |"
        )
    m = ev["lodo"]["mean"]
    out += [
        f"| **mean** | | | {_f(m['scorecard_article_auc'])} | {_f(m['scorecard_outlet_auc'])} | "
        f"{_f(m['tfidf_article_auc'])} | {_f(m['tfidf_outlet_auc'])} | 0.500 |",
        "",
    ]
    if "length_alone_article_auc" in m:
        out += [
            "Length alone (the body's word count as the score, longer = higher, nothing fitted), article / "
            "outlet AUC: " + "; ".join(
                f"{d} {_f(r['length_alone']['article_auc'])} / {_f(r['length_alone']['outlet_auc'])}"
                for d, r in ev["lodo"]["datasets"].items())
            + f"; mean {_f(m['length_alone_article_auc'])} / {_f(m['length_alone_outlet_auc'])}. "
            "Spearman between the scorecard's score and length on each held-out set: " + "; ".join(
                f"{d} {r['scorecard']['length_spearman']:+.2f}" for d, r in ev["lodo"]["datasets"].items())
            + ".",
            "",
        ]
    out += [
        "### Outlet-grouped CV inside each data set",
        "",
        "| data set | folds | scorecard article AUC | TF-IDF article AUC |",
        "|---|---:|---:|---:|",
    ]
    for name, r in ev["within"].items():
        out.append(f"| {name} | {r['folds']} | {_f(r['scorecard'])} | {_f(r['tfidf'])} |")
    out += [
        "",
        "### Criteria inside each data set",
        "",
        "AUC of each criterion's satisfaction alone, reliable vs not, inside each two-class data set "
        "(< 0.5 = the criterion reverses there):",
        "",
    ]
    names = list(next(iter(ev["criterion_auc"].values())).keys()) if ev["criterion_auc"] else []
    out += [
        "| criterion | " + " | ".join(ev["criterion_auc"]) + " |",
        "|---|" + "---:|" * len(ev["criterion_auc"]),
    ]
    for c in names:
        out.append(f"| {c} | " + " | ".join(_f(v[c]) for v in ev["criterion_auc"].values()) + " |")
    ceiling = ev.get("fixed_direction_ceiling") or {}
    if ceiling:
        out += [
            "",
            "What these criteria reach with their fixed directions when the weights are fitted on the "
            "data set itself (in-sample article AUC of the same sign-constrained fit, no held-out rows; a "
            "held-out figure can hardly do better): " + "; ".join(f"{d} {_f(v)}" for d, v in ceiling.items())
            + f"; mean {_f(fmean(v for v in ceiling.values() if v is not None))}.",
        ]
    a = ev["label_agreement"]
    out += [
        "",
        f"Label and score: Spearman {a['spearman']:.3f} between label points (pass 2, partial 1, fail 0 "
        f"over the scored criteria) and the score, over {a['articles']} training articles.",
        "",
    ]
    t = ev.get("targets", {})
    if t:
        out += ["Targets (issue 10): " + "; ".join(f"{k}: {v}" for k, v in t.items()), ""]
    return out


def write_card(
    model: ReportingStyleModel, seeds: dict[str, Any], evaluation: dict[str, Any] | None, path: Path
) -> None:
    """Write the card next to the model file."""
    from scoring.outputs import atomic_path

    with atomic_path(path) as temp:
        Path(temp).write_text(card_markdown(model, seeds, evaluation), encoding="utf-8")
