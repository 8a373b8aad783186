"""Engine fixtures: the deck knowledge and the offline engine over the session's real index."""

from pathlib import Path

import pytest

SAMPLE_QUESTIONS = Path(__file__).with_name("sample_questions.jsonl")


@pytest.fixture(scope="session")
def knowledge(searcher):
    """Searcher, slides and tables of the shipped bundle, as the engines use them."""
    from corpus.bundle import default_bundle
    from retrieval.engines.toolkit import DeckKnowledge

    return DeckKnowledge(default_bundle(), searcher=searcher)


@pytest.fixture(scope="session")
def offline_engine(knowledge):
    """The default engine."""
    from retrieval.engines.offline import OfflineEngine

    return OfflineEngine(knowledge)


@pytest.fixture(scope="session")
def sample_rows():
    """The sample question file (a copy of shared/eval/sample.jsonl)."""
    from retrieval.evaluation import load_eval_rows

    return load_eval_rows(SAMPLE_QUESTIONS)
