"""Work-order category classifier and complaint emotion/urgency scoring.

scikit-learn over jieba word tokens plus character bigrams (robust to words jieba does not know),
TF-IDF and a logistic regression whose probability is the confidence shown to staff. It predicts the
detail category; the business line and problem type follow from the code's prefix.
"""

from __future__ import annotations

import io
import logging
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass

logging.getLogger("jieba").setLevel(logging.WARNING)


def _jieba_tokens(text: str) -> list[str]:
    import jieba

    return [t for t in jieba.lcut(text) if t.strip() and not re.fullmatch(r"\W+", t)]


@dataclass(frozen=True)
class Prediction:
    code: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...]


class CategoryClassifier:
    def __init__(self, pipeline, labels: list[str]):
        self.pipeline = pipeline
        self.labels = labels

    def predict(self, text: str) -> Prediction:
        probabilities = self.pipeline.predict_proba([text])[0]
        ranked = sorted(zip(self.pipeline.classes_, probabilities, strict=True), key=lambda p: -p[1])
        best, confidence = ranked[0]
        return Prediction(
            code=str(best),
            confidence=round(float(confidence), 3),
            alternatives=tuple((str(c), round(float(p), 3)) for c, p in ranked[1:4]),
        )

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump(self, buffer)
        return buffer.getvalue()

    @staticmethod
    def loads(data: bytes) -> CategoryClassifier:
        # Only ever loads models this application trained and stored itself.
        return pickle.loads(data)  # noqa: S301


def train(samples: Iterable[tuple[str, str]]) -> CategoryClassifier:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    texts, labels = zip(*samples, strict=True)
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    tokenizer=_jieba_tokens, token_pattern=None, lowercase=True, sublinear_tf=True
                ),
            ),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True, min_df=1)),
        ]
    )
    pipeline = Pipeline([("features", features), ("model", LogisticRegression(C=20.0, max_iter=2000))])
    pipeline.fit(list(texts), list(labels))
    return CategoryClassifier(pipeline, sorted(set(labels)))


# Emotion and urgency -------------------------------------------------------------------------

ANGER_WORDS = (
    "愤怒",
    "气愤",
    "太过分",
    "忍无可忍",
    "欺骗",
    "骗子",
    "垃圾",
    "恶心",
    "无耻",
    "坑人",
    "黑心",
    "态度恶劣",
    "非常不满",
    "极其不满",
    "讨个说法",
    "没完",
    "投诉到底",
    "差评",
    "再也不",
    # Plain anger without a formal complaint word ("…太离谱了" used to score 0).
    "离谱",
    "岂有此理",
    "荒唐",
    "气死",
    "受够",
    "不像话",
    "太差劲",
    "什么破",
    "搞什么",
    "烂透",
    "无语",
)
# Threatening to go to the regulator, the press or court is treated as strong emotion on its own.
THREAT_WORDS = (
    "曝光",
    "媒体",
    "记者",
    "律师",
    "起诉",
    "报警",
    "监管",
    "12378",
    "举报",
    "人民银行",
)
URGENCY_WORDS = (
    "紧急",
    "急用",
    "着急",
    "马上",
    "立刻",
    "立即",
    "今天必须",
    "十万火急",
    "救命",
    "手术",
    "住院",
    "医药费",
    "救急",
    "被骗",
    "诈骗",
    "盗刷",
    "被转走",
    "来不及",
    "耽误",
)
NEGATIONS = ("不", "没", "无", "未", "别")


@dataclass(frozen=True)
class EmotionScore:
    score: float  # 0 (calm) .. 1 (furious or desperate)
    angry: bool
    urgent: bool
    words: tuple[str, ...]

    @property
    def raises_priority(self) -> bool:
        return self.angry or self.urgent


def _found(text: str, words: tuple[str, ...]) -> list[str]:
    hits = []
    for word in words:
        start = text.find(word)
        # "不紧急" / "不着急" is calm: a negation right before the word cancels it.
        if start >= 0 and not (start > 0 and text[start - 1] in NEGATIONS and word in URGENCY_WORDS):
            hits.append(word)
    return hits


def score_emotion(text: str) -> EmotionScore:
    anger = _found(text, ANGER_WORDS)
    threats = _found(text, THREAT_WORDS)
    urgency = _found(text, URGENCY_WORDS)
    exclamations = len(re.findall(r"[!！]", text))
    score = min(1.0, 0.3 * len(anger) + 0.4 * len(threats) + 0.3 * len(urgency) + 0.1 * min(exclamations, 3))
    return EmotionScore(
        score=round(score, 2),
        angry=bool(threats) or len(anger) >= 2 or (bool(anger) and exclamations >= 2),
        urgent=bool(urgency),
        words=tuple(anger + threats + urgency),
    )
