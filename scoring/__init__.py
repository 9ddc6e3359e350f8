"""newsscore: score how news articles are reported, with the evidence behind every number.

The Python API (see README, "Python API"); names load on first use, so `import scoring` stays light and
the command line starts fast:

    scoring.score_text(text, title=None, url=None, outlet=None) -> Explanation (.score, .features, ...)
    scoring.score_frame(df, text_column="text")                 -> DataFrame, the columns of `newsscore score`
    scoring.explain(text)                                       -> Explanation, as `newsscore explain` shows
    scoring.NewsFeatures()                                      -> scikit-learn transformer over texts
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it (imported on first access)
_LAZY = {
    "score_text": "scoring.api",
    "score_frame": "scoring.api",
    "NewsFeatures": "scoring.api",
    "load_model": "scoring.api",
    "Explanation": "scoring.explanation",
    "feature_specs": "scoring.features",
    "feature_names": "scoring.features",
}

if TYPE_CHECKING:
    from scoring import explain
    from scoring.api import NewsFeatures, load_model, score_frame, score_text
    from scoring.explanation import Explanation
    from scoring.features import feature_names, feature_specs


def __getattr__(name: str) -> Any:
    """Import an API name's module on first access (PEP 562)."""
    if name == "explain":
        # `scoring.explain` is the module scoring/explain.py, made callable: scoring.explain(text) runs
        # scoring.api.explain. (Python binds the package attribute to the submodule once it is imported.)
        return import_module("scoring.explain")
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'scoring' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY, "explain"])


__all__ = ["Explanation", "NewsFeatures", "__version__", "explain", "feature_names", "feature_specs",
           "load_model", "score_frame", "score_text"]
